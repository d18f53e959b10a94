package dev.eddy.proxy;

/**
 * One proxy step as a Java loop: the specification of src/main/glsl/proxy/rollout_gemv.comp, in its
 * summation order. {@link #accumulate} is the per-element math of both (the GLSL function of the same
 * name). The float32 twin RolloutKernels_F32 is generated (build/GenerateF32.java).
 */
public final class RolloutKernels_F64 {
    /** Invocations per workgroup (local_size_x of rollout_gemv.comp): the shape of the reduction tree. */
    public static final int LOCAL_SIZE = 256;
    /** Trajectories one workgroup advances (BATCH_TILE in rollout_gemv.comp). */
    public static final int BATCH_TILE = 4;

    private RolloutKernels_F64() {
    }

    /** acc + a·x, rounded after the product and after the sum (the shader declares it precise: no FMA). */
    public static double accumulate(double acc, double a, double x) {
        return acc + a * x;
    }

    /**
     * z[out + i] = Σ_j a[i·d + j]·z[in + j] for the rows i in [from, to), summed as the shader's workgroup
     * does: partial[t] over j = t, t + LOCAL_SIZE, … (increasing j), then the partials in a fixed tree
     * (stride LOCAL_SIZE/2, …, 1). {@code partial} is scratch of LOCAL_SIZE values.
     */
    public static void gemv(double[] a, int d, double[] z, int in, int out, double[] partial, int from, int to) {
        for (int i = from; i < to; i++) {
            int row = i * d;
            for (int t = 0; t < LOCAL_SIZE; t++) {
                double acc = (double) 0;
                for (int j = t; j < d; j += LOCAL_SIZE) {
                    acc = accumulate(acc, a[row + j], z[in + j]);
                }
                partial[t] = acc;
            }
            for (int s = LOCAL_SIZE / 2; s > 0; s >>= 1) {
                for (int t = 0; t < s; t++) {
                    partial[t] = partial[t] + partial[t + s];
                }
            }
            z[out + i] = partial[0];
        }
    }
}
