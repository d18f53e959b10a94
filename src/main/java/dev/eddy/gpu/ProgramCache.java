package dev.eddy.gpu;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Step programs recorded on first use and kept for reuse, for components whose programs depend on
 * run-time arguments frozen into push constants (a latent column, a source buffer): the last
 * {@code kept} are kept, the least recently used closed first (every run waits, so an evicted program is
 * idle). Optionally timestamps the work of each program, for {@link #lastDeviceMillis()}.
 */
public final class ProgramCache implements AutoCloseable {
    /** Records a program's operations into a builder. */
    @FunctionalInterface
    public interface Recorder {
        void record(StepProgram.Builder b);
    }

    private final VulkanContext ctx;
    private final String prefix;
    private final int kept;
    private final boolean timestamps;
    private final Map<List<Object>, StepProgram> programs = new LinkedHashMap<>(16, 0.75f, true);
    private StepProgram lastRun;

    /** Programs named {@code prefix-<first key element>}; GPU timestamps where the queue has them. */
    public ProgramCache(VulkanContext ctx, String prefix, int kept) {
        this.ctx = ctx;
        this.prefix = prefix;
        this.kept = kept;
        this.timestamps = ctx.timestampValidBits() > 0;
    }

    /**
     * The program for {@code key}, recorded by {@code recorder} on first use, with timestamps around its
     * work unless {@code timed} is false (a pure read-back).
     */
    public StepProgram get(List<Object> key, boolean timed, Recorder recorder) {
        StepProgram p = programs.get(key);
        if (p == null) {
            StepProgram.Builder b = StepProgram.builder(ctx, prefix + "-" + key.getFirst());
            boolean stamp = timestamps && timed;
            if (stamp) {
                b.timestamp();
            }
            recorder.record(b);
            if (stamp) {
                b.timestamp();
            }
            p = b.freeze();
            programs.put(key, p);
            if (programs.size() > kept) {
                var eldest = programs.entrySet().iterator().next();
                if (eldest.getValue() == lastRun) {
                    lastRun = null; // its timestamps go with it
                }
                eldest.getValue().close();
                programs.remove(eldest.getKey());
            }
        }
        return p;
    }

    /** Runs {@code p} (submit and wait) and remembers it for {@link #lastDeviceMillis()}. */
    public void run(StepProgram p) {
        p.run();
        lastRun = p;
    }

    /** GPU time of the work of the last run program, in ms, between its timestamps; NaN without timestamps. */
    public double lastDeviceMillis() {
        if (lastRun == null || !timestamps) {
            return Double.NaN;
        }
        double[] ns = lastRun.timestampsNanos();
        return ns[ns.length - 1] * 1e-6;
    }

    @Override
    public void close() {
        for (StepProgram p : programs.values()) {
            p.close();
        }
        programs.clear();
        lastRun = null;
    }
}
