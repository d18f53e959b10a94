package dev.eddy.io;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named points in the write paths where the fault-injection tests stop the process as {@code kill -9}
 * would ({@link Runtime#halt}: no shutdown hook, no flush, no cleanup), to prove that a run directory is
 * consistent and recoverable whatever instant a process dies at. Off unless the system property
 * {@code eddy.faults} is set: a comma-separated list of {@code PREFIX@K}, each halting (exit 137) the K-th
 * time a point whose name starts with PREFIX is reached. Points: {@code atomic-write:DIR/FILE} (a complete
 * temporary file, not yet renamed over its target), {@code store-committed}, {@code codes-appended} (records
 * written, header not updated), {@code codes-committed}, {@code checkpoint-committed}, {@code pipeline-stage:NAME}.
 */
public final class FaultPoints {
    private static final Map<String, int[]> PLAN = parse(System.getProperty("eddy.faults"));
    /** With {@code eddy.faults.await=FILE}, a planned halt first waits until FILE exists (a test's signal). */
    private static final String AWAIT = System.getProperty("eddy.faults.await");

    private FaultPoints() {
    }

    private static Map<String, int[]> parse(String spec) {
        Map<String, int[]> m = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return m;
        }
        for (String item : spec.split(",")) {
            int at = item.lastIndexOf('@');
            String prefix = at < 0 ? item : item.substring(0, at);
            int k = at < 0 ? 1 : Integer.parseInt(item.substring(at + 1));
            m.put(prefix.strip(), new int[] {k});
        }
        return m;
    }

    /** Marks that {@code point} is reached; halts the process here if the plan says so. */
    public static void reach(String point) {
        if (PLAN.isEmpty()) {
            return;
        }
        synchronized (PLAN) {
            for (Map.Entry<String, int[]> e : PLAN.entrySet()) {
                if (point.startsWith(e.getKey()) && --e.getValue()[0] == 0) {
                    awaitSignal();
                    System.err.println("eddy: fault injected at " + point + ": halting as kill -9 would");
                    System.err.flush();
                    Runtime.getRuntime().halt(137);
                }
            }
        }
    }

    private static void awaitSignal() {
        if (AWAIT == null) {
            return;
        }
        java.nio.file.Path signal = java.nio.file.Path.of(AWAIT);
        while (!java.nio.file.Files.exists(signal)) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
