package dev.eddy.proxy;

import dev.eddy.numerics.Parallel;

/**
 * The proxy operator of the snapshot (dual) form, in factors: A = L Rᵀ with L and R d×r, column-major.
 * From the fit's XᵀX = U S Uᵀ and D = (S + λ)⁻¹ ({@link DualRidge}): R = Z_X U S^(−1/2), whose columns are
 * the orthonormal principal directions of the training latents (to rounding that grows as 1/√S for the
 * weak ones: 1e-9 for the strongest, 1e-2 for the weakest of a window with cond(XᵀX) = 1e14), and
 * L = Z_Y U D S^(1/2), so that
 * L Rᵀ = Z_Y U D Uᵀ Z_Xᵀ = Z_Y (XᵀX + λI)⁻¹ Z_Xᵀ (U_r's r modes for a rank-r fit). Applying A costs 2dr
 * multiply-adds instead of d² ({@link #apply}, {@link #applyMacs}); {@link #explicit} forms the d×d matrix
 * (d²·r) for the GPU GEMV and for saving.
 *
 * <p>Why this form and not Z_Y C Z_Xᵀ with the m×m core C = U D Uᵀ: when the snapshots are nearly
 * dependent (a smooth flow sampled finely: cond(XᵀX) of 10¹⁴ is common), C has entries of 1/(S_min + λ),
 * ~10¹⁰ of A's, and A z = Z_Y (C (Z_Xᵀ z)) cancels them: float64 keeps 4 digits of it and float32 none
 * (measured: a float32 rollout 35% off after one step, Python's product of the same factors 6e-4 away
 * from Java's in float64). Here each mode is applied on its own through a unit vector, so rounding is
 * relative to A, not to C (Python's product of the stored factors then agrees with Java's rollout to 1e-15).
 *
 * @param d     latent dimension
 * @param left  L, column-major d×r (not copied)
 * @param right R, column-major d×r (not copied)
 * @param rank  r, the modes kept (the fit's rank, less the modes of XᵀX that are zero to rounding)
 */
public record OperatorFactors(int d, double[] left, double[] right, int rank) {
    public OperatorFactors {
        if (d < 1 || rank < 1 || left.length != (long) d * rank || right.length != (long) d * rank) {
            throw new IllegalArgumentException("factors need d ≥ 1, r ≥ 1 and two d×r matrices; got d = " + d + ", r = " + rank
                    + ", " + left.length + " and " + right.length + " values");
        }
    }

    /** r, the inner dimension of the factors. */
    public int m() {
        return rank;
    }

    /** Multiply-adds of one {@link #apply}: 2dr. */
    public long applyMacs() {
        return 2L * d * rank;
    }

    /** True when applying the factors costs fewer multiply-adds than a GEMV with the explicit A (d²). */
    public boolean cheaperThanExplicit() {
        return applyMacs() < (long) d * d;
    }

    /** A v on the host, in float64: u = Rᵀ v, A v = L u (each sum in index order). */
    public double[] apply(double[] v) {
        if (v.length != d) {
            throw new IllegalArgumentException("latent has " + v.length + " values, A has d = " + d);
        }
        double[] u = new double[rank];
        RolloutKernels_F64.project(right, d, v, 0, u, 0, 0, rank);
        double[] out = new double[d];
        RolloutKernels_F64.expand(left, d, rank, u, 0, out, 0, 0, d);
        return out;
    }

    /** Rᵀ L, r×r row-major: its eigenvalues are A's nonzero ones (d·r² multiply-adds). */
    public double[] reduced() {
        try (Parallel parallel = new Parallel(0)) {
            // R column-major d×r read as the row-major r×d Rᵀ; L column-major d×r read with strides (1, d) as itself
            double[] rl = new double[rank * rank];
            HostGemm.multiply(right, d, 1, leftRowMajor(), rank, d, rank, rl, parallel);
            return rl;
        }
    }

    /** L as a row-major d×r matrix (HostGemm's right operand is row-major). */
    private double[] leftRowMajor() {
        double[] out = new double[d * rank];
        for (int c = 0; c < rank; c++) {
            for (int i = 0; i < d; i++) {
                out[i * rank + c] = left[c * d + i];
            }
        }
        return out;
    }

    /**
     * A = L Rᵀ, row-major d×d float64: d²·r multiply-adds, blocked and split over one thread per core
     * ({@link HostGemm}).
     */
    public double[] explicit() {
        if ((long) d * d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("d = " + d + ": an explicit d×d A exceeds one Java array");
        }
        try (Parallel parallel = new Parallel(0)) {
            double[] a = new double[d * d];
            // L column-major d×r read with strides (1, d); R column-major d×r is the row-major r×d Rᵀ
            HostGemm.multiply(left, 1, d, right, d, rank, d, a, parallel);
            return a;
        }
    }
}
