package dev.eddy.proxy;

import dev.eddy.numerics.Parallel;

/**
 * out = L·R on the host in float64, blocked for the cache and split over row ranges: the products that
 * form the dual operator's factors and its explicit A (d·m² and d²·m multiply-adds). L is read through
 * strides (so a column-major latent block serves as the left factor without a copy), R is row-major.
 * Every out[i][j] adds its k terms in increasing k, so the result does not depend on the thread count.
 *
 * <p>Why not EJML's CommonOps_MT_DDRM here: it forms each entry as a dot product over the inner dimension,
 * which re-reads R across rows; measured on the 2-core dev VM, A = (Z_Y C) Z_Xᵀ at d = 4290, m = 999 took
 * 31.8 s with it (0.58 GMAC/s); planning/benchmarks/proxy-learn-devvm.txt has the figures with this class.
 */
final class HostGemm {
    /** Columns of out per block (a block of 4 rows × JB columns of out stays in L1). */
    private static final int JB = 256;
    /** Inner indices per block (a KB × JB tile of R, 128 kB, stays in L2 across the rows). */
    private static final int KB = 64;

    private HostGemm() {
    }

    /**
     * out[i·n + j] = Σ_k l[i·lRow + k·lCol]·r[k·n + j] for i &lt; rows, j &lt; n, k &lt; inner (out is overwritten).
     */
    static void multiply(double[] l, int lRow, int lCol, double[] r, int rows, int inner, int n, double[] out, Parallel parallel) {
        int rowBlocks = Math.ceilDiv(rows, 4);
        parallel.forRange(rowBlocks, (from, to) -> block(l, lRow, lCol, r, rows, inner, n, out, from * 4, Math.min(rows, to * 4)));
    }

    /** {@link #multiply} into a new rows×n array. */
    static double[] product(double[] l, int lRow, int lCol, double[] r, int rows, int inner, int n, Parallel parallel) {
        double[] out = new double[Math.multiplyExact(rows, n)];
        multiply(l, lRow, lCol, r, rows, inner, n, out, parallel);
        return out;
    }

    /**
     * out[o_q + j] += m_q·r[rAt + j] for j &lt; n and the four rows q: the inner loop, a method of its own so
     * the JIT compiles it after a few thousand calls instead of waiting for the enclosing loops (the
     * learn runs once per process, cold).
     */
    private static void axpy4(double[] r, int rAt, int n, double m0, double m1, double m2, double m3, double[] out,
                              int o0, int o1, int o2, int o3) {
        for (int j = 0; j < n; j++) {
            double x = r[rAt + j];
            out[o0 + j] += m0 * x;
            out[o1 + j] += m1 * x;
            out[o2 + j] += m2 * x;
            out[o3 + j] += m3 * x;
        }
    }

    private static void block(double[] l, int lRow, int lCol, double[] r, int rows, int inner, int n, double[] out, int iFrom, int iTo) {
        for (int i = iFrom; i < iTo; i++) {
            java.util.Arrays.fill(out, i * n, i * n + n, 0.0);
        }
        for (int j0 = 0; j0 < n; j0 += JB) {
            int jn = Math.min(JB, n - j0);
            for (int k0 = 0; k0 < inner; k0 += KB) {
                int kn = Math.min(KB, inner - k0);
                int i = iFrom;
                for (; i + 4 <= iTo; i += 4) {
                    int o0 = i * n + j0;
                    int o1 = o0 + n;
                    int o2 = o1 + n;
                    int o3 = o2 + n;
                    for (int k = k0; k < k0 + kn; k++) {
                        double m0 = l[i * lRow + k * lCol];
                        double m1 = l[(i + 1) * lRow + k * lCol];
                        double m2 = l[(i + 2) * lRow + k * lCol];
                        double m3 = l[(i + 3) * lRow + k * lCol];
                        axpy4(r, k * n + j0, jn, m0, m1, m2, m3, out, o0, o1, o2, o3);
                    }
                }
                for (; i < iTo; i++) {
                    int o = i * n + j0;
                    for (int k = k0; k < k0 + kn; k++) {
                        double mk = l[i * lRow + k * lCol];
                        int rk = k * n + j0;
                        for (int j = 0; j < jn; j++) {
                            out[o + j] += mk * r[rk + j];
                        }
                    }
                }
            }
        }
    }
}
