package dev.eddy.proxy;

import static org.junit.jupiter.api.Assertions.*;

import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.GpuContextTest;
import dev.eddy.gpu.GpuTests;
import dev.eddy.gpu.Push;
import dev.eddy.gpu.StepProgram;
import dev.eddy.gpu.TransferLedger;
import dev.eddy.numerics.Precision;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GpuGram (gram_update.comp, and gram_update_wide.comp for float32 latents with float64 sums) against
 * CpuGram (its Java twin GramKernels_F64) and GramKernels_F32, on lavapipe: latents fed from a device
 * matrix in uneven chunks and from the host, a validation split, reruns, the ledger.
 */
@Tag("gpu-parity")
class GramParityTest extends GpuContextTest {
    static final int D = 37; // not a multiple of the 16×16 tile
    static final int M = 40; // latents: 39 pairs
    static final int SPLIT = 25; // split() before latent 25: the pairs from (z24, z25) on are held out

    /** Latents of a noisy linear system, rounded to the precision the device stores them in. */
    static double[][] latents(Precision p) {
        double[] a = LinearSystems.operator(D, D, 0.7, 0.95, 81);
        Random random = new Random(82);
        double[][] z = LinearSystems.trajectory(a, D, LinearSystems.gaussian(D, random), M - 1, 0.1, random);
        if (p == Precision.FP32) {
            for (double[] col : z) {
                for (int i = 0; i < D; i++) {
                    col[i] = (float) col[i];
                }
            }
        }
        return z;
    }

    /**
     * Latents 0..24 from a device matrix in chunks of 20 (19 pairs in one dispatch: more than one 16-pair
     * chunk of the shader), 1 and 4; split; 25..28 from the host; 29..39 from the device.
     */
    static List<Gram> gpuBlocks(GpuGram g, DeviceBuffer matrix, double[][] z) {
        g.addColumns(matrix, 0, 20);
        g.addColumns(matrix, 20, 1);
        g.addColumns(matrix, 21, 4);
        g.split();
        for (int c = 25; c < 29; c++) {
            g.add(z[c]);
        }
        g.addColumns(matrix, 29, 11);
        return g.blocks();
    }

    static List<Gram> cpuBlocks(double[][] z) {
        try (CpuGram c = new CpuGram(D, 2)) {
            for (int t = 0; t < z.length; t++) {
                if (t == SPLIT) {
                    c.split();
                }
                c.add(z[t]);
            }
            return c.blocks();
        }
    }

    DeviceBuffer upload(double[][] z, Precision p) {
        DeviceBuffer b = new DeviceBuffer(ctx, "test.latents", (long) D * M * p.bytes(), "test", DeviceBuffer.Movement.ONCE_AT_START);
        ctx.staging().uploadReals(b, LinearSystems.columns(z), p, "test");
        return b;
    }

    /** Float64 sums (any latent precision): the same bits as the host, on every rerun. */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void float64SumsMatchTheHostBitForBitAndRerunsAreIdentical(Precision p) {
        GpuTests.needs(ctx, Precision.FP64);
        double[][] z = latents(p);
        List<Gram> want = cpuBlocks(z);
        try (DeviceBuffer matrix = upload(z, p)) {
            List<Gram> first;
            try (GpuGram g = new GpuGram(ctx, D, p)) {
                assertEquals(Precision.FP64, g.accumulatePrecision(), "float64 sums whenever the device has them");
                first = gpuBlocks(g, matrix, z);
                assertEquals(M - 1, g.pairs());
            }
            List<Gram> second;
            try (GpuGram g = new GpuGram(ctx, D, p)) {
                second = gpuBlocks(g, matrix, z);
            }
            assertEquals(2, first.size());
            for (int b = 0; b < 2; b++) {
                assertEquals(want.get(b).pairs(), first.get(b).pairs(), "pairs of block " + b);
                assertArrayEquals(want.get(b).xx(), first.get(b).xx(), "X Xᵀ of block " + b);
                assertArrayEquals(want.get(b).yx(), first.get(b).yx(), "Y Xᵀ of block " + b);
                assertEquals(want.get(b).yy(), first.get(b).yy(), "Σ|y|² of block " + b);
                assertArrayEquals(first.get(b).xx(), second.get(b).xx(), "rerun, block " + b);
                assertArrayEquals(first.get(b).yx(), second.get(b).yx(), "rerun, block " + b);
            }
            assertEquals(SPLIT - 1, first.get(0).pairs());
            assertEquals(M - SPLIT, first.get(1).pairs());
        }
    }

