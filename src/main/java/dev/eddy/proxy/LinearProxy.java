package dev.eddy.proxy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The learned operator z_{t+1} = A z_t (design §4), held explicitly (row-major d×d, from the primal
 * form) or in factors (from the snapshot form, {@link OperatorFactors}: A = L Rᵀ). {@link #a()} forms
 * the explicit matrix from the factors on first use and keeps it; {@link #apply} uses whichever is cheaper.
 */
public final class LinearProxy {
    private final int d;
    private final OperatorFactors factors;
    private final double lambda;
    private final int rank;
    private final Map<String, Object> fit;
    private double[] a;

    /**
     * An explicit operator.
     *
     * @param d      latent dimension
     * @param a      A, row-major d×d, float64 (not copied)
     * @param lambda the absolute ridge parameter of the fit (settings' relative λ times tr(X Xᵀ)/d)
     * @param rank   eigenvectors of X Xᵀ kept (d when the operator is full)
     * @param fit    what the fit found, for the metrics JSON (see {@link RidgeLearner}): form, λ tried and
     *               chosen, validation errors, training residual, spectrum of A, timings; kept as an
     *               ordered, unmodifiable copy
     */
    public LinearProxy(int d, double[] a, double lambda, int rank, Map<String, Object> fit) {
        this(d, a, null, lambda, rank, fit);
        if (a == null || a.length != (long) d * d) {
            throw new IllegalArgumentException("A of d = " + d + " needs d² values, got " + (a == null ? "null" : a.length));
        }
    }

    /** An operator in factors (the dual form); the other parameters as for the explicit one. */
    public LinearProxy(OperatorFactors factors, double lambda, int rank, Map<String, Object> fit) {
        this(factors.d(), null, factors, lambda, rank, fit);
    }

    private LinearProxy(int d, double[] a, OperatorFactors factors, double lambda, int rank, Map<String, Object> fit) {
        if (d < 1) {
            throw new IllegalArgumentException("latent dimension must be ≥ 1, got " + d);
        }
        if (rank < 1 || rank > d) {
            throw new IllegalArgumentException("rank must be in 1..d = " + d + ", got " + rank);
        }
        this.d = d;
        this.a = a;
        this.factors = factors;
        this.lambda = lambda;
        this.rank = rank;
        this.fit = Collections.unmodifiableMap(new LinkedHashMap<>(fit));
    }

    public int d() {
        return d;
    }

    /**
     * A, row-major d×d float64: the matrix itself, or formed once from the factors (d·m² + d²·m
     * multiply-adds, multithreaded) and kept. Do not change the array.
     */
    public synchronized double[] a() {
        if (a == null) {
            a = factors.explicit();
        }
        return a;
    }

    /** True when the explicit A exists already (given, or formed by an earlier {@link #a()}). */
    public synchronized boolean explicitFormed() {
        return a != null;
    }

    /** The factors of a dual-form operator; empty for a primal (explicit) one. */
    public Optional<OperatorFactors> factors() {
        return Optional.ofNullable(factors);
    }

    /** True when applying the factors is cheaper than a GEMV with the explicit A (2dm + m² &lt; d²). */
    public boolean factorsCheaper() {
        return factors != null && factors.cheaperThanExplicit();
    }

    public double lambda() {
        return lambda;
    }

    public int rank() {
        return rank;
    }

    public Map<String, Object> fit() {
        return fit;
    }

    /** A z on the host, in float64: with the factors when they are cheaper, else row by row in index order. */
    public double[] apply(double[] z) {
        if (z.length != d) {
            throw new IllegalArgumentException("latent has " + z.length + " values, A has d = " + d);
        }
        if (factorsCheaper()) {
            return factors.apply(z);
        }
        double[] op = a();
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += op[i * d + j] * z[j];
            }
            out[i] = s;
        }
        return out;
    }

    @Override
    public String toString() {
        return "LinearProxy[d=" + d + ", " + (factors != null ? "factors m=" + factors.m() : "explicit") + ", lambda=" + lambda
                + ", rank=" + rank + "]";
    }
}
