package dev.eddy.proxy;

import dev.eddy.config.ConfigException;

/**
 * Settings of the linear proxy's fit (design §4), validated here.
 *
 * @param lambda             ridge parameter relative to tr(X Xᵀ)/d, the mean eigenvalue of X Xᵀ, so that
 *                           one value means the same regularisation whatever the amplitude of the latents
 *                           and the number of pairs (the absolute λ of the fit is lambda·tr(X Xᵀ)/d, in
 *                           {@link LinearProxy#lambda()}); ≥ 0, or NaN ({@link #AUTO}) to choose it by
 *                           validation over {@link RidgeLearner#LAMBDA_GRID}
 * @param rank               0 for the full operator, else the number r of leading eigenvectors of X Xᵀ kept
 *                           (DMD-style truncation), 1 ≤ r ≤ d
 * @param validationFraction fraction of the pairs, the last ones, held out to measure the error of each λ;
 *                           in [0, 0.5); 0 = no validation (then lambda must be given)
 */
public record ProxySettings(double lambda, int rank, double validationFraction) {
    /** {@code lambda} value that asks for λ chosen by validation. */
    public static final double AUTO = Double.NaN;

    public ProxySettings {
        if (Double.isInfinite(lambda) || lambda < 0) {
            throw new ConfigException("proxy lambda must be a finite number ≥ 0 (in units of tr(X Xᵀ)/d), or auto to choose it by "
                    + "validation; got " + lambda);
        }
        if (rank < 0) {
            throw new ConfigException("proxy rank must be 0 (full operator) or 1..d (eigenvectors of X Xᵀ kept), got " + rank);
        }
        if (!(validationFraction >= 0 && validationFraction < 0.5)) {
            throw new ConfigException("proxy validation fraction must be in [0, 0.5) (the share of the last training pairs held out), got "
                    + validationFraction);
        }
        if (Double.isNaN(lambda) && validationFraction == 0) {
            throw new ConfigException("proxy lambda auto chooses λ by validation and needs a validation fraction > 0 (e.g. 0.2), "
                    + "or give lambda a value");
        }
    }

    /** True when λ is to be chosen by validation. */
    public boolean lambdaByValidation() {
        return Double.isNaN(lambda);
    }

    /** Checks the settings against the latent dimension d (the rank cannot exceed it). */
    public void checkDimension(int d) {
        if (rank > d) {
            throw new ConfigException("proxy rank " + rank + " exceeds the latent dimension d = " + d + " (use 0 for the full operator)");
        }
    }

    /**
     * Pairs to hold out for validation out of {@code pairs}: round(fraction·pairs), at least 1 when the
     * fraction is > 0, and leaving at least one training pair.
     */
    public long validationPairs(long pairs) {
        if (validationFraction == 0) {
            return 0;
        }
        if (pairs < 2) {
            throw new ConfigException("a validation split needs at least 2 latent pairs (3 snapshots), got " + pairs);
        }
        return Math.min(pairs - 1, Math.max(1, Math.round(validationFraction * pairs)));
    }

    /**
     * For a sequence of {@code latents} latents z_0 … z_{L−1}: the index of the latent before which to call
     * {@link GramAccumulator#split()} so that the last {@link #validationPairs}(L − 1) pairs are held out
     * (the pair that straddles the split is the first held out); L when nothing is held out.
     */
    public long splitBeforeLatent(long latents) {
        long pairs = latents - 1;
        long held = validationPairs(pairs);
        return held == 0 ? latents : pairs - held + 1;
    }
}
