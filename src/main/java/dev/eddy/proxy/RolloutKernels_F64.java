package dev.eddy.proxy;

/**
 * One proxy step as Java loops. {@link #gemv} is the specification of src/main/glsl/proxy/rollout_gemv.comp,
 * in its summation order; {@link #accumulate} is the per-element math of both (the GLSL function of the
 * same name). {@link #project} and {@link #expand} apply A in factors (A = L Rᵀ, {@link OperatorFactors})
 * on the host; they have no shader. The float32 twin RolloutKernels_F32 is generated (build/GenerateF32.java).
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
     *
     * <p>The loops run over j in blocks of LOCAL_SIZE with t innermost (partial[t] += a[i·d + j0 + t]·z[j0 + t]),
     * so the row of A and the state are read contiguously and the loop vectorises, while each partial still
     * adds its terms in the shader's order: the same bits as the one-invocation-at-a-time loop.
     */
    public static void gemv(double[] a, int d, double[] z, int in, int out, double[] partial, int from, int to) {
        for (int i = from; i < to; i++) {
            gemvRow(a, i * d, d, z, in, partial);
            z[out + i] = partial[0];
        }
    }

    /**
     * The rectangular GEMV of a proxy step in factors (rollout_factors.comp): for the rows i in [from, to) of
     * the row-major rows×cols matrix {@code m} and each of {@code batch} vectors,
     * out[outOffset + b·outStride + i] = Σ_j m[i·cols + j]·in[inOffset + b·inStride + j], summed as
     * {@link #gemv} sums a row. {@code partial} is scratch of LOCAL_SIZE values.
     */
    public static void factorGemv(double[] m, int cols, double[] in, int inOffset, int inStride, double[] out, int outOffset,
                                  int outStride, int batch, double[] partial, int from, int to) {
        for (int i = from; i < to; i++) {
            for (int b = 0; b < batch; b++) {
                gemvRow(m, i * cols, cols, in, inOffset + b * inStride, partial);
                out[outOffset + b * outStride + i] = partial[0];
            }
        }
    }

    /** One row of {@link #gemv}: leaves the row's sum in partial[0]. */
    static void gemvRow(double[] a, int row, int d, double[] z, int in, double[] partial) {
        int first = Math.min(d, LOCAL_SIZE);
        for (int t = 0; t < first; t++) {
            partial[t] = accumulate((double) 0, a[row + t], z[in + t]);
        }
        for (int t = first; t < LOCAL_SIZE; t++) {
            partial[t] = (double) 0;
        }
        for (int j0 = LOCAL_SIZE; j0 < d; j0 += LOCAL_SIZE) {
            int n = Math.min(LOCAL_SIZE, d - j0);
            int aj = row + j0;
            int zj = in + j0;
            for (int t = 0; t < n; t++) {
                partial[t] = accumulate(partial[t], a[aj + t], z[zj + t]);
            }
        }
        for (int s = LOCAL_SIZE / 2; s > 0; s >>= 1) {
            for (int t = 0; t < s; t++) {
                partial[t] = partial[t] + partial[t + s];
            }
        }
    }

    /**
     * u[uAt + b] = Σ_i x[b·d + i]·v[vIn + i] for the columns b in [from, to) of the column-major d×m matrix x
     * (sum in index order): the first factor of A v = Z_Y (C (Z_Xᵀ v)).
     */
    public static void project(double[] x, int d, double[] v, int vIn, double[] u, int uAt, int from, int to) {
        for (int b = from; b < to; b++) {
            int col = b * d;
            double s = (double) 0;
            for (int i = 0; i < d; i++) {
                s = accumulate(s, x[col + i], v[vIn + i]);
            }
            u[uAt + b] = s;
        }
    }

    /**
     * z[out + i] = Σ_a y[a·d + i]·w[wAt + a] for the rows i in [from, to) of the column-major d×m matrix y (sum in
     * increasing a; the loop over a is outside, so each column is read contiguously).
     */
    public static void expand(double[] y, int d, int m, double[] w, int wAt, double[] z, int out, int from, int to) {
        for (int i = from; i < to; i++) {
            z[out + i] = (double) 0;
        }
        for (int a = 0; a < m; a++) {
            int col = a * d;
            double wa = w[wAt + a];
            for (int i = from; i < to; i++) {
                z[out + i] = accumulate(z[out + i], y[col + i], wa);
            }
        }
    }
}
