package dev.eddy.codec;

import dev.eddy.numerics.Grid;

/**
 * The codec's precision-dependent kernels as plain loops over rows [j0, j1) (grid rows, latent rows or
 * tile rows, as each says): the specification that the GLSL shaders of the same names will be tested
 * against. Per-point math is in small static methods (the GLSL functions of the same names).
 *
 * <p>Layouts. Spectral and physical fields use the {@link Grid} layout (physical rows of N reals with
 * stride {@link Grid#rowStride()}). Masks and ternary codes are compact N×N bytes, row-major (y, x).
 * α holds one value per tile, row-major over the (N/T)² tiles. The latent Z is described at
 * {@link #latentIndex}. Precision-independent kernels (majority smoothing, packing) are in
 * {@link TernaryKernels}.
 */
public final class CodecKernels_F64 {
    private CodecKernels_F64() {
    }

    // ---- per-point math (twins of the GLSL functions) ----

    /**
     * Index of Re(ẑ(kx, ky)) in the latent vector; Im follows it. Rows ky = −K … K (ascending), columns
     * kx = 0 … K: {@code 2·((ky + K)·(K+1) + kx)}, d = 2(2K+1)(K+1) reals. The kx = 0 column is stored
     * whole although ẑ(0, −ky) = conj ẑ(0, ky) for a real field (and Im ẑ(0,0) = 0): K+1 redundant
     * reals out of d (under 1% for K ≥ 64) buy a gather that is one contiguous copy per row on the GPU and
     * a vector whose index does not depend on symmetry. Decoding cannot produce a complex field from a
     * non-Hermitian column: the C2R transform keeps only its Hermitian part (see {@link #scatterLatent}).
     */
    public static int latentIndex(int k, int kx, int ky) {
        return 2 * ((ky + k) * (k + 1) + kx);
    }

    /** The spectral Gaussian exp(−σ²|k|²/2) (the transform of a periodic Gaussian blur of width σ); 1 when σ = 0. */
    public static double gaussian(int kx, int ky, double sigma) {
        return (double) Math.exp(-(double) 0.5 * sigma * sigma * (double) (kx * kx + ky * ky));
    }

    /** The mask rule of design §3: a cell is coded when |r| exceeds θ·mean_tile|r| (strictly). */
    public static boolean masked(double r, double threshold) {
        return Math.abs(r) > threshold;
    }

    /** t = sign(r)·m ∈ {−1, 0, +1}. */
    public static byte ternary(double r, boolean m) {
        return (byte) (!m ? 0 : (r > (double) 0 ? 1 : (r < (double) 0 ? -1 : 0)));
    }

    // ---- kernels ----

    /**
     * Latent rows [r0, r1) (row r is ky = r − K) from a forward-transformed field: z = ω̂·scale with
     * scale = 1/N², so Z holds the normalised Fourier coefficients and does not depend on N.
     */
    public static void gatherLatent(Grid g, int k, double[] spectrum, double scale, double[] z, int r0, int r1) {
        int n = g.n();
        int half = g.halfX();
        for (int r = r0; r < r1; r++) {
            int ky = r - k;
            int j = ky >= 0 ? ky : ky + n;
            for (int kx = 0; kx <= k; kx++) {
                int p = 2 * (j * half + kx);
                int q = latentIndex(k, kx, ky);
                z[q] = spectrum[p] * scale;
                z[q + 1] = spectrum[p + 1] * scale;
            }
        }
    }

    /**
     * Spectral rows [j0, j1) of L̂(Z): the latent modes times the Gaussian, zero elsewhere. The inverse
     * FFT of this (unnormalised) gives L(Z) in physical values, since Z is normalised by 1/N². The C2R
     * transform drops the imaginary part of its kx = 0 column after the ky pass, which keeps the Hermitian
     * part of that column: the decoded field is real whatever Z holds.
     */
    public static void scatterLatent(Grid g, int k, double[] z, double sigma, double[] spectrum, int j0, int j1) {
        int half = g.halfX();
        for (int j = j0; j < j1; j++) {
            int ky = g.ky(j);
            boolean rowKept = Math.abs(ky) <= k;
            for (int i = 0; i < half; i++) {
                int p = 2 * (j * half + i);
                int kx = g.kx(i);
                if (rowKept && kx <= k) {
                    int q = latentIndex(k, kx, ky);
                    double f = gaussian(kx, ky, sigma);
                    spectrum[p] = z[q] * f;
                    spectrum[p + 1] = z[q + 1] * f;
                } else {
                    spectrum[p] = (double) 0;
                    spectrum[p + 1] = (double) 0;
                }
            }
        }
    }

    /**
     * The residual in spectral space on rows [j0, j1): r̂ = ω̂·scale − L̂(Z), with L̂(Z) exactly what
     * {@link #scatterLatent} writes and z = one latent vector. The inverse FFT is linear, so the inverse
     * transform of r̂ is r = ω − L(Z) up to rounding: the encode ({@link CodecSteps}) forms r with one
     * inverse transform of one field, where scattering L̂(Z), transforming it and subtracting it from ω
     * would transform L̂(Z) and ω apart (twice the FFT traffic, and a copy of ω). {@code spectrum} and {@code out} may be the same array.
     */
    public static void spectralResidual(Grid g, int k, double[] spectrum, double scale, double[] z, double sigma, double[] out,
                                        int j0, int j1) {
        int half = g.halfX();
        for (int j = j0; j < j1; j++) {
            int ky = g.ky(j);
            boolean rowKept = Math.abs(ky) <= k;
            for (int i = 0; i < half; i++) {
                int p = 2 * (j * half + i);
                int kx = g.kx(i);
                double re = spectrum[p] * scale;
                double im = spectrum[p + 1] * scale;
                if (rowKept && kx <= k) {
                    int q = latentIndex(k, kx, ky);
                    double f = gaussian(kx, ky, sigma);
                    re -= z[q] * f;
                    im -= z[q + 1] * f;
                }
                out[p] = re;
                out[p + 1] = im;
            }
        }
    }

