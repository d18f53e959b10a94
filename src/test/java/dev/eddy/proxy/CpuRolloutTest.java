package dev.eddy.proxy;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The host GEMV rollout's blocked, multithreaded loops keep the shader's summation order: against the
 * shader's order written one invocation at a time (the previous CpuRollout loop), bit for bit, in float64
 * and float32, for d below, at and above the workgroup size, batch 1 and 3, one and two threads.
 */
@Tag("fast")
class CpuRolloutTest {
    /**
     * rollout_gemv.comp one invocation at a time: partial[t] over j = t, t + 256, …, then the tree; every
     * product and sum rounded by {@code round} (identity for float64; to float for float32, which gives the
     * float32 operation's bits: float products are exact in double, and double rounding of a sum is
     * innocuous since 53 ≥ 2·24 + 2).
     */
    static double[] shaderOrder(double[] a, int d, double[] z, DoubleUnaryOperator round) {
        double[] out = new double[d];
        double[] partial = new double[RolloutKernels_F64.LOCAL_SIZE];
        for (int i = 0; i < d; i++) {
            for (int t = 0; t < partial.length; t++) {
                double acc = 0;
                for (int j = t; j < d; j += partial.length) {
                    acc = round.applyAsDouble(acc + round.applyAsDouble(a[i * d + j] * z[j]));
                }
                partial[t] = acc;
            }
            for (int s = partial.length / 2; s > 0; s >>= 1) {
                for (int t = 0; t < s; t++) {
                    partial[t] = round.applyAsDouble(partial[t] + partial[t + s]);
                }
            }
            out[i] = partial[0];
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 45, 256, 257, 650})
    void theBlockedLoopKeepsTheShadersOrder(int d) {
        Random random = new Random(d);
        double[] a = random.doubles((long) d * d, -1, 1).toArray();
        int batch = 3;
        int steps = 4;
        double[] z0 = random.doubles((long) d * batch, -1, 1).toArray();
        try (CpuRollout_F64 one = new CpuRollout_F64(d, batch, 1); CpuRollout_F64 two = new CpuRollout_F64(d, batch, 2);
             CpuRollout_F32 f32 = new CpuRollout_F32(d, batch, 2)) {
            double[] got = two.run(a, z0, steps);
            assertArrayEquals(got, one.run(a, z0, steps), "threads do not change the bits");
            double[] got32 = f32.run(a, z0, steps);
            DoubleUnaryOperator toFloat = x -> (float) x;
            double[] af = a.clone();
            for (int k = 0; k < a.length; k++) {
                af[k] = (float) a[k];
            }
            for (int b = 0; b < batch; b++) {
                double[] z = java.util.Arrays.copyOfRange(z0, b * d, (b + 1) * d);
                double[] zf = z.clone();
                for (int i = 0; i < d; i++) {
                    zf[i] = (float) z[i];
                }
                for (int t = 0; t < steps; t++) {
                    z = shaderOrder(a, d, z, x -> x);
                    zf = shaderOrder(af, d, zf, toFloat);
                    int col = (b * (steps + 1) + t + 1) * d;
                    assertArrayEquals(z, java.util.Arrays.copyOfRange(got, col, col + d), "fp64 trajectory " + b + " step " + (t + 1));
                    assertArrayEquals(zf, java.util.Arrays.copyOfRange(got32, col, col + d), "fp32 trajectory " + b + " step " + (t + 1));
                }
            }
        }
    }
}
