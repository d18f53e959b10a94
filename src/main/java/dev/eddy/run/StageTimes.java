package dev.eddy.run;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Wall-clock seconds spent per pipeline stage (sim, diagnostics, snapshots, checkpoint, hdf5, …).
 * Thread-safe: the snapshot writer charges its work from its own thread.
 */
public final class StageTimes {
    private final Map<String, Long> nanos = new LinkedHashMap<>();

    /** Work whose time is charged to a stage. */
    @FunctionalInterface
    public interface Work<T, E extends Exception> {
        T run() throws E;
    }

    public <T, E extends Exception> T time(String stage, Work<T, E> work) throws E {
        long t0 = System.nanoTime();
        try {
            return work.run();
        } finally {
            add(stage, System.nanoTime() - t0);
        }
    }

    public synchronized void add(String stage, long elapsedNanos) {
        nanos.merge(stage, elapsedNanos, Long::sum);
    }

    public synchronized double seconds(String stage) {
        return nanos.getOrDefault(stage, 0L) * 1e-9;
    }

    public synchronized Map<String, Double> asSeconds() {
        Map<String, Double> out = new LinkedHashMap<>();
        nanos.forEach((k, v) -> out.put(k, v * 1e-9));
        return out;
    }
}
