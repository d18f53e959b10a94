package dev.eddy.numerics;

/**
 * The doubly periodic grid [0, 2π)² with N×N points and its real-to-complex half spectrum.
 *
 * <p>Layout shared by every backend (it is VkFFT's in-place R2C layout, so CPU kernels and shaders
 * index fields the same way): a field is {@code n} rows (y, wavenumber ky) of {@code halfX = n/2+1}
 * complex values, interleaved re/im, i.e. {@link #fieldLength()} reals. In physical space the same
 * memory holds {@code n} rows of {@code n} reals with row stride {@link #rowStride()} = 2·halfX
 * (the last two reals of a row are padding).
 *
 * <p>Wavenumbers are integers in FFT order: kx = i for i in [0, n/2]; ky = j for j &lt; n/2, j − n
 * otherwise. Dealiasing keeps |kx| ≤ K and |ky| ≤ K with K = ⌊(n−1)/3⌋, i.e. |k| &lt; n/3 (Orszag's 2/3
 * rule, applied per direction as in jax-cfd's brick-wall filter), which also removes the Nyquist row
 * and column. Keeping |k| = n/3 when 3 divides n would let the product of two such modes (at 2n/3)
 * alias onto the kept mode −n/3: the rule needs 3K &lt; n.
 */
public record Grid(int n) {

    public Grid {
        String why = FftSizes.whyNot(n);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
    }

    /** Complex values per row of the half spectrum: n/2 + 1. */
    public int halfX() {
        return n / 2 + 1;
    }

    /** Reals per row in the padded in-place layout: 2·(n/2+1). */
    public int rowStride() {
        return 2 * halfX();
    }

    /** Reals in one packed field (spectral or padded physical). */
    public int fieldLength() {
        return n * rowStride();
    }

    /** Complex modes in the half spectrum. */
    public int modes() {
        return n * halfX();
    }

    /** K = ⌊(n−1)/3⌋, the largest kept wavenumber per direction under the 2/3 rule (3K &lt; n: alias-free). */
    public int dealiasCutoff() {
        return dealiasCutoff(n);
    }

    /** {@link #dealiasCutoff()} of an n×n grid. */
    public static int dealiasCutoff(int n) {
        return (n - 1) / 3;
    }

    /** Grid spacing Δ = 2π/N, also the LES filter width. */
    public double spacing() {
        return 2 * Math.PI / n;
    }

    public int kx(int i) {
        return i;
    }

    public int ky(int j) {
        return j < n / 2 ? j : j - n;
    }

    /** Whether mode (row j, column i) survives the 2/3 rule. */
    public boolean kept(int j, int i) {
        int c = dealiasCutoff();
        return i <= c && Math.abs(ky(j)) <= c;
    }

    /**
     * Weight of column i when summing |f̂|² over the half spectrum to get the full-plane sum: the kx = 0
     * and Nyquist columns appear once, every other column stands for itself and its conjugate.
     */
    public double hermitianWeight(int i) {
        return (i == 0 || i == n / 2) ? 1.0 : 2.0;
    }
}
