package dev.eddy.sim.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.TestConfigs;
import dev.eddy.config.Forcing;
import dev.eddy.config.Physics;
import dev.eddy.config.RunConfig;
import dev.eddy.config.TimeControl;
import dev.eddy.gpu.GpuTests;
import dev.eddy.gpu.TransferLedger;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.FlowDiagnostics;
import dev.eddy.sim.PendingSnapshot;
import dev.eddy.sim.Simulation;
import dev.eddy.sim.Simulations;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GPU LES against its CPU twin on lavapipe (small N: lavapipe is ~1000× slower than a GPU):
 * 50 steps, relative L2 of ω̂ under 1e-10 in float64 and 1e-4 in float32, for every stepper, with
 * and without the SGS model and forcing, fixed and adaptive dt. N = 32 runs the fused step (column
 * transforms and les_row_transform); N = 48, not a power of two, the 2D transforms.
 */
@Tag("gpu-parity")
class GpuLesParityTest {
    static GpuLes gpu(RunConfig c) {
        return GpuTests.open(() -> new GpuLes(TestConfigs.withBackend(c, "vulkan"), GpuTests.options()));
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(Precision.FP64, "heun", 0.17, 0.0, false, 32),
                Arguments.of(Precision.FP32, "heun", 0.17, 0.0, false, 32),
                Arguments.of(Precision.FP64, "rk4", 0.17, 0.0, false, 32),
                Arguments.of(Precision.FP64, "ssprk3", 0.17, 0.0, false, 32),
                Arguments.of(Precision.FP32, "ssprk3", 0.17, 1.0, true, 32),
                Arguments.of(Precision.FP64, "ssprk3", 0.17, 1.0, true, 32),
                Arguments.of(Precision.FP64, "heun", 0.0, 0.0, false, 32),
                Arguments.of(Precision.FP64, "heun", 0.17, 0.4, true, 32),
                Arguments.of(Precision.FP32, "heun", 0.17, 0.4, true, 32),
                Arguments.of(Precision.FP64, "rk4", 0.17, 0.0, false, 48),
                Arguments.of(Precision.FP32, "heun", 0.17, 0.4, true, 48));
    }

    static RunConfig config(Precision p, String stepper, double cs, double cfl, boolean forced) {
        return config(p, stepper, cs, cfl, forced, 32);
    }

    static RunConfig config(Precision p, String stepper, double cs, double cfl, boolean forced, int n) {
        RunConfig base = TestConfigs.les(n, p, 2e-3, cs, 0.02, stepper);
        base = TestConfigs.withOutput(base, base.output(), new TimeControl(50, 0, 0.02, cfl, stepper));
        if (forced) {
            base = TestConfigs.withPhysics(base, new Physics(2e-3, 0.05, cs), new Forcing(Forcing.Kind.KOLMOGOROV, 4, 0.5));
        }
        return base;
    }

    @ParameterizedTest(name = "{0} {1} cs={2} cfl={3} forced={4} N={5}")
    @MethodSource("cases")
    void fiftyStepsMatchTheCpu(Precision p, String stepper, double cs, double cfl, boolean forced, int n) {
        RunConfig c = config(p, stepper, cs, cfl, forced, n);
        double[] cpu;
        double cpuTime;
        FlowDiagnostics cpuDiag;
        double[] cpuOmega30;
        try (Simulation sim = Simulations.create(c)) {
            sim.advance(30, Double.POSITIVE_INFINITY);
            cpuOmega30 = sim.vorticity();
            sim.advance(20, Double.POSITIVE_INFINITY);
            cpu = sim.spectralState();
            cpuTime = sim.time();
            cpuDiag = sim.diagnostics();
        }
        try (GpuLes sim = gpu(c)) {
            sim.advance(30, Double.POSITIVE_INFINITY);
            PendingSnapshot at30 = sim.requestSnapshot(); // consumed only after the next 20 steps
            sim.advance(20, Double.POSITIVE_INFINITY);
            double[] gpu = sim.spectralState();
            double tol = p == Precision.FP64 ? 1e-10 : 1e-4;
            double err = TestConfigs.relL2(gpu, cpu);
            assertTrue(err < tol, "relative L2 GPU vs CPU after 50 steps: " + err);
            double snapErr = TestConfigs.relL2(at30.get().vorticity(), cpuOmega30);
            assertTrue(snapErr < tol, "relative L2 of ω, GPU snapshot of step 30 (read during steps 31-50) vs CPU: " + snapErr);
            assertEquals(50, sim.stepCount());
            assertEquals(cpuTime, sim.time(), cpuTime * (p == Precision.FP64 ? 1e-12 : 1e-5));
            assertDiagnosticsMatch(cpuDiag, sim.diagnostics(), p == Precision.FP64 ? 1e-10 : 1e-4);
        }
    }

    /**
     * Every diagnostic of the GPU against the CPU's, relative to its own size (the integrals, maxima and
     * health figures) or to the largest term of its budget (the budget terms: the transfer term is zero
     * up to round-off, so only its size against the others is meaningful).
     */
    static void assertDiagnosticsMatch(FlowDiagnostics want, FlowDiagnostics got, double tol) {
        double[][] pairs = {
                {want.energy(), got.energy()}, {want.enstrophy(), got.enstrophy()}, {want.palinstrophy(), got.palinstrophy()},
                {want.maxSpeed(), got.maxSpeed()}, {want.maxU(), got.maxU()}, {want.maxV(), got.maxV()},
                {want.bandFraction(), got.bandFraction()}, {want.cutoffRatio(), got.cutoffRatio()}};
        for (int i = 0; i < pairs.length; i++) {
            assertEquals(pairs[i][0], pairs[i][1], Math.abs(pairs[i][0]) * tol, "diagnostic " + i);
        }
        budgetMatches(want.energyBudget(), got.energyBudget(), tol, "energy");
        budgetMatches(want.enstrophyBudget(), got.enstrophyBudget(), tol, "enstrophy");
    }

    private static void budgetMatches(FlowDiagnostics.Budget want, FlowDiagnostics.Budget got, double tol, String what) {
        double[] w = {want.forcing(), want.viscous(), want.sgs(), want.drag(), want.transfer()};
        double[] g = {got.forcing(), got.viscous(), got.sgs(), got.drag(), got.transfer()};
        double scale = 0;
        for (double v : w) {
            scale = Math.max(scale, Math.abs(v));
        }
        assertTrue(scale > 0, what + " budget is empty");
        for (int i = 0; i < w.length; i++) {
            assertEquals(w[i], g[i], scale * tol, what + " budget term " + i);
        }
    }

    @Test
    void rerunsAreBitIdenticalAndTheLedgerHasNoPerStepTraffic() {
        RunConfig c = config(Precision.FP32, "heun", 0.17, 0.4, false);
        double[] first;
        try (GpuLes sim = gpu(c)) {
            TransferLedger ledger = sim.context().ledger();
            long upBefore = ledger.totalBytes(TransferLedger.Direction.HOST_TO_DEVICE);
            long downBefore = ledger.totalBytes(TransferLedger.Direction.DEVICE_TO_HOST);
            long copiesBefore = ledger.totalCopies();
            sim.advance(40, Double.POSITIVE_INFINITY);
            // one advance = the step program replayed 40 times + one read-back of the ring buffer
            assertEquals(upBefore, ledger.totalBytes(TransferLedger.Direction.HOST_TO_DEVICE), "no upload while stepping");
            assertEquals(copiesBefore + 1, ledger.totalCopies(), ledger.snapshot().toString());
            long ringBytes = ledger.totalBytes(TransferLedger.Direction.DEVICE_TO_HOST) - downBefore;
            assertEquals(8 + (long) GpuLesLayout.RING_ENTRY * GpuLes.RING_CAPACITY * 4, ringBytes);
            first = sim.spectralState();
        }
        try (GpuLes sim = gpu(c)) {
            sim.advance(40, Double.POSITIVE_INFINITY);
            assertArrayEquals(first, sim.spectralState(), 0.0, "a rerun must give the same bits");
        }
    }

    @Test
    void restartOnTheGpuContinuesBitForBit() {
        RunConfig c = config(Precision.FP64, "heun", 0.17, 0.4, false);
        double[] straight;
        double[] half;
        long step;
        double time;
        try (GpuLes sim = gpu(c)) {
            sim.advance(20, Double.POSITIVE_INFINITY);
            half = sim.spectralState();
            step = sim.stepCount();
            time = sim.time();
            sim.advance(20, Double.POSITIVE_INFINITY);
            straight = sim.spectralState();
        }
        try (GpuLes sim = gpu(c)) {
            sim.restore(half, step, time);
            sim.advance(20, Double.POSITIVE_INFINITY);
            assertArrayEquals(straight, sim.spectralState(), 0.0);
            assertEquals(40, sim.stepCount());
        }
    }

    @Test
    void endTimeClipsTheLastStepOnTheDevice() {
        RunConfig c = config(Precision.FP64, "heun", 0.17, 0.4, false);
        try (GpuLes sim = gpu(c)) {
            sim.advance(3, Double.POSITIVE_INFINITY);
            double t = sim.time();
            var info = sim.step(1e-3);
            assertEquals(1e-3, info.dt(), 0.0);
            assertEquals(t + 1e-3, sim.time(), 1e-15);
        }
    }

    @Test
    void theProfiledStepIsARealStepAndTimesEveryOperation() {
        RunConfig c = config(Precision.FP32, "heun", 0.17, 0.4, false);
        double[] plain;
        try (GpuLes sim = gpu(c)) {
            sim.advance(2, Double.POSITIVE_INFINITY);
            plain = sim.spectralState();
        }
        try (GpuLes sim = gpu(c)) {
            sim.advance(1, Double.POSITIVE_INFINITY);
            var profile = sim.profileStep();
            Assumptions.assumeFalse(profile.isEmpty(), "this device's queue has no timestamps");
            assertEquals(2, sim.stepCount());
            assertEquals("fused", sim.transforms(), "N = 32 takes the fused step");
            assertArrayEquals(plain, sim.spectralState(), 0.0, "the profiled recording must compute the same step");
            assertTrue(profile.containsKey("stage 1: VkFFT C2C y batch 6 (kept columns)") && profile.containsKey("stage 1: les_row_transform")
                    && profile.containsKey("stage 2: les_lawson_combine"), profile.keySet().toString());
            double sum = profile.entrySet().stream().filter(e -> !e.getKey().equals("total")).mapToDouble(Map.Entry::getValue).sum();
            assertEquals(profile.get("total"), sum, 1e-9 + 1e-9 * sum);
        }
    }

    @Test
    void theStateCrossesOncePerOutputStepAndIsFreshAfterEveryStep() {
        RunConfig c = config(Precision.FP64, "heun", 0.17, 0.4, false);
        try (GpuLes sim = gpu(c)) {
            sim.advance(5, Double.POSITIVE_INFINITY);
            var ledger = sim.context().ledger();
            long down = ledger.totalBytes(dev.eddy.gpu.TransferLedger.Direction.DEVICE_TO_HOST);
            double[] a = sim.spectralState();
            sim.vorticity();
            double[] b = sim.spectralState();
            assertArrayEquals(a, b, 0.0);
            long stateBytes = (long) sim.grid().fieldLength() * Precision.FP64.bytes();
            assertEquals(down + stateBytes, ledger.totalBytes(dev.eddy.gpu.TransferLedger.Direction.DEVICE_TO_HOST),
                    "ω̂ must cross once for a state read three times");
            a[0] = 12345; // callers get copies
            assertTrue(sim.spectralState()[0] != 12345);
            sim.advance(1, Double.POSITIVE_INFINITY);
            assertTrue(TestConfigs.relL2(sim.spectralState(), b) > 0, "after a step the state is read again");
        }
    }

    /** Read-backs of ω̂ through the ledger: stage → copies. */
    static long copies(GpuLes sim, String stage) {
        return sim.transfers().stream().filter(m -> m.get("stage").equals(stage)).mapToLong(m -> (Long) m.get("copies")).sum();
    }

    @Test
    void snapshotsReadWhileLaterStepsRunHoldTheirOwnStepBitForBit() {
        RunConfig c = config(Precision.FP64, "heun", 0.17, 0.4, false);
        double[][] sync = new double[3][];
        double[][] syncOmega = new double[3][];
        double[] syncTime = new double[3];
        try (GpuLes sim = gpu(c)) {
            for (int k = 0; k < 3; k++) {
                sim.advance(4, Double.POSITIVE_INFINITY);
                sync[k] = sim.spectralState();
                syncOmega[k] = sim.vorticity();
                syncTime[k] = sim.time();
            }
        }
        try (GpuLes sim = gpu(c)) {
            PendingSnapshot[] p = new PendingSnapshot[3];
            for (int k = 0; k < 3; k++) {
                sim.advance(4, Double.POSITIVE_INFINITY);
                p[k] = sim.requestSnapshot(); // three in flight on two staging buffers: none consumed yet
                assertTrue(p[k] == sim.requestSnapshot(), "a second request of the same state is the same snapshot");
            }
            sim.advance(4, Double.POSITIVE_INFINITY);
            for (int k = 0; k < 3; k++) {
                var s = p[k].get();
                assertEquals(4L * (k + 1), s.step());
                assertEquals(syncTime[k], s.time(), 0.0);
                assertArrayEquals(sync[k], s.spectralState(), 0.0, "snapshot " + k + " must be the state of its step");
                assertArrayEquals(syncOmega[k], s.vorticity(), 0.0, "snapshot " + k + ": ω as the synchronous read gives it");
            }
            assertEquals(3, copies(sim, "snapshot"), "each snapshot crosses once: " + sim.transfers());
            assertEquals(0, copies(sim, "state"));
            // a checkpoint's read of a state already requested as a snapshot moves nothing more
            PendingSnapshot now = sim.requestSnapshot();
            double[] state = sim.spectralState();
            assertArrayEquals(state, now.get().spectralState(), 0.0);
            assertEquals(4, copies(sim, "snapshot"));
            assertEquals(0, copies(sim, "state"), sim.transfers().toString());
            // and a snapshot of a state already read moves nothing either
            sim.advance(1, Double.POSITIVE_INFINITY);
            double[] read = sim.spectralState();
            assertArrayEquals(read, sim.requestSnapshot().get().spectralState(), 0.0);
            assertEquals(4, copies(sim, "snapshot"));
            assertEquals(1, copies(sim, "state"));
        }
    }
}
