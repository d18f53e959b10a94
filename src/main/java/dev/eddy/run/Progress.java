package dev.eddy.run;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Progress of a long run, on stderr. On a terminal: one line rewritten in place ({@code \r}) at most
 * {@link #TERMINAL_INTERVAL_NANOS} apart, with step, simulated time, steps/s and the estimated time left.
 * Otherwise (a log file, a pipe, a batch system): a plain line every {@link #LINE_INTERVAL_NANOS}, so
 * logs stay readable and small.
 */
public final class Progress {
    public static final long TERMINAL_INTERVAL_NANOS = 250_000_000L;
    public static final long LINE_INTERVAL_NANOS = 5_000_000_000L;

    public enum Mode { TERMINAL, LINES, OFF }

    private final Mode mode;
    private final PrintStream terminal;
    private final Consumer<String> log;
    private final LongSupplier clock;
    private final long targetSteps;
    private final double endTime;
    private long startStep = -1;
    private double startTime;
    private long startMemberSteps;
    private long startNanos;
    private long lastShown;
    private int shownWidth;

    /**
     * @param terminal    where the in-place line goes in {@link Mode#TERMINAL}
     * @param log         where lines go in {@link Mode#LINES}
     * @param targetSteps the last step, or 0 when the run goes to {@code endTime}
     * @param clock       nanosecond clock ({@link System#nanoTime} outside tests)
     */
    public Progress(Mode mode, PrintStream terminal, Consumer<String> log, long targetSteps, double endTime,
                    LongSupplier clock) {
        this.mode = mode;
        this.terminal = terminal;
        this.log = log;
        this.targetSteps = targetSteps;
        this.endTime = endTime;
        this.clock = clock;
    }

    /** The mode for the CLI: off when quiet, in place when there is a terminal, lines otherwise. */
    public static Mode detect(boolean quiet) {
        if (quiet) {
            return Mode.OFF;
        }
        java.io.Console c = System.console();
        return c != null && c.isTerminal() ? Mode.TERMINAL : Mode.LINES;
    }

    /** Called after every step; cheap when nothing is due. */
    public void update(long step, double time, double dt, double maxSpeed) {
        double elapsed = due(step, time, 0);
        if (elapsed >= 0) {
            show(line(step, time, dt, maxSpeed, elapsed));
        }
    }

    /**
     * Called after every advance of an ensemble: its step, the simulated times of its running members
     * (the slowest sets the ETA of a run to an end time), the member-steps taken so far and the members
     * still running. The line shows member-steps/s, the ensemble's throughput.
     */
    public void update(long step, double minTime, double maxTime, long memberSteps, int running, int members) {
        double elapsed = due(step, minTime, memberSteps);
        if (elapsed >= 0) {
            show(ensembleLine(step, minTime, maxTime, memberSteps, running, members, elapsed));
        }
    }

    /** Seconds since the start when a line is due now, else −1 (the first call starts the clock). */
    private double due(long step, double time, long memberSteps) {
        if (mode == Mode.OFF) {
            return -1;
        }
        long now = clock.getAsLong();
        if (startStep < 0) {
            startStep = step;
            startTime = time;
            startMemberSteps = memberSteps;
            startNanos = now;
            lastShown = now;
            return -1;
        }
        long interval = mode == Mode.TERMINAL ? TERMINAL_INTERVAL_NANOS : LINE_INTERVAL_NANOS;
        if (now - lastShown < interval) {
            return -1;
        }
        lastShown = now;
        return (now - startNanos) * 1e-9;
    }

    private void show(String line) {
        if (mode == Mode.TERMINAL) {
            int pad = Math.max(0, shownWidth - line.length());
            terminal.print("\r" + line + " ".repeat(pad));
            terminal.flush();
            shownWidth = line.length();
        } else {
            log.accept(line);
        }
    }

    /** Clears the in-place line, so that the next message starts on a clean line. */
    public void finish() {
        if (mode == Mode.TERMINAL && shownWidth > 0) {
            terminal.print("\r" + " ".repeat(shownWidth) + "\r");
            terminal.flush();
            shownWidth = 0;
        }
    }

    String line(long step, double time, double dt, double maxSpeed, double elapsed) {
        double rate = (step - startStep) / Math.max(elapsed, 1e-9);
        double eta;
        String target;
        if (targetSteps > 0) {
            target = "/" + targetSteps;
            eta = rate > 0 ? (targetSteps - step) / rate : Double.NaN;
        } else {
            target = String.format(Locale.ROOT, " (t → %.4g)", endTime);
            double simRate = (time - startTime) / Math.max(elapsed, 1e-9);
            eta = simRate > 0 ? (endTime - time) / simRate : Double.NaN;
        }
        return String.format(Locale.ROOT, "step %d%s  t = %.4g  dt = %.3g  max|u| = %.3g  %.1f steps/s  ETA %s",
                step, target, time, dt, maxSpeed, rate, duration(eta));
    }

    String ensembleLine(long step, double minTime, double maxTime, long memberSteps, int running, int members, double elapsed) {
        double rate = (step - startStep) / Math.max(elapsed, 1e-9);
        double eta = targetSteps > 0 ? (rate > 0 ? (targetSteps - step) / rate : Double.NaN)
                : ((minTime - startTime) > 0 ? (endTime - minTime) / ((minTime - startTime) / Math.max(elapsed, 1e-9)) : Double.NaN);
        String target = targetSteps > 0 ? "/" + targetSteps : String.format(Locale.ROOT, " (t → %.4g)", endTime);
        String times = minTime == maxTime ? String.format(Locale.ROOT, "%.4g", minTime)
                : String.format(Locale.ROOT, "%.4g–%.4g", minTime, maxTime);
        return String.format(Locale.ROOT, "step %d%s  t = %s  running %d/%d  %.4g member-steps/s  ETA %s", step, target, times,
                running, members, (memberSteps - startMemberSteps) / Math.max(elapsed, 1e-9), duration(eta));
    }

    /** h:mm:ss, or "?" before there is a rate to go by. */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds) || seconds < 0) {
            return "?";
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
}
