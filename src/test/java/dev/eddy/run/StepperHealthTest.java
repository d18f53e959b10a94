package dev.eddy.run;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.config.ConfigLoader;
import dev.eddy.config.HealthBounds;
import dev.eddy.config.RunConfig;
import dev.eddy.config.TimeControl;
import dev.eddy.sim.BudgetClosure;
import dev.eddy.sim.DiagnosticSample;
import dev.eddy.sim.UnhealthyRunException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test that would have caught the unstable default: a developed Kolmogorov-forced LES at 96²
 * (the kolmogorov-256 preset's physics, initial peak at k = 4) run to t = 16 on the CPU. With the default
 * stepper and Courant number it passes the health bounds at every sample (measured: at most 1.3% of the
 * enstrophy in the outer band, E(k_c)/E(k_c/2) ≤ 0.075) and its enstrophy budget closes (residual 3e-4).
 * With Heun at C = 1.5 (about the old default, Heun at 0.5·Δ/max|u|) grid-scale noise grows past both
 * bounds (7.9% and 0.38) and the integrator itself injects enstrophy: the budget misses by 9%.
 */
@Tag("physics")
class StepperHealthTest {

    static RunConfig forced(String stepper, double cfl, boolean strict) {
        RunConfig c = new ConfigLoader().preset("kolmogorov-256").set("n", 96).set("initial.kp", 4).set("threads", 2).build();
        return new RunConfig(c.n(), c.precision(), c.backend(), c.physics(), c.forcing(), c.initial(),
                new TimeControl(0, 16, 0.01, cfl, stepper), new dev.eddy.config.OutputSchedule(0, 20, 0), c.threads(),
                new HealthBounds(HealthBounds.DEFAULTS.maxBandFraction(), HealthBounds.DEFAULTS.maxCutoffRatio(), strict));
    }

    static List<DiagnosticSample> run(RunConfig c, Path dir) throws IOException {
        return new LesRun(c, new LesRun.Options(dir, false, null, s -> { })).run().diagnostics();
    }

    static double max(List<DiagnosticSample> d, java.util.function.ToDoubleFunction<DiagnosticSample> f) {
        return d.stream().mapToDouble(f).max().orElseThrow();
    }

    @Test
    void theDefaultStepperKeepsADevelopedForcedRunHealthy(@TempDir Path tmp) throws IOException {
        assertHealthyToTheEnd(run(forced(TimeControl.DEFAULT_STEPPER, TimeControl.DEFAULT_CFL, true), tmp.resolve("default")),
                "default stepper");
    }

    /** Every sample within the health bounds, the enstrophy budget closed, the run at its end time. */
    static void assertHealthyToTheEnd(List<DiagnosticSample> d, String what) {
        double band = max(d, s -> s.flow().bandFraction());
        double ratio = max(d, s -> s.flow().cutoffRatio());
        assertTrue(band < HealthBounds.DEFAULTS.maxBandFraction() && ratio < HealthBounds.DEFAULTS.maxCutoffRatio(),
                what + ": outer-band enstrophy " + band + ", E(k_c)/E(k_c/2) " + ratio);
        double closure = BudgetClosure.enstrophy(d).relative();
        assertTrue(closure < 1e-3, what + ": the enstrophy budget closes with a stable step: residual " + closure);
        assertTrue(d.getLast().time() > 15.9, what + ": ran to t = " + d.getLast().time());
    }

    /**
     * The same developed forced run on the GPU at 64², which takes the fused step (column transforms and
     * les_row_transform, planning/les-speed.md §5), in float32 as users run it: healthy at every sample, its
     * enstrophy budget closed, to t = 16 (about 350 steps: long enough for a transform defect to show as grid-scale
     * noise or a budget that does not close).
     */
    @Test
    void theFusedGpuStepKeepsADevelopedForcedRunHealthy(@TempDir Path tmp) throws IOException {
        dev.eddy.gpu.GpuTests.needsDevice();
        RunConfig cpu = forced(TimeControl.DEFAULT_STEPPER, TimeControl.DEFAULT_CFL, true);
        RunConfig gpu = new RunConfig(64, dev.eddy.numerics.Precision.FP32, dev.eddy.config.BackendKind.parse("vulkan"), cpu.physics(),
                cpu.forcing(), cpu.initial(), cpu.time(), cpu.output(), cpu.threads(), cpu.health());
        assertHealthyToTheEnd(run(gpu, tmp.resolve("gpu")), "fused GPU step");
    }

    @Test
    void heunAtTheOldDefaultStepGrowsGridScaleNoise(@TempDir Path tmp) throws IOException {
        List<DiagnosticSample> d = run(forced("heun", 1.5, false), tmp.resolve("heun"));
        double band = max(d, s -> s.flow().bandFraction());
        double ratio = max(d, s -> s.flow().cutoffRatio());
        assertTrue(band > 1.2 * HealthBounds.DEFAULTS.maxBandFraction() && ratio > 1.5 * HealthBounds.DEFAULTS.maxCutoffRatio(),
                "Heun at C = 1.5: outer-band enstrophy " + band + ", E(k_c)/E(k_c/2) " + ratio);
        assertTrue(BudgetClosure.enstrophy(d).relative() > 0.03,
                "the integrator injects enstrophy: residual " + BudgetClosure.enstrophy(d).relative());
        UnhealthyRunException e = assertThrows(UnhealthyRunException.class,
                () -> run(forced("heun", 1.5, true), tmp.resolve("strict")));
        assertTrue(e.getMessage().contains("--strict") && e.getMessage().contains("outer band"), e.getMessage());
    }
}