    /**
     * mean_tile|r| of every tile in tile rows [tj0, tj1), summed in row-major order within the tile (the
     * shader's reduction order differs: parity tests compare with a tolerance).
     */
    public static void tileMeanAbs(Grid g, int tile, double[] r, double[] meanAbs, int tj0, int tj1) {
        int stride = g.rowStride();
        int tilesPerSide = g.n() / tile;
        double cells = (double) (tile * tile);
        for (int tj = tj0; tj < tj1; tj++) {
            for (int ti = 0; ti < tilesPerSide; ti++) {
                double sum = (double) 0;
                for (int y = tj * tile; y < (tj + 1) * tile; y++) {
                    for (int x = ti * tile; x < (ti + 1) * tile; x++) {
                        sum += Math.abs(r[y * stride + x]);
                    }
                }
                meanAbs[tj * tilesPerSide + ti] = sum / cells;
            }
        }
    }

    /** Mask m = |r| &gt; θ·mean_tile|r| on grid rows [j0, j1), into compact N×N bytes (1 = coded). */
    public static void tileMask(Grid g, int tile, double theta, double[] r, double[] meanAbs, byte[] mask, int j0, int j1) {
        int n = g.n();
        int stride = g.rowStride();
        int tilesPerSide = n / tile;
        for (int j = j0; j < j1; j++) {
            int tileRow = (j / tile) * tilesPerSide;
            for (int x = 0; x < n; x++) {
                double threshold = theta * meanAbs[tileRow + x / tile];
                mask[j * n + x] = (byte) (masked(r[j * stride + x], threshold) ? 1 : 0);
            }
        }
    }

    /**
     * For tile rows [tj0, tj1): t = sign(r)·m into compact bytes and α = mean of |r| over the coded cells
     * of each tile (0 where none is coded). With this α, α·t is the least-squares best ternary fit of r
     * on the mask only if the coded cells share one magnitude; it is the mean, as design §3 says.
     */
    public static void ternaryScale(Grid g, int tile, double[] r, byte[] mask, byte[] t, double[] alpha, int tj0, int tj1) {
        int n = g.n();
        int stride = g.rowStride();
        int tilesPerSide = n / tile;
        for (int tj = tj0; tj < tj1; tj++) {
            for (int ti = 0; ti < tilesPerSide; ti++) {
                double sum = (double) 0;
                int count = 0;
                for (int y = tj * tile; y < (tj + 1) * tile; y++) {
                    for (int x = ti * tile; x < (ti + 1) * tile; x++) {
                        double v = r[y * stride + x];
                        boolean m = mask[y * n + x] != 0;
                        t[y * n + x] = ternary(v, m);
                        if (m) {
                            sum += Math.abs(v);
                            count++;
                        }
                    }
                }
                alpha[tj * tilesPerSide + ti] = count == 0 ? (double) 0 : sum / (double) count;
            }
        }
    }

    /**
     * Decoded rows [j0, j1): ω̃ = L(Z) + (fade·α_tile)·t, with t read straight from the packed code (the
     * shader reads the same 32-bit words), in place over the padded low-pass field. fade = 1 adds the code
     * as it is; the pipeline's faded residual adds its learnt c_h of it.
     */
    public static void synthesize(Grid g, int tile, double fade, double[] alpha, byte[] packed, double[] low, int j0, int j1) {
        int n = g.n();
        int stride = g.rowStride();
        int tilesPerSide = n / tile;
        for (int j = j0; j < j1; j++) {
            int tileRow = (j / tile) * tilesPerSide;
            for (int x = 0; x < n; x++) {
                int t = TernaryKernels.ternaryAt(packed, (long) j * n + x);
                low[j * stride + x] += (fade * alpha[tileRow + x / tile]) * (double) t;
            }
        }
    }

    /**
     * The inner product Σ_cells ρ_a·ρ_b of two decoded residuals ρ = α_tile·t, summed in float64 in
     * row-major cell order (ternary_gram.comp sums the same products in another order: parity is to
     * rounding). The pipeline's residual fading regresses the residual h snapshots on from these.
     */
    public static double residualDot(Grid g, int tile, // neutral
                                     double[] alphaA, byte[] packedA, double[] alphaB, byte[] packedB) {
        int n = g.n();
        int tilesPerSide = n / tile;
        double sum = 0; // neutral
        for (int y = 0; y < n; y++) {
            int tileRow = (y / tile) * tilesPerSide;
            for (int x = 0; x < n; x++) {
                long c = (long) y * n + x;
                int tt = TernaryKernels.ternaryAt(packedA, c) * TernaryKernels.ternaryAt(packedB, c);
                if (tt != 0) {
                    int t = tileRow + x / tile;
                    sum += (double) alphaA[t] * (double) alphaB[t] * (double) tt; // neutral
                }
            }
        }
        return sum;
    }
}
