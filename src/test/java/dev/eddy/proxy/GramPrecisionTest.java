package dev.eddy.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.TestConfigs;
import dev.eddy.codec.CodecSettings;
import dev.eddy.codec.Codecs;
import dev.eddy.codec.SnapshotCodec;
import dev.eddy.config.ConfigException;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.GpuContextTest;
import dev.eddy.gpu.GpuTests;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.Simulation;
import dev.eddy.sim.Simulations;
import java.util.Arrays;
import java.util.Objects;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Why GpuGram sums float32 latents in float64 (gram_update_wide; planning/proxy.md, "Gram precision",
 * measured in planning/benchmarks/proxy-gram-precision-lavapipe.txt): on the float32 latents of a real
 * LES, float32 sums are within float32 rounding of the float64 ones, yet X Xᵀ is so ill-conditioned that
 * they make the small ridge shifts indefinite and learn an operator that predicts held-out latents worse.
 * The float32 sums are the bits of GramKernels_F32 on any device (GramParityTest), so this is not a
 * property of lavapipe.
 */
@Tag("gpu-parity")
class GramPrecisionTest extends GpuContextTest {
    static final int N = 32;
    static final int SNAPSHOTS = 121;
    static final int STRIDE = 4;

    /** The latents (d × SNAPSHOTS, column-major) of a decaying fp32 CPU LES at N = 32, through the fp32 codec. */
    static double[] lesLatents(CodecSettings cs) {
        int d = cs.latentDimension();
        double[] z = new double[d * SNAPSHOTS];
        try (Simulation sim = Simulations.create(TestConfigs.les(N, Precision.FP32, 1e-3, 0.17, 0.01, "heun"));
             SnapshotCodec codec = TestConfigs.cpuCodec(cs, 0)) {
            for (int s = 0; s < SNAPSHOTS; s++) {
                if (s > 0) {
                    sim.advance(STRIDE, Double.POSITIVE_INFINITY);
                }
                System.arraycopy(codec.encode(sim.vorticity()).z(), 0, z, s * d, d);
            }
        }
        return z;
    }

    /** The Gram of the pairs before latent {@code split} (the training block), summed on the device in {@code sums}. */
    Gram trainingGram(DeviceBuffer latents, int d, int split, Precision sums) {
        try (GpuGram g = new GpuGram(ctx, d, Precision.FP32, sums)) {
            g.addColumns(latents, 0, split);
            g.split();
            g.addColumns(latents, split, SNAPSHOTS - split);
            return g.blocks().get(0);
        }
    }

    /** The operator of relative ridge λ fitted on {@code train} alone, or null where the fit is refused. */
    static LinearProxy fit(Gram train, double lambdaRelative) {
        try {
            return RidgeLearner.learn(train, null, new ProxySettings(lambdaRelative, 0, 0));
        } catch (ConfigException e) {
            return null;
        }
    }

    /** ‖Y − A X‖_F / ‖Y‖_F over the pairs (z_t, z_t+1), t in [from, SNAPSHOTS − 1), in float64 on the host. */
    static double heldOutError(LinearProxy a, double[] z, int d, int from) {
        double num = 0;
        double den = 0;
        for (int t = from; t < SNAPSHOTS - 1; t++) {
            double[] ax = a.apply(Arrays.copyOfRange(z, t * d, (t + 1) * d));
            for (int i = 0; i < d; i++) {
                double y = z[(t + 1) * d + i];
                num += (y - ax[i]) * (y - ax[i]);
                den += y * y;
            }
        }
        return Math.sqrt(num / den);
    }

    /** The least held-out error over RidgeLearner's λ grid, of the fits that are not refused. */
    static double bestHeldOutError(Gram train, double[] z, int d, int from) {
        return Arrays.stream(RidgeLearner.LAMBDA_GRID).mapToObj(l -> fit(train, l)).filter(Objects::nonNull)
                .mapToDouble(a -> heldOutError(a, z, d, from)).min().orElse(Double.POSITIVE_INFINITY);
    }

    @Test
    void float64SumsOfLesLatentsAreExactWhileFloat32SumsRefuseSmallShiftsAndPredictWorse() {
        GpuTests.needs(ctx, Precision.FP64);
        CodecSettings cs = new CodecSettings(N, 4, 4, CodecSettings.DEFAULT_THETA, 0, false, Precision.FP32);
        int d = cs.latentDimension();
        double[] z = lesLatents(cs);
        int split = (int) new ProxySettings(ProxySettings.AUTO, 0, 0.2).splitBeforeLatent(SNAPSHOTS);
        Gram wide;
        Gram narrow;
        try (DeviceBuffer latents = new DeviceBuffer(ctx, "test.latents", (long) d * SNAPSHOTS * Precision.FP32.bytes(), "test",
                DeviceBuffer.Movement.ONCE_AT_START)) {
            ctx.staging().uploadReals(latents, z, Precision.FP32, "test");
            wide = trainingGram(latents, d, split, Precision.FP64);
            narrow = trainingGram(latents, d, split, Precision.FP32);
        }
        Gram exact;
        try (CpuGram host = new CpuGram(d, 2)) {
            for (int t = 0; t < split; t++) {
                host.add(Arrays.copyOfRange(z, t * d, (t + 1) * d)); // float32 values already: the codec is fp32
            }
            exact = host.gram();
        }
        assertArrayEquals(exact.xx(), wide.xx(), "float64 sums: the host's float64 X Xᵀ, bit for bit");
        assertArrayEquals(exact.yx(), wide.yx(), "float64 sums: the host's float64 Y Xᵀ, bit for bit");
        assertEquals(exact.yy(), wide.yy());

        double gramError = TestConfigs.relL2(narrow.xx(), wide.xx());
        assertTrue(gramError > 0 && gramError < 1e-5, "float32 sums are float32 rounding away from float64 sums: " + gramError);

        // measured: float32 sums are refused at every λ_rel ≤ 1e-6, float64 sums down to 1e-12
        double small = 1e-6;
        assertNotNull(fit(wide, small), "float64 sums keep X Xᵀ + λI positive definite at λ_rel = " + small);
        assertNull(fit(narrow, small), "float32 sums (relative error " + gramError + ") make X Xᵀ + λI indefinite at λ_rel = " + small);

        // measured: about half the held-out error (0.022 against 0.048 here; 0.115 against 0.170 at N = 64, 201 latents)
        double e64 = bestHeldOutError(wide, z, d, split);
        double e32 = bestHeldOutError(narrow, z, d, split);
        assertTrue(e64 < 0.8 * e32, "held-out error of the best operator: float64 sums " + e64 + ", float32 sums " + e32);
    }
}
