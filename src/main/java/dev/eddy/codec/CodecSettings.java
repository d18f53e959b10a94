package dev.eddy.codec;

import dev.eddy.config.ConfigException;
import dev.eddy.numerics.FftSizes;
import dev.eddy.numerics.Precision;

/**
 * Settings of the snapshot codec (design §3), validated here so that no codec, file or shader ever
 * sees an impossible combination.
 *
 * @param n         grid points per side of the fields it encodes
 * @param k         latent cutoff: the latent keeps the Fourier modes with |kx| ≤ K and |ky| ≤ K; 1 ≤ K &lt; N/3
 *                  (the LES keeps |k| ≤ ⌊(N−1)/3⌋ after dealiasing, so a larger K would store modes that are zero)
 * @param tile      side T of the square tiles of the residual code; T ≥ 2 and T divides N
 * @param theta     mask threshold θ: a cell is coded when |r| &gt; θ·mean_tile|r| (default 0.7, design §3)
 * @param sigma     width σ (a length on the 2π-periodic domain) of the spectral Gaussian applied to the
 *                  low-pass reconstruction, multiplier exp(−σ²|k|²/2); 0 = off
 * @param majority  3×3 majority smoothing of the mask (periodic, like the domain)
 * @param precision precision of the codec's arithmetic and of the stored Z and α
 */
public record CodecSettings(int n, int k, int tile, double theta, double sigma, boolean majority, Precision precision) {
    public static final double DEFAULT_THETA = 0.7;
    /** {@link #DEFAULT_THETA} as the command line's default text. */
    public static final String DEFAULT_THETA_TEXT = "0.7";
    /**
     * The latent cutoff and tile side when none is given, the same in every command that encodes (eddy run,
     * encode, pipeline, bench codec: the CLI's CodecFlags); README lists them.
     */
    public static final String DEFAULT_K = "12";
    public static final String DEFAULT_TILE = "8";

    public CodecSettings {
        String why = FftSizes.whyNot(n);
        if (why != null) {
            throw new ConfigException(why);
        }
        if (k < 1 || 3L * k >= n) {
            throw new ConfigException("--k " + k + " is out of range for N = " + n + ": the latent cutoff needs 1 ≤ K < N/3"
                    + " (K ≤ " + (n - 1) / 3 + " here), the LES's own dealiasing cutoff ⌊(N−1)/3⌋");
        }
        if (tile < 2 || n % tile != 0) {
            throw new ConfigException("--tile " + tile + " does not fit N = " + n + ": the tile side T must be ≥ 2 and divide N");
        }
        if (!Double.isFinite(theta) || theta <= 0) {
            throw new ConfigException("--theta must be a finite number > 0, got " + theta);
        }
        if (!Double.isFinite(sigma) || sigma < 0) {
            throw new ConfigException("--smooth σ must be a finite number ≥ 0 (0 = off), got " + sigma);
        }
        if (precision == null) {
            throw new ConfigException("precision is required (fp32 or fp64)");
        }
    }

    /** Reals in the latent vector: d = 2(2K+1)(K+1) (see {@link CodecKernels_F64#latentIndex}). */
    public int latentDimension() {
        return 2 * (2 * k + 1) * (k + 1);
    }

    /** Tiles per side, N/T. */
    public int tilesPerSide() {
        return n / tile;
    }

    /** Tiles in a field, (N/T)²: the length of α. */
    public int tiles() {
        return tilesPerSide() * tilesPerSide();
    }

    /** Bytes of the packed ternary code: N²/4 (N is even, so exact). */
    public long packedBytes() {
        return (long) n * n / 4;
    }
}
