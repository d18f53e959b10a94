package dev.eddy.proxy;

import dev.eddy.numerics.Parallel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The spectrum of the proxy operator (a linear proxy with |eigenvalue| &gt; 1 grows). A's nonzero eigenvalues
 * are those of a small matrix whenever A is a product: for A = L Rᵀ (L, R d×k) they are the eigenvalues of
 * the k×k matrix Rᵀ L. The learners hand {@link #summary} that small matrix — V_rᵀ A V_r for rank r,
 * (S_r + λ)⁻¹ U_rᵀ XᵀY U_r in the dual form — or the d×d A of the full primal operator.
 */
public final class Spectrum {
    /**
     * Largest eigenproblem solved exactly in {@link #summary} (EJML general eigen, values only, one thread).
     * Measured on the 2-core dev VM (planning/benchmarks/proxy-learn-devvm.txt): 0.7 s at 400, 12 s at 1122;
     * cubic. Beyond it the spectral radius is estimated by power iteration; {@link #eigenvalues} computes
     * every eigenvalue at any size for whoever can wait.
     */
    public static final int EXACT_MAX = 400;
    /** Power iterations of the spectral-radius estimate (growth rate averaged over the second half). */
    public static final int POWER_ITERATIONS = 400;
    /** Eigenvalues of A listed in the fit, largest |λ| first. */
    public static final int LISTED = 8;

    private Spectrum() {
    }

    /**
     * Fit-map entries of the n×n matrix {@code m} whose eigenvalues are A's nonzero ones ({@code what}
     * says which matrix it is): spectral_radius, spectral_radius_method, and for n ≤ {@link #EXACT_MAX}
     * eigenvalues_outside_unit_circle and largest_eigenvalues; grows.
     */
    static Map<String, Object> summary(DMatrixRMaj m, String what) {
        try (Parallel parallel = new Parallel(0)) {
            return summary(m, what, parallel);
        }
    }

    /** {@link #summary(DMatrixRMaj, String)} with the power iteration's rows split over {@code parallel}. */
    static Map<String, Object> summary(DMatrixRMaj m, String what, Parallel parallel) {
        Map<String, Object> out = new LinkedHashMap<>();
        int n = m.numRows;
        if (n > EXACT_MAX) {
            out.put("spectral_radius", powerEstimate(m.data, n, parallel));
            out.put("spectral_radius_method", "power iteration on " + what + ": mean growth rate of ‖Mᵏv‖ over iterations "
                    + POWER_ITERATIONS / 2 + "–" + POWER_ITERATIONS + " (" + n + " > " + EXACT_MAX + ")");
        } else {
            List<Complex_F64> values = eigenvalues(m);
            List<Map<String, Object>> listed = new ArrayList<>();
            long outside = 0;
            for (Complex_F64 v : values) {
                if (v.getMagnitude() > 1) {
                    outside++;
                }
                if (listed.size() < LISTED) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("re", v.real);
                    e.put("im", v.imaginary);
                    e.put("abs", v.getMagnitude());
                    listed.add(e);
                }
            }
            out.put("spectral_radius", values.isEmpty() ? 0.0 : values.get(0).getMagnitude());
            out.put("spectral_radius_method", "eigen (EJML, all " + n + " eigenvalues of " + what + ")");
            out.put("eigenvalues_outside_unit_circle", outside);
            out.put("largest_eigenvalues", listed);
        }
        out.put("grows", (double) out.get("spectral_radius") > 1);
        return out;
    }

    /** Every eigenvalue of a square matrix, largest modulus first (EJML general eigen, values only). */
    public static List<Complex_F64> eigenvalues(DMatrixRMaj m) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m.numRows, false, false);
        if (!eig.decompose(m.copy())) {
            throw new IllegalStateException("EJML eigendecomposition of a " + m.numRows + "×" + m.numRows + " matrix did not converge");
        }
        List<Complex_F64> values = new ArrayList<>();
        for (int k = 0; k < eig.getNumberOfEigenvalues(); k++) {
            values.add(eig.getEigenvalue(k));
        }
        values.sort((p, q) -> Double.compare(q.getMagnitude(), p.getMagnitude()));
        return values;
    }

    /**
     * A's nonzero eigenvalues (and, for an explicit A, all d of them), largest modulus first: from the r×r
     * matrix Rᵀ L for a factored operator A = L Rᵀ (d·r² to form it), from A itself otherwise. Exact at any
     * size: cubic, so slow beyond a few hundred (see {@link #EXACT_MAX}).
     */
    public static List<Complex_F64> eigenvalues(LinearProxy proxy) {
        if (proxy.factors().isPresent()) {
            OperatorFactors f = proxy.factors().get();
            return eigenvalues(DMatrixRMaj.wrap(f.m(), f.m(), f.reduced()));
        }
        return eigenvalues(DMatrixRMaj.wrap(proxy.d(), proxy.d(), proxy.a()));
    }

    /** exp of the mean of log‖M v_k‖ over the second half of a normalised power iteration (fixed seed). */
    static double powerEstimate(double[] a, int d) {
        try (Parallel parallel = new Parallel(1)) {
            return powerEstimate(a, d, parallel);
        }
    }

    /**
     * {@link #powerEstimate(double[], int)} with the product's rows split over {@code parallel} (each row
     * summed in index order: the result does not depend on the thread count).
     */
    static double powerEstimate(double[] a, int d, Parallel parallel) {
        Random random = new Random(1);
        double[] v = new double[d];
        double norm = 0;
        for (int i = 0; i < d; i++) {
            v[i] = random.nextGaussian();
            norm += v[i] * v[i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < d; i++) {
            v[i] /= norm;
        }
        double[] w = new double[d];
        double logSum = 0;
        int counted = 0;
        for (int k = 0; k < POWER_ITERATIONS; k++) {
            double[] x = v;
            parallel.forRange(d, (from, to) -> {
                for (int i = from; i < to; i++) {
                    double s = 0;
                    for (int j = 0; j < d; j++) {
                        s += a[i * d + j] * x[j];
                    }
                    w[i] = s;
                }
            });
            double n2 = 0;
            for (int i = 0; i < d; i++) {
                n2 += w[i] * w[i];
            }
            if (n2 == 0) {
                return 0;
            }
            double n = Math.sqrt(n2);
            for (int i = 0; i < d; i++) {
                v[i] = w[i] / n;
            }
            if (k >= POWER_ITERATIONS / 2) {
                logSum += Math.log(n);
                counted++;
            }
        }
        return Math.exp(logSum / counted);
    }
}
