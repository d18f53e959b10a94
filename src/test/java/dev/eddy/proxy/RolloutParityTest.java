package dev.eddy.proxy;

import static org.junit.jupiter.api.Assertions.*;

import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.GpuContextTest;
import dev.eddy.gpu.GpuTests;
import dev.eddy.gpu.TransferLedger;
import dev.eddy.numerics.Precision;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * GpuRollout (rollout_gemv.comp) against CpuRollout_F64 / CpuRollout_F32 (its Java twin
 * RolloutKernels_F64/_F32) on lavapipe, over several steps, batch 1 and a batch larger than one
 * workgroup's tile; start from the host and from a device latent matrix; errors; ledger.
 */
@Tag("gpu-parity")
class RolloutParityTest extends GpuContextTest {
    static final int STEPS = 6;
    static final int MAX_STEPS = 8;

    static Stream<Arguments> cases() {
        // d = 45 < 256 invocations (most sum nothing), d = 300 > 256 (strided sums); batch 5 > BATCH_TILE = 4
        return Stream.of(Arguments.of(Precision.FP64, 45, 1), Arguments.of(Precision.FP64, 300, 5),
                Arguments.of(Precision.FP32, 300, 1), Arguments.of(Precision.FP32, 45, 5));
    }

    static LinearProxy proxy(int d, long seed) {
        return new LinearProxy(d, LinearSystems.operator(d, d, 0.8, 0.99, seed), 0, d, Map.of());
    }

    static double[] states(int d, int batch, long seed) {
        return new Random(seed).doubles((long) d * batch, -1, 1).toArray();
    }

    static double relativeError(double[] want, double[] got) {
        return LinearSystems.maxAbsDiff(want, got) / LinearSystems.maxAbs(want);
    }

