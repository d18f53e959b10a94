package dev.eddy.proxy;

/**
 * The Gram of a latent matrix's columns, G = ZᵀZ, as a Java loop: the specification of
 * src/main/glsl/proxy/snapshot_gram.glsl and the kernel {@link SnapshotGram#compute} runs on the host.
 * {@link #accumulate} is the per-element math of both (the GLSL function of the same name). The float32
 * twin SnapshotGramKernels_F32 is generated (build/GenerateF32.java); it is the reference for
 * snapshot_gram_f32.spv, the variant for devices without shaderFloat64. Float32 latents with float64
 * sums (snapshot_gram_wide) are this class on float-valued doubles: the product of two floats is exact
 * in double, so the sums agree to the bit.
 */
public final class SnapshotGramKernels_F64 {
    private SnapshotGramKernels_F64() {
    }

    /** acc + a·b, rounded after the product and after the sum (the shader declares it precise: no FMA). */
    public static double accumulate(double acc, double a, double b) {
        return acc + a * b;
    }

    /**
     * For the rows a in [rowFrom, rowTo) and every b in [a, columns): g[a·columns + b] = g[b·columns + a] =
     * Σ_i z_a[i]·z_b[i] with z_c the column {@code from} + c of {@code z} (column-major, d reals a column),
     * summed over i = 0 … d−1 in increasing order in one accumulator, as each invocation of the shader
     * does. The shader computes G[b][a] itself, as Σ_i z_b[i]·z_a[i]: the same products in the same order,
     * so the same bits, and the host does half the work. Four columns b are summed side by side
     * (independent accumulators, each in the same order) so the loop keeps the core busy without changing
     * a bit.
     */
    public static void gram(double[] z, int d, int from, int columns, double[] g, int rowFrom, int rowTo) {
        for (int a = rowFrom; a < rowTo; a++) {
            int za = (from + a) * d;
            int b = a;
            for (; b + 4 <= columns; b += 4) {
                int z0 = (from + b) * d;
                int z1 = z0 + d;
                int z2 = z1 + d;
                int z3 = z2 + d;
                double s0 = (double) 0;
                double s1 = (double) 0;
                double s2 = (double) 0;
                double s3 = (double) 0;
                for (int i = 0; i < d; i++) {
                    double x = z[za + i];
                    s0 = accumulate(s0, x, z[z0 + i]);
                    s1 = accumulate(s1, x, z[z1 + i]);
                    s2 = accumulate(s2, x, z[z2 + i]);
                    s3 = accumulate(s3, x, z[z3 + i]);
                }
                g[a * columns + b] = s0;
                g[a * columns + b + 1] = s1;
                g[a * columns + b + 2] = s2;
                g[a * columns + b + 3] = s3;
                g[b * columns + a] = s0;
                g[(b + 1) * columns + a] = s1;
                g[(b + 2) * columns + a] = s2;
                g[(b + 3) * columns + a] = s3;
            }
            for (; b < columns; b++) {
                int zb = (from + b) * d;
                double s = (double) 0;
                for (int i = 0; i < d; i++) {
                    s = accumulate(s, z[za + i], z[zb + i]);
                }
                g[a * columns + b] = s;
                g[b * columns + a] = s;
            }
        }
    }
}
