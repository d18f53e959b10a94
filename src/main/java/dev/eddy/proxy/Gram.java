package dev.eddy.proxy;

/**
 * The sufficient statistics of the ridge fit over a set of pairs (x, y) = (z_t, z_{t+1}) of latents of
 * dimension d: X Xᵀ and Y Xᵀ (row-major d×d, float64 on the host), Σ|y|² (= tr(Y Yᵀ), for residuals
 * computed from Grams alone) and the number of pairs. design §4: only these cross to the host.
 * The arrays are not copied; do not change them after construction.
 */
public record Gram(int d, double[] xx, double[] yx, double yy, long pairs) {
    public Gram {
        if (d < 1) {
            throw new IllegalArgumentException("Gram dimension must be ≥ 1, got " + d);
        }
        long entries = (long) d * d;
        if (xx == null || yx == null || xx.length != entries || yx.length != entries) {
            throw new IllegalArgumentException("a Gram of d = " + d + " needs two arrays of d² = " + entries + " values, got "
                    + (xx == null ? "null" : xx.length) + " and " + (yx == null ? "null" : yx.length));
        }
        if (pairs < 0) {
            throw new IllegalArgumentException("pair count must be ≥ 0, got " + pairs);
        }
    }

    /** The Gram of no pairs. */
    public static Gram zero(int d) {
        return new Gram(d, new double[Math.multiplyExact(d, d)], new double[d * d], 0, 0);
    }

    /** The Gram of both sets of pairs (entry-wise sums, in index order: deterministic). */
    public Gram plus(Gram other) {
        if (other.d != d) {
            throw new IllegalArgumentException("cannot add Grams of dimensions " + d + " and " + other.d);
        }
        double[] sxx = new double[xx.length];
        double[] syx = new double[yx.length];
        for (int k = 0; k < sxx.length; k++) {
            sxx[k] = xx[k] + other.xx[k];
            syx[k] = yx[k] + other.yx[k];
        }
        return new Gram(d, sxx, syx, yy + other.yy, pairs + other.pairs);
    }

    /** tr(X Xᵀ) = Σ|x|²: the scale of the ridge parameter (ProxySettings#lambda is relative to tr/d). */
    public double traceXX() {
        double s = 0;
        for (int i = 0; i < d; i++) {
            s += xx[i * d + i];
        }
        return s;
    }

    /** True when every entry is finite (a NaN latent poisons the Gram, and the learner refuses it). */
    public boolean allFinite() {
        if (!Double.isFinite(yy)) {
            return false;
        }
        for (int k = 0; k < xx.length; k++) {
            if (!Double.isFinite(xx[k]) || !Double.isFinite(yx[k])) {
                return false;
            }
        }
        return true;
    }
}
