package dev.eddy.proxy;

import static org.junit.jupiter.api.Assertions.*;

import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.GpuContextTest;
import dev.eddy.gpu.TransferLedger;
import dev.eddy.numerics.Precision;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GpuSnapshotGram (snapshot_gram.comp, and snapshot_gram_wide.comp for float64 sums of float32 latents, both on
 * snapshot_gram.glsl) against SnapshotGram.compute (its Java twin SnapshotGramKernels_F64)
 * and SnapshotGramKernels_F32, on lavapipe: a column range of a device latent matrix, sizes that are not
 * multiples of the 16×16 tile, reruns, the ledger.
 */
@Tag("gpu-parity")
class SnapshotGramParityTest extends GpuContextTest {
    static final int D = 53; // rows: not a multiple of the 16-row chunk
    static final int COLUMNS = 45; // matrix columns
    static final int FROM = 3; // the Gram of columns [3, 3 + 37): 37 = 2·16 + 5
    static final int L = 37;

    /** Latents with a decaying spectrum, rounded to the precision the device stores them in. */
    static double[] latents(Precision p) {
        double[] z = DualRidgeTest.latents(D, COLUMNS, 6, 0.05, 101);
        if (p == Precision.FP32) {
            for (int k = 0; k < z.length; k++) {
                z[k] = (float) z[k];
            }
        }
        return z;
    }

    DeviceBuffer upload(double[] z, Precision p) {
        DeviceBuffer b = new DeviceBuffer(ctx, "test.latents", (long) z.length * p.bytes(), "test", DeviceBuffer.Movement.ONCE_AT_START);
        ctx.staging().uploadReals(b, z, p, "test");
        return b;
    }

    /** Float64 sums (any latent precision): the same bits as the host twin, on every rerun, symmetric. */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void float64SumsMatchTheHostBitForBit(Precision p) {
        Assumptions.assumeTrue(ctx.supports(Precision.FP64), "device has no float64");
        double[] z = latents(p);
        SnapshotGram want = SnapshotGram.compute(z, D, FROM, L, 2);
        try (DeviceBuffer matrix = upload(z, p); GpuSnapshotGram g = new GpuSnapshotGram(ctx, D, p)) {
            assertEquals(Precision.FP64, g.accumulatePrecision(), "float64 sums whenever the device has them");
            SnapshotGram got = g.compute(matrix, FROM, L);
            assertEquals(L, got.columns());
            assertArrayEquals(want.g(), got.g(), "G = ZᵀZ of columns [3, 40)");
            assertArrayEquals(got.g(), g.compute(matrix, FROM, L).g(), "a rerun gives the same bits");
            for (int a = 0; a < L; a++) {
                for (int b = 0; b < L; b++) {
                    assertEquals(got.get(a, b), got.get(b, a), "symmetric to the bit");
                }
            }
            // a smaller Gram after a larger one reuses the buffer; the entries are those of the larger one
            SnapshotGram sub = g.compute(matrix, FROM + 1, 5);
            for (int a = 0; a < 5; a++) {
                for (int b = 0; b < 5; b++) {
                    assertEquals(got.get(a + 1, b + 1), sub.get(a, b));
                }
            }
        }
        SnapshotGram oneThread = SnapshotGram.compute(z, D, FROM, L, 1);
        assertArrayEquals(want.g(), oneThread.g(), "the host twin does not depend on the thread count");
    }

    /** Float32 sums (the fallback without shaderFloat64): the bits of SnapshotGramKernels_F32, near the float64 Gram. */
    @Test
    void float32SumsMatchTheirJavaTwin() {
        double[] z = latents(Precision.FP32);
        float[] zf = new float[z.length];
        for (int k = 0; k < z.length; k++) {
            zf[k] = (float) z[k];
        }
        float[] want = new float[L * L];
        SnapshotGramKernels_F32.gram(zf, D, FROM, L, want, 0, L);
        SnapshotGram wide = SnapshotGram.compute(z, D, FROM, L, 1);
        try (DeviceBuffer matrix = upload(z, Precision.FP32); GpuSnapshotGram g = new GpuSnapshotGram(ctx, D, Precision.FP32, Precision.FP32)) {
            SnapshotGram got = g.compute(matrix, FROM, L);
            for (int k = 0; k < L * L; k++) {
                assertEquals(want[k], got.g()[k], "entry " + k);
            }
            double err = LinearSystems.maxAbsDiff(wide.g(), got.g()) / LinearSystems.maxAbs(wide.g());
            assertTrue(err > 0 && err < 1e-6, "float32 sums against float64 sums of the same latents: " + err);
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void onlyTheSmallGramCrossesAndBadInputsAreRefused(Precision p) {
        Assumptions.assumeTrue(ctx.supports(p), "device has no float64");
        double[] z = latents(p);
        try (DeviceBuffer matrix = upload(z, p); GpuSnapshotGram g = new GpuSnapshotGram(ctx, D, p)) {
            int acc = g.accumulatePrecision().bytes();
            TransferLedger ledger = ctx.ledger();
            long up = ledger.totalBytes(TransferLedger.Direction.HOST_TO_DEVICE);
            long down = ledger.totalBytes(TransferLedger.Direction.DEVICE_TO_HOST);
            g.compute(matrix, 0, COLUMNS);
            assertEquals(up, ledger.totalBytes(TransferLedger.Direction.HOST_TO_DEVICE), "nothing is uploaded");
            assertEquals(down + (long) COLUMNS * COLUMNS * acc, ledger.totalBytes(TransferLedger.Direction.DEVICE_TO_HOST),
                    "only the L×L Gram crosses, as declared");
            assertTrue(ledger.snapshot().stream().anyMatch(e -> "learn".equals(e.get("stage")) && "snapshot_gram.g".equals(e.get("buffer"))));
            var e = assertThrows(IllegalArgumentException.class, () -> g.compute(matrix, COLUMNS - 2, 3));
            assertTrue(e.getMessage().contains("holds " + COLUMNS + " columns"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> g.compute(matrix, 0, 0));
        }
        assertThrows(IllegalArgumentException.class, () -> new GpuSnapshotGram(ctx, D, Precision.FP64, Precision.FP32));
    }

    /** The device Gram feeds the dual learner: the same A as the host Gram, since it is the same bits. */
    @Test
    void theDeviceGramFeedsTheDualLearner() {
        Assumptions.assumeTrue(ctx.supports(Precision.FP64), "device has no float64");
        double[] z = latents(Precision.FP32);
        ProxySettings s = new ProxySettings(ProxySettings.AUTO, 0, 0.2);
        Snapshots snaps = Snapshots.sequence(z, D, COLUMNS, s.splitBeforeLatent(COLUMNS));
        try (DeviceBuffer matrix = upload(z, Precision.FP32); GpuSnapshotGram g = new GpuSnapshotGram(ctx, D, Precision.FP32)) {
            LinearProxy device = RidgeLearner.learn(snaps, g.compute(matrix, 0, COLUMNS), s);
            LinearProxy host = RidgeLearner.learn(snaps, null, s);
            assertEquals("dual", device.fit().get("form"));
            assertArrayEquals(host.factors().get().left(), device.factors().get().left());
            assertArrayEquals(host.factors().get().right(), device.factors().get().right());
        }
    }
}
