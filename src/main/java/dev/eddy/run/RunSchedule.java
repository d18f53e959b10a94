package dev.eddy.run;

import dev.eddy.config.OutputSchedule;
import dev.eddy.config.RunConfig;
import dev.eddy.config.TimeControl;

/**
 * When a run advances and what it outputs, as a function of the settings and the position (step,
 * time) only: {@link LesRun} follows it, and {@code eddy run --explain} walks it to count the copies
 * a run will make, so the two cannot disagree about the events.
 *
 * <p>Outputs in simulated time ({@code --snapshot-dt}, {@code --diag-dt}) land exactly: like the end
 * time, the steps before an output time are taken one by one and the last one is clipped to it
 * ({@link #maxDt}). An output time t_k = kΔ counts as reached within a relative {@value #TIME_TOLERANCE}
 * of Δ (the rounding of summing clipped steps).
 */
public final class RunSchedule {
    static final double TIME_TOLERANCE = 1e-9;
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
     * an end time or outputs in time, the last steps before such a time are taken one by one so the
     * final one can be clipped.
     */
    public int stepsToNextEvent(long step, double t, int maxAdvance) {
        long next = out.diagnosticsDt() > 0 ? Long.MAX_VALUE : nextMultiple(step, out.diagnosticsEvery());
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
        double until = nextTimeEvent(t);
        if (Double.isFinite(until)) {
            // every step is at most dt: safe to batch while even count full steps stay short of that time
            long safe = (long) Math.floor((until - t) / time.dt()) - 1;
            count = Math.max(1, Math.min(count, safe));
        }
        return (int) Math.max(1, Math.min(count, Integer.MAX_VALUE));
    }

    /** The next time the run must land on exactly: the end time, or the next output time; +∞ if none. */
    private double nextTimeEvent(double t) {
        double until = time.steps() == 0 ? time.endTime() : Double.POSITIVE_INFINITY;
        if (out.snapshotDt() > 0) {
            until = Math.min(until, nextTime(t, out.snapshotDt()));
        }
        if (out.diagnosticsDt() > 0) {
            until = Math.min(until, nextTime(t, out.diagnosticsDt()));
        }
        return until;
    }

    /** The dt limit of an advance of {@code count} steps from time t: only a single step is clipped, to the next time event. */
    public double maxDt(int count, double t) {
        if (count > 1) {
            return Double.POSITIVE_INFINITY;
        }
        double until = nextTimeEvent(t);
        return Double.isFinite(until) ? until - t : Double.POSITIVE_INFINITY;
    }

    public boolean diagnosticsAt(long step, double t) {
        return out.diagnosticsDt() > 0 ? onMultiple(t, out.diagnosticsDt()) : step % out.diagnosticsEvery() == 0;
    }

    public boolean snapshotAt(long step, double t) {
        if (out.snapshotDt() > 0) {
            return onMultiple(t, out.snapshotDt());
        }
        return out.snapshotEvery() > 0 && step % out.snapshotEvery() == 0;
    }

    public boolean checkpointAt(long step) {
        return out.checkpointEvery() > 0 && step % out.checkpointEvery() == 0;
    }

    private static long nextMultiple(long s, long every) {
        return (s / every + 1) * every;
    }

    /** The first multiple of Δ after t (t itself, within the tolerance, does not count). */
    static double nextTime(double t, double delta) {
        return (Math.floor(t / delta + TIME_TOLERANCE) + 1) * delta;
    }

    static boolean onMultiple(double t, double delta) {
        double k = t / delta;
        return Math.abs(k - Math.rint(k)) < TIME_TOLERANCE * Math.max(1, Math.abs(k));
    }
}
