package dev.eddy.gpu;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every host↔device copy of a run: bytes, direction and stage label. Entries with the same
 * (stage, direction, buffer) are merged and counted, so a long run stays a short ledger.
 */
public final class TransferLedger {
    public enum Direction { HOST_TO_DEVICE, DEVICE_TO_HOST }

    private record Key(String stage, Direction direction, String buffer) {
    }

    private static final class Tally {
        long copies;
        long bytes;
    }

    private final Map<Key, Tally> entries = new LinkedHashMap<>();

    public synchronized void record(String stage, Direction direction, String buffer, long bytes) {
        Tally t = entries.computeIfAbsent(new Key(stage, direction, buffer), k -> new Tally());
        t.copies++;
        t.bytes += bytes;
    }

    public synchronized long totalBytes(Direction direction) {
        long sum = 0;
        for (var e : entries.entrySet()) {
            if (e.getKey().direction() == direction) {
                sum += e.getValue().bytes;
            }
        }
        return sum;
    }

    public synchronized long totalCopies() {
        return entries.values().stream().mapToLong(t -> t.copies).sum();
    }

    /** The ledger for the metrics JSON: one map per (stage, direction, buffer). */
    public synchronized List<Map<String, Object>> snapshot() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (var e : entries.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("stage", e.getKey().stage());
            m.put("direction", e.getKey().direction() == Direction.HOST_TO_DEVICE ? "host_to_device" : "device_to_host");
            m.put("buffer", e.getKey().buffer());
            m.put("copies", e.getValue().copies);
            m.put("bytes", e.getValue().bytes);
            out.add(m);
        }
        return out;
    }
}
