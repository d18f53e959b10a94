package dev.eddy.proxy;

import dev.eddy.numerics.Parallel;

/**
 * The Gram G = ZᵀZ of the columns of a latent matrix Z = [z_0 … z_{L−1}] (d×L): the sufficient statistics
 * of the snapshot (dual) form of the ridge fit (design §4, {@link DualRidge}). Every pair Gram of the
 * fit is a block of it: with pairs (x_t, y_t) = (z_{p_t}, z_{q_t}), XᵀX = G[p, p], XᵀY = G[p, q],
 * YᵀY = G[q, q], and a held-out block's cross Grams against the training X are G[p, p_v] and G[q, q_v].
 * With m pairs and m &lt; d it is (m+1)² numbers where the primal {@link Gram} is 2d².
 *
 * @param d       latent dimension (the length of each column)
 * @param columns L, the number of latents
 * @param g       G, row-major L×L float64 (symmetric); not copied: do not change it after construction
 */
public record SnapshotGram(int d, int columns, double[] g) {
    public SnapshotGram {
        if (d < 1 || columns < 1) {
            throw new IllegalArgumentException("a snapshot Gram needs d ≥ 1 and at least one column, got d = " + d + ", " + columns + " columns");
        }
        if (g == null || g.length != (long) columns * columns) {
            throw new IllegalArgumentException("a snapshot Gram of " + columns + " columns needs " + (long) columns * columns
                    + " values, got " + (g == null ? "null" : g.length));
        }
    }

    /** G[a][b] = z_aᵀ z_b. */
    public double get(int a, int b) {
        return g[a * columns + b];
    }

    /**
     * On the host, in float64, with {@link SnapshotGramKernels_F64#gram} (the twin of the GPU shader) over
     * rows in parallel: the columns [from, from + columns) of the column-major d×· matrix {@code z}.
     * Each entry has one owner and a fixed order, so the bits do not depend on the thread count and equal
     * the GPU's float64 sums.
     */
    public static SnapshotGram compute(double[] z, int d, int from, int columns, Parallel parallel) {
        if (d < 1 || columns < 1 || from < 0 || (long) (from + columns) * d > z.length) {
            throw new IllegalArgumentException("columns [" + from + ", " + ((long) from + columns) + ") of d = " + d
                    + " do not fit in a matrix of " + z.length + " values");
        }
        if ((long) columns * columns > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(columns + " columns: the Gram would exceed one Java array");
        }
        double[] g = new double[columns * columns];
        parallel.forRange(columns, (lo, hi) -> SnapshotGramKernels_F64.gram(z, d, from, columns, g, lo, hi));
        return new SnapshotGram(d, columns, g);
    }

    /** {@link #compute} on one pool of {@code threads} workers (0: one per core), made and closed here. */
    public static SnapshotGram compute(double[] z, int d, int from, int columns, int threads) {
        try (Parallel p = new Parallel(threads)) {
            return compute(z, d, from, columns, p);
        }
    }

    /** True when every entry is finite (a NaN latent poisons the Gram, and the learner refuses it). */
    public boolean allFinite() {
        for (double v : g) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