    /** The expected trajectories in the rollout's layout with S = MAX_STEPS + 1 columns (the last ones unused). */
    static double[] expected(Precision p, double[] a, double[] z0, int d, int batch) {
        if (p == Precision.FP64) {
            try (CpuRollout_F64 r = new CpuRollout_F64(d, batch, 2)) {
                return r.run(a, z0, STEPS);
            }
        }
        try (CpuRollout_F32 r = new CpuRollout_F32(d, batch, 2)) {
            return r.run(a, z0, STEPS);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void severalStepsMatchTheJavaTwin(Precision p, int d, int batch) {
        GpuTests.needs(ctx, p);
        LinearProxy proxy = proxy(d, 91);
        double[] z0 = states(d, batch, 92);
        double[] want = expected(p, proxy.a(), z0, d, batch);
        double tolerance = p == Precision.FP64 ? 1e-12 : 1e-5;
        try (GpuRollout g = new GpuRollout(ctx, d, batch, MAX_STEPS, p)) {
            g.setOperator(proxy);
            g.start(z0);
            g.run(STEPS);
            double worst = 0;
            for (int b = 0; b < batch; b++) {
                double[] got = g.readColumns(g.column(b, 0), STEPS + 1);
                double[] w = java.util.Arrays.copyOfRange(want, b * (STEPS + 1) * d, (b + 1) * (STEPS + 1) * d);
                double err = relativeError(w, got);
                worst = Math.max(worst, err);
                assertTrue(err <= tolerance, p.label() + " trajectory " + b + ": relative error " + err);
                assertArrayEquals(w, got, p.label() + " trajectory " + b + ": the twin's bits (fixed order, no FMA)");
            }
            System.out.printf("rollout parity %s d=%d batch=%d: max relative error %.3g over %d steps%n", p.label(), d, batch, worst, STEPS);
            double[] first = g.readColumns(0, (MAX_STEPS + 1) * batch);
            g.run(STEPS);
            assertArrayEquals(first, g.readColumns(0, (MAX_STEPS + 1) * batch), "a rerun gives the same bits");
            assertTrue(g.deviceMillisPerStep().isPresent() == (ctx.timestampValidBits() > 0));
            g.deviceMillisPerStep().ifPresent(ms -> assertTrue(ms > 0, "device time per step " + ms));
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aStartFromADeviceLatentMatrixEqualsTheSameStartFromTheHost(Precision p, int d, int batch) {
        GpuTests.needs(ctx, p);
        int columns = batch + 3;
        double[] matrix = states(d, columns, 93);
        int from = 2;
        LinearProxy proxy = proxy(d, 94);
        try (DeviceBuffer latents = new DeviceBuffer(ctx, "test.latents", (long) d * columns * p.bytes(), "test", DeviceBuffer.Movement.ONCE_AT_START);
             GpuRollout g = new GpuRollout(ctx, d, batch, MAX_STEPS, p)) {
            ctx.staging().uploadReals(latents, matrix, p, "test");
            g.setOperator(proxy);
            long up = ctx.ledger().totalBytes(TransferLedger.Direction.HOST_TO_DEVICE);
            long down = ctx.ledger().totalBytes(TransferLedger.Direction.DEVICE_TO_HOST);
            g.start(latents, from);
            g.run(STEPS);
            assertEquals(up, ctx.ledger().totalBytes(TransferLedger.Direction.HOST_TO_DEVICE), "start and run upload nothing");
            assertEquals(down, ctx.ledger().totalBytes(TransferLedger.Direction.DEVICE_TO_HOST), "start and run read nothing back");
            double[] z0 = java.util.Arrays.copyOfRange(matrix, from * d, (from + batch) * d);
            double[] want = expected(p, proxy.a(), z0, d, batch);
            for (int b = 0; b < batch; b++) {
                double[] got = g.readColumns(g.column(b, 0), STEPS + 1);
                double[] w = java.util.Arrays.copyOfRange(want, b * (STEPS + 1) * d, (b + 1) * (STEPS + 1) * d);
                assertTrue(relativeError(w, got) <= (p == Precision.FP64 ? 1e-12 : 1e-5), "trajectory " + b);
            }
            assertEquals(down + (long) batch * (STEPS + 1) * d * p.bytes(), ctx.ledger().totalBytes(TransferLedger.Direction.DEVICE_TO_HOST),
                    "each read-back is declared and counted");
            assertTrue(ctx.ledger().snapshot().stream().anyMatch(e -> "rollout".equals(e.get("stage")) && "proxy.trajectory".equals(e.get("buffer"))));
        }
    }

    @Test
    void badUsesGiveClearErrors() {
        Precision p = Precision.FP32;
        int d = 16;
        try (GpuRollout g = new GpuRollout(ctx, d, 2, 4, p);
             DeviceBuffer small = new DeviceBuffer(ctx, "test.small", (long) d * 2 * p.bytes() - 1, "test", DeviceBuffer.Movement.NEVER)) {
            var e = assertThrows(IllegalArgumentException.class, () -> g.setOperator(proxy(d + 1, 1)));
            assertTrue(e.getMessage().contains("17×17") && e.getMessage().contains("d = 16"), e.getMessage());
            var s = assertThrows(IllegalStateException.class, () -> g.run(2));
            assertTrue(s.getMessage().contains("setOperator"), s.getMessage());
            g.setOperator(proxy(d, 1));
            s = assertThrows(IllegalStateException.class, () -> g.run(2));
            assertTrue(s.getMessage().contains("start"), s.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> g.start(small, 0));
            assertTrue(e.getMessage().contains("holds 1 columns") && e.getMessage().contains("[0, 2)"), e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> g.start(new double[d]));
            assertTrue(e.getMessage().contains("d·batch = 32"), e.getMessage());
            g.start(new double[2 * d]);
            e = assertThrows(IllegalArgumentException.class, () -> g.run(5));
            assertTrue(e.getMessage().contains("1..maxSteps = 4"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> g.run(0));
            assertThrows(IllegalArgumentException.class, () -> g.readColumns(9, 2));
        }
        try (CpuRollout_F64 c = new CpuRollout_F64(d, 1, 1)) {
            var e = assertThrows(IllegalArgumentException.class, () -> c.run(new double[(d + 1) * (d + 1)], new double[d], 3));
            assertTrue(e.getMessage().contains("d = 16"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> c.run(new double[d * d], new double[d], -1));
        }
        assertThrows(IllegalArgumentException.class, () -> new GpuRollout(ctx, 1000, 100, 100_000, p), "32-bit indexing");
    }

    /** The twin of a factored rollout: per step u = Rᵀ z_t, then z_{t+1} = L u, each by RolloutKernels.factorGemv. */
    static double[] expectedFactored(Precision p, OperatorFactors f, double[] z0, int d, int batch) {
        int r = f.m();
        int columns = MAX_STEPS + 1;
        double[] lRows = new double[d * r];
        for (int c = 0; c < r; c++) {
            for (int i = 0; i < d; i++) {
                lRows[i * r + c] = f.left()[c * d + i];
            }
        }
        double[] z = new double[batch * columns * d];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(z0, b * d, z, b * columns * d, d);
        }
        if (p == Precision.FP64) {
            double[] u = new double[r * batch];
            double[] partial = new double[RolloutKernels_F64.LOCAL_SIZE];
            for (int t = 0; t < STEPS; t++) {
                RolloutKernels_F64.factorGemv(f.right(), d, z, t * d, columns * d, u, 0, r, batch, partial, 0, r);
                RolloutKernels_F64.factorGemv(lRows, r, u, 0, r, z, (t + 1) * d, columns * d, batch, partial, 0, d);
            }
            return z;
        }
        float[] zf = new float[z.length];
        for (int i = 0; i < z.length; i++) {
            zf[i] = (float) z[i];
        }
        float[] rf = new float[d * r];
        float[] lf = new float[d * r];
        for (int i = 0; i < d * r; i++) {
            rf[i] = (float) f.right()[i];
            lf[i] = (float) lRows[i];
        }
        float[] u = new float[r * batch];
        float[] partial = new float[RolloutKernels_F32.LOCAL_SIZE];
        for (int t = 0; t < STEPS; t++) {
            RolloutKernels_F32.factorGemv(rf, d, zf, t * d, columns * d, u, 0, r, batch, partial, 0, r);
            RolloutKernels_F32.factorGemv(lf, r, u, 0, r, zf, (t + 1) * d, columns * d, batch, partial, 0, d);
        }
        double[] out = new double[zf.length];
        for (int i = 0; i < zf.length; i++) {
            out[i] = zf[i];
        }
        return out;
    }

    /**
     * A snapshot-form operator (A = L Rᵀ, r &lt; d/2) rolls out on the device as two rollout_factors.comp GEMVs a step:
     * the twin's bits, the explicit A's trajectory to rounding, and no d×d buffer on the device.
     */
    @ParameterizedTest
    @MethodSource("cases")
    void factoredOperatorsRollOutAsTheTwinsTwoGemvs(Precision p, int d, int batch) {
        GpuTests.needs(ctx, p);
        int r = Math.max(3, d / 15);
        Random random = new Random(93);
        double[] left = new double[d * r];
        double[] right = new double[d * r];
        for (int i = 0; i < d * r; i++) {
            left[i] = random.nextGaussian() / Math.sqrt(d);
            right[i] = random.nextGaussian() / Math.sqrt(d);
        }
        LinearProxy proxy = new LinearProxy(new OperatorFactors(d, left, right, r), 0, r, Map.of());
        assertTrue(proxy.factorsCheaper());
        double[] z0 = states(d, batch, 94);
        double[] want = expectedFactored(p, proxy.factors().get(), z0, d, batch);
        try (GpuRollout g = new GpuRollout(ctx, d, batch, MAX_STEPS, p)) {
            g.setOperator(proxy);
            assertEquals("factors", g.operatorForm());
            assertTrue(ctx.memoryMap().stream().noneMatch(m -> m.get("name").equals("proxy.A")), "no d×d buffer");
            g.start(z0);
            g.run(STEPS);
            int columns = MAX_STEPS + 1;
            double[] explicit = expected(p, proxy.a(), z0, d, batch);
            for (int b = 0; b < batch; b++) {
                double[] got = g.readColumns(g.column(b, 0), STEPS + 1);
                double[] w = java.util.Arrays.copyOfRange(want, b * columns * d, (b * columns + STEPS + 1) * d);
                assertArrayEquals(w, got, p.label() + " trajectory " + b + ": the twin's bits");
                double[] e = java.util.Arrays.copyOfRange(explicit, b * (STEPS + 1) * d, (b + 1) * (STEPS + 1) * d);
                assertTrue(relativeError(e, got) < (p == Precision.FP64 ? 1e-12 : 1e-5), "as the explicit A: " + relativeError(e, got));
            }
        }
    }
}
