package dev.eddy.run;

import dev.eddy.config.HealthBounds;
import dev.eddy.sim.DiagnosticSample;
import dev.eddy.sim.UnhealthyRunException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Holds each diagnostics sample against the run's {@link HealthBounds}: the first sample past a bound
 * is reported once (a warning with the step and what to do), or, with {@code strict}, stops the run.
 * Keeps the worst figures seen for the run's summary.
 */
public final class HealthCheck {
    private final HealthBounds bounds;
    private final Consumer<String> warn;
    private long firstUnhealthyStep = -1;
    private double firstUnhealthyTime = Double.NaN;
    private String firstMessage;
    private double worstBand;
    private double worstRatio;
    private long samples;

    /** @param warn receives the one warning (the CLI prints it as "eddy: warning: …") */
    public HealthCheck(HealthBounds bounds, Consumer<String> warn) {
        this.bounds = bounds;
        this.warn = warn;
    }

    /**
     * Checks one sample.
     *
     * @throws UnhealthyRunException when a bound is crossed and the bounds are strict
     */
    public void check(DiagnosticSample d) {
        double band = d.flow().bandFraction();
        double ratio = d.flow().cutoffRatio();
        samples++;
        worstBand = Math.max(worstBand, band);
        worstRatio = Math.max(worstRatio, ratio);
        if (healthy(band, ratio) || firstUnhealthyStep >= 0) {
            return;
        }
        firstUnhealthyStep = d.step();
        firstUnhealthyTime = d.time();
        firstMessage = describe(d.step(), d.time(), band, ratio);
        if (bounds.strict()) {
            throw new UnhealthyRunException(firstMessage + " (stopped by --strict)");
        }
        warn.accept(firstMessage + "; later crossings are not reported again");
    }

    /** Takes in the samples of a run being continued (from its checkpoint) without reporting them again. */
    public void restore(java.util.List<DiagnosticSample> earlier) {
        for (DiagnosticSample d : earlier) {
            double band = d.flow().bandFraction();
            double ratio = d.flow().cutoffRatio();
            samples++;
            worstBand = Math.max(worstBand, band);
            worstRatio = Math.max(worstRatio, ratio);
            if (firstUnhealthyStep < 0 && !healthy(band, ratio)) {
                firstUnhealthyStep = d.step();
                firstUnhealthyTime = d.time();
                firstMessage = describe(d.step(), d.time(), band, ratio);
            }
        }
    }

    /**
     * What this check has seen, to be taken back by {@link #restore(State)} in a process that continues
     * after it (a pipeline resuming from its training window checkpoint).
     *
     * @param firstUnhealthyStep -1 while every sample was healthy (then the time is 0 and the message empty)
     */
    public record State(long samples, double worstBand, double worstRatio, long firstUnhealthyStep, double firstUnhealthyTime,
                        String firstMessage) {
    }

    public State state() {
        boolean ok = firstUnhealthyStep < 0;
        return new State(samples, worstBand, worstRatio, firstUnhealthyStep, ok ? 0 : firstUnhealthyTime, ok ? "" : firstMessage);
    }

    /** Takes back a {@link #state()} of the samples seen before (not reported again: that process warned). */
    public void restore(State s) {
        samples = s.samples();
        worstBand = s.worstBand();
        worstRatio = s.worstRatio();
        firstUnhealthyStep = s.firstUnhealthyStep();
        firstUnhealthyTime = s.firstUnhealthyStep() < 0 ? Double.NaN : s.firstUnhealthyTime();
        firstMessage = s.firstUnhealthyStep() < 0 ? null : s.firstMessage();
    }

    private boolean healthy(double band, double ratio) {
        return band <= bounds.maxBandFraction() && ratio <= bounds.maxCutoffRatio();
    }

    /** The message for a state past the bounds: what crossed, and what to do. */
    public String describe(long step, double time, double band, double ratio) {
        return String.format(Locale.ROOT, "unhealthy small scales at step %d (t = %.4g): %.1f%% of the kept enstrophy lies in"
                        + " the outer band of the dealiased box (bound %.1f%%) and E(k_c)/E(k_c/2) = %.3g (bound %.3g):"
                        + " grid-scale noise, or a flow the grid does not resolve; the fields near the cutoff are not to be"
                        + " trusted. Lower --cfl, use --stepper rk4 or ssprk3 (heun needs dissipation at k_max), raise --cs,"
                        + " --nu or N, or start from a lower --kp", step, time, 100 * band,
                100 * bounds.maxBandFraction(), ratio, bounds.maxCutoffRatio());
    }

    public boolean healthy() {
        return firstUnhealthyStep < 0;
    }

    /** The run's health for the metrics and the report. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("healthy", healthy());
        m.put("samples", samples);
        m.put("max_band_fraction", worstBand);
        m.put("max_cutoff_ratio", worstRatio);
        m.put("bounds", bounds);
        if (!healthy()) {
            m.put("first_unhealthy_step", firstUnhealthyStep);
            m.put("first_unhealthy_time", firstUnhealthyTime);
            m.put("message", firstMessage);
        }
        return m;
    }
}
