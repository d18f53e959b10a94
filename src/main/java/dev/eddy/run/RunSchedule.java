package dev.eddy.run;

import dev.eddy.config.OutputSchedule;
import dev.eddy.config.RunConfig;
import dev.eddy.config.TimeControl;

/**
 * When a run advances and what it outputs, as a function of the settings and the position (step,
 * time) only: {@link LesRun} follows it, and {@code eddy run --explain} walks it to count the copies
 * a run will make, so the two cannot disagree about the events.
 */
public final class RunSchedule {
    private final TimeControl time;
    private final OutputSchedule out;

    public RunSchedule(RunConfig config) {
        this.time = config.time();
        this.out = config.output();
    }

    /** Whether the run takes another step from (step, t). */
    public boolean continues(long step, double t) {
        return time.steps() > 0 ? step < time.steps() : t < time.endTime() * (1 - 1e-12);
    }

    /**
     * Steps until the next diagnostics, snapshot or checkpoint step, or the end: taken in one
     * {@code Simulation.advance} call, so a GPU backend synchronises with the host only there. With
     * an end time, the last steps are taken one by one so the final one can be clipped.
     */
    public int stepsToNextEvent(long step, double t, int maxAdvance) {
        long next = nextMultiple(step, out.diagnosticsEvery());
        if (out.snapshotEvery() > 0) {
            next = Math.min(next, nextMultiple(step, out.snapshotEvery()));
        }
        if (out.checkpointEvery() > 0) {
            next = Math.min(next, nextMultiple(step, out.checkpointEvery()));
        }
        if (time.steps() > 0) {
            next = Math.min(next, time.steps());
        }
        long count = Math.min(next - step, maxAdvance);
        if (time.steps() == 0) {
            // every step is at most dt: safe to batch while even count full steps stay short of the end
            long safe = (long) Math.floor((time.endTime() - t) / time.dt()) - 1;
            count = Math.max(1, Math.min(count, safe));
        }
        return (int) Math.max(1, Math.min(count, Integer.MAX_VALUE));
    }

    /** The dt limit of an advance of {@code count} steps from time t: only a single last step is clipped to the end time. */
    public double maxDt(int count, double t) {
        return time.steps() > 0 || count > 1 ? Double.POSITIVE_INFINITY : time.endTime() - t;
    }

    public boolean diagnosticsAt(long step) {
        return step % out.diagnosticsEvery() == 0;
    }

    public boolean snapshotAt(long step) {
        return out.snapshotEvery() > 0 && step % out.snapshotEvery() == 0;
    }

    public boolean checkpointAt(long step) {
        return out.checkpointEvery() > 0 && step % out.checkpointEvery() == 0;
    }

    private static long nextMultiple(long s, long every) {
        return (s / every + 1) * every;
    }
}
