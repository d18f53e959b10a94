package dev.eddy.gpu;

import java.util.Locale;

/**
 * How long the host waits for a submission before it declares the GPU unresponsive, instead of
 * waiting forever (a hung GPU would otherwise hang the run, with no message and no exit).
 *
 * <p>limit = floor + replays × {@value #MARGIN} × (the slowest seconds per replay seen on this context).
 * The floor (default {@value #DEFAULT_FLOOR_SECONDS} s, or the system property {@value #PROPERTY})
 * covers a context's first submissions, whose cost is not known yet: the largest Eddy makes on the
 * H100, 1024 steps of N = 4096 fp64, takes about 14 s (design §7: 13.8 ms a step for the peer). After
 * that the limit follows what the device has shown it needs, so a slow device (lavapipe is about 1000×
 * slower than the H100) is not mistaken for a hung one, and a hang is still noticed within
 * minutes, not never. A limit of the first submission of a long batch on a very slow device can still
 * be too short: the message says how to raise it.
 */
final class WaitLimit {
    /** The floor in seconds, e.g. {@code EDDY_JAVA_OPTS=-Deddy.gpu.waitTimeoutSeconds=1800}. */
    static final String PROPERTY = "eddy.gpu.waitTimeoutSeconds";
    static final double DEFAULT_FLOOR_SECONDS = 300;
    /** How many times slower than the slowest replay seen a submission may be before it counts as hung. */
    static final double MARGIN = 50;
    /** The longest a close waits for a timed-out submission before leaving the device's objects alone. */
    static final double CLOSE_GRACE_SECONDS = 30;

    private final double floorSeconds;
    private double slowestPerReplay;

    WaitLimit(double floorSeconds) {
        if (!(floorSeconds > 0) || Double.isInfinite(floorSeconds)) {
            throw new IllegalArgumentException(PROPERTY + " must be a positive number of seconds, got " + floorSeconds);
        }
        this.floorSeconds = floorSeconds;
    }

    static WaitLimit fromProperty() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return new WaitLimit(DEFAULT_FLOOR_SECONDS);
        }
        try {
            return new WaitLimit(Double.parseDouble(v.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PROPERTY + " must be a number of seconds, got '" + v + "'");
        }
    }

    /** The limit for a submission of {@code replays} replays, in nanoseconds. */
    synchronized long nanos(int replays) {
        double s = floorSeconds + replays * MARGIN * slowestPerReplay;
        return (long) Math.min(s * 1e9, Long.MAX_VALUE / 2.0);
    }

    /** Learns from a submission that finished: {@code replays} replays in {@code nanos}. */
    synchronized void observe(long nanos, int replays) {
        slowestPerReplay = Math.max(slowestPerReplay, nanos * 1e-9 / replays);
    }

    /** How long a close waits for a submission that timed out. */
    long graceNanos() {
        return (long) (Math.min(floorSeconds, CLOSE_GRACE_SECONDS) * 1e9);
    }

    double floorSeconds() {
        return floorSeconds;
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos * 1e-9);
    }
}