    /**
     * gram_update_wide, dispatched directly, against its Java twin GramKernels_F64.update on the same
     * float32 latents: the same bits, for a first dispatch that overwrites the sums and a second that adds
     * to them from a pair range starting mid-matrix.
     */
    @Test
    void gramUpdateWideSumsFloat32LatentsInFloat64LikeGramKernels_F64() {
        GpuTests.needs(ctx, Precision.FP64);
        double[][] z = latents(Precision.FP32);
        double[] cols = LinearSystems.columns(z);
        int first = 20; // pairs (z0, z1) … (z19, z20), then (z20, z21) … (z38, z39)
        double[] xx = new double[D * D];
        double[] yx = new double[D * D];
        double[] yy = new double[D];
        GramKernels_F64.update(cols, 0, cols, 1, D, first, true, xx, yx, yy, 0, D);
        GramKernels_F64.update(cols, first, cols, first + 1, D, M - 1 - first, false, xx, yx, yy, 0, D);
        long matrix = (long) D * D * Precision.FP64.bytes();
        try (DeviceBuffer latents = upload(z, Precision.FP32);
             DeviceBuffer gxx = new DeviceBuffer(ctx, "test.xx", matrix, "test", DeviceBuffer.Movement.ON_DEMAND);
             DeviceBuffer gyx = new DeviceBuffer(ctx, "test.yx", matrix, "test", DeviceBuffer.Movement.ON_DEMAND);
             DeviceBuffer gyy = new DeviceBuffer(ctx, "test.yy", (long) D * Precision.FP64.bytes(), "test", DeviceBuffer.Movement.ON_DEMAND);
             ComputeKernel k = new ComputeKernel(ctx, "gram_update_wide", Precision.FP64, 5, GpuGram.PUSH_BYTES)) {
            var binding = k.bind(latents, latents, gxx, gyx, gyy);
            int groups = Math.ceilDiv(D, GpuGram.TILE);
            try (StepProgram p = StepProgram.builder(ctx, "gram-wide")
                    .dispatch(binding, Push.of(Precision.FP64).i(D).i(0).i(1).i(first).i(1).build(), groups, groups, 1).barrier()
                    .dispatch(binding, Push.of(Precision.FP64).i(D).i(first).i(first + 1).i(M - 1 - first).i(0).build(), groups, groups, 1)
                    .freeze()) {
                p.run();
            }
            assertArrayEquals(xx, download(gxx, D * D), "X Xᵀ");
            assertArrayEquals(yx, download(gyx, D * D), "Y Xᵀ");
            assertArrayEquals(yy, download(gyy, D), "row sums of y²");
        }
    }

    double[] download(DeviceBuffer b, int count) {
        double[] out = new double[count];
        ctx.staging().downloadReals(b, out, Precision.FP64, "test");
        return out;
    }

    /** Float32 sums (the fallback without shaderFloat64): the bits of GramKernels_F32, near the float64 Gram. */
    @Test
    void float32SumsMatchTheirJavaTwin() {
        double[][] z = latents(Precision.FP32);
        float[] zf = new float[D * M];
        double[] cols = LinearSystems.columns(z);
        for (int k = 0; k < zf.length; k++) {
            zf[k] = (float) cols[k];
        }
        int[][] ranges = {{0, SPLIT - 1}, {SPLIT - 1, M - 1}}; // pairs [from, to) of each block
        List<Gram> wide = cpuBlocks(z);
        try (DeviceBuffer matrix = upload(z, Precision.FP32); GpuGram g = new GpuGram(ctx, D, Precision.FP32, Precision.FP32)) {
            List<Gram> got = gpuBlocks(g, matrix, z);
            for (int b = 0; b < 2; b++) {
                int pairs = ranges[b][1] - ranges[b][0];
                float[] xx = new float[D * D];
                float[] yx = new float[D * D];
                float[] yy = new float[D];
                GramKernels_F32.update(zf, ranges[b][0], zf, ranges[b][0] + 1, D, pairs, true, xx, yx, yy, 0, D);
                for (int k = 0; k < D * D; k++) {
                    assertEquals(xx[k], got.get(b).xx()[k], "X Xᵀ entry " + k + " of block " + b);
                    assertEquals(yx[k], got.get(b).yx()[k], "Y Xᵀ entry " + k + " of block " + b);
                }
                double scale = LinearSystems.maxAbs(wide.get(b).xx());
                double err = LinearSystems.maxAbsDiff(wide.get(b).xx(), got.get(b).xx()) / scale;
                assertTrue(err > 0 && err < 1e-6, "float32 sums against float64 sums of the same latents: " + err);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void onlyHostLatentsAndTheFinalGramsCrossAndBadInputsAreRefused(Precision p) {
        GpuTests.needs(ctx, p);
        double[][] z = latents(p);
        try (DeviceBuffer matrix = upload(z, p); GpuGram g = new GpuGram(ctx, D, p)) {
            int acc = g.accumulatePrecision().bytes();
            TransferLedger ledger = ctx.ledger();
            long up = ledger.totalBytes(TransferLedger.Direction.HOST_TO_DEVICE);
            long down = ledger.totalBytes(TransferLedger.Direction.DEVICE_TO_HOST);
            g.addColumns(matrix, 0, M);
            assertEquals(up, ledger.totalBytes(TransferLedger.Direction.HOST_TO_DEVICE), "addColumns uploads nothing");
            assertEquals(down, ledger.totalBytes(TransferLedger.Direction.DEVICE_TO_HOST), "addColumns reads nothing back");
            g.add(z[0]);
            assertEquals(up + (long) D * p.bytes(), ledger.totalBytes(TransferLedger.Direction.HOST_TO_DEVICE), "add uploads one latent");
            g.gram();
            assertEquals(down + 2L * D * D * acc + (long) D * acc, ledger.totalBytes(TransferLedger.Direction.DEVICE_TO_HOST),
                    "the Grams cross once, as declared");
            assertTrue(ledger.snapshot().stream().anyMatch(e -> "learn".equals(e.get("stage")) && "gram.xx.0".equals(e.get("buffer"))));

            var e = assertThrows(IllegalArgumentException.class, () -> g.addColumns(matrix, M - 2, 3));
            assertTrue(e.getMessage().contains("holds " + M + " columns"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> g.add(new double[D + 1]));
            assertThrows(IllegalArgumentException.class, () -> g.addColumns(matrix, 0, 0));
        }
    }
}
