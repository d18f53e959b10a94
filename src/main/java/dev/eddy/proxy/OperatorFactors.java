package dev.eddy.proxy;

import dev.eddy.numerics.Parallel;

/**
 * The proxy operator of the snapshot (dual) form, in factors: A = Z_Y C Z_Xᵀ with Z_X = Z[:, x] and
 * Z_Y = Z[:, y] the pairs' latents (d×m) and C the m×m core — (XᵀX + λI)⁻¹ for the full operator,
 * U_r (S_r + λ)⁻¹ U_rᵀ for rank r ({@link DualRidge}). Applying A costs 2dm + m² multiply-adds instead
 * of d² ({@link #apply}, {@link #applyMacs}); {@link #explicit} forms the d×d matrix (d·m² + d²·m) for the
 * GPU GEMV and for saving.
 *
 * @param d       latent dimension
 * @param z       Z, column-major d×L (not copied)
 * @param x       the columns of Z_X (m of them)
 * @param y       the columns of Z_Y (m of them)
 * @param core    C, row-major m×m float64
 */
public record OperatorFactors(int d, double[] z, int[] x, int[] y, double[] core) {
    public OperatorFactors {
        int m = x.length;
        if (d < 1 || m < 1 || y.length != m || core.length != (long) m * m) {
            throw new IllegalArgumentException("factors need d ≥ 1, m ≥ 1 pairs and an m×m core; got d = " + d + ", " + m + " x, "
                    + y.length + " y columns, core of " + core.length);
        }
        for (int t = 0; t < m; t++) {
            if ((long) (Math.max(x[t], y[t]) + 1) * d > z.length) {
                throw new IllegalArgumentException("pair " + t + " names column " + Math.max(x[t], y[t]) + ", beyond Z's " + z.length / d);
            }
        }
    }

    /** m, the number of pairs (the inner dimension of the factors). */
    public int m() {
        return x.length;
    }

    /** Multiply-adds of one {@link #apply}: 2dm + m². */
    public long applyMacs() {
        long m = m();
        return 2L * d * m + m * m;
    }

    /** True when applying the factors costs fewer multiply-adds than a GEMV with the explicit A (d²). */
    public boolean cheaperThanExplicit() {
        return applyMacs() < (long) d * d;
    }

    /** Z_X[:, t], copied into a contiguous column-major d×m matrix (for the rollout's inner loops). */
    public double[] xMatrix() {
        return gather(x);
    }

    /** Z_Y, likewise. */
    public double[] yMatrix() {
        return gather(y);
    }

    private double[] gather(int[] cols) {
        double[] out = new double[Math.multiplyExact(d, cols.length)];
        for (int t = 0; t < cols.length; t++) {
            System.arraycopy(z, cols[t] * d, out, t * d, d);
        }
        return out;
    }

    /** A v on the host, in float64: u = Z_Xᵀ v, w = C u, A v = Z_Y w (each sum in index order). */
    public double[] apply(double[] v) {
        if (v.length != d) {
            throw new IllegalArgumentException("latent has " + v.length + " values, A has d = " + d);
        }
        int m = m();
        double[] u = new double[m];
        for (int t = 0; t < m; t++) {
            int off = x[t] * d;
            double s = 0;
            for (int i = 0; i < d; i++) {
                s += z[off + i] * v[i];
            }
            u[t] = s;
        }
        double[] w = new double[m];
        for (int a = 0; a < m; a++) {
            double s = 0;
            for (int b = 0; b < m; b++) {
                s += core[a * m + b] * u[b];
            }
            w[a] = s;
        }
        double[] out = new double[d];
        for (int a = 0; a < m; a++) {
            int off = y[a] * d;
            double wa = w[a];
            for (int i = 0; i < d; i++) {
                out[i] += z[off + i] * wa;
            }
        }
        return out;
    }

    /**
     * A = (Z_Y C) Z_Xᵀ, row-major d×d float64: d·m² + d²·m multiply-adds, blocked and split over one thread
     * per core ({@link HostGemm}).
     */
    public double[] explicit() {
        if ((long) d * d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("d = " + d + ": an explicit d×d A exceeds one Java array");
        }
        int m = m();
        try (Parallel parallel = new Parallel(0)) {
            double[] left = new double[d * m]; // Z_Y C, row-major d×m; Z_Y read in place (column-major: stride 1 down a column)
            HostGemm.multiply(yMatrix(), 1, d, core, d, m, m, left, parallel);
            double[] a = new double[d * d];
            HostGemm.multiply(left, m, 1, xMatrix(), d, m, d, a, parallel); // Z_X column-major d×m = row-major m×d
            return a;
        }
    }
}
