package dev.eddy.proxy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The learned operator z_{t+1} = A z_t (design §4).
 *
 * @param d      latent dimension
 * @param a      A, row-major d×d, float64
 * @param lambda the absolute ridge parameter of the fit (settings' relative λ times tr(X Xᵀ)/d)
 * @param rank   eigenvectors of X Xᵀ kept (d when the operator is full)
 * @param fit    what the fit found, for the metrics JSON (see {@link RidgeLearner}): λ tried and chosen,
 *               validation errors, training residual, spectrum of A; an ordered, unmodifiable map
 */
public record LinearProxy(int d, double[] a, double lambda, int rank, Map<String, Object> fit) {
    public LinearProxy {
        if (d < 1 || a == null || a.length != (long) d * d) {
            throw new IllegalArgumentException("A of d = " + d + " needs d² values, got " + (a == null ? "null" : a.length));
        }
        if (rank < 1 || rank > d) {
            throw new IllegalArgumentException("rank must be in 1..d = " + d + ", got " + rank);
        }
        fit = Collections.unmodifiableMap(new LinkedHashMap<>(fit));
    }

    /** A z on the host, in float64 (row by row, in index order). */
    public double[] apply(double[] z) {
        if (z.length != d) {
            throw new IllegalArgumentException("latent has " + z.length + " values, A has d = " + d);
        }
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += a[i * d + j] * z[j];
            }
            out[i] = s;
        }
        return out;
    }
}
