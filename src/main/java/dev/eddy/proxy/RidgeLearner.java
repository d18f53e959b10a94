package dev.eddy.proxy;

import dev.eddy.config.ConfigException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.ejml.data.Complex_F64;
import org.ejml.data.DMatrix;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Ridge least squares for the proxy operator (design §4): A = Y Xᵀ (X Xᵀ + λI)⁻¹, from the Grams
 * alone, with EJML on the host.
 *
 * <ul>
 *   <li>Full operator (rank 0): (X Xᵀ + λI) Aᵀ = X Yᵀ solved by Cholesky (symmetric positive definite; no
 *       explicit inverse). A system that is singular to working precision (pivot ratio below d·ε, as
 *       LAPACK's default rank tolerance) is refused with a message that says what to change.</li>
 *   <li>Rank r (DMD-style truncation, Schmid 2010, doi:10.1017/S0022112010001217; Tu et al. 2014,
 *       doi:10.3934/jcd.2014.1.391): X Xᵀ = V Λ Vᵀ, keep the r largest, A = Y Xᵀ V_r (Λ_r + λ)⁻¹ V_rᵀ.</li>
 *   <li>λ by validation: λ = λ_rel·tr(X Xᵀ)/d over {@link #LAMBDA_GRID} (unit-free: λ_rel = 1 is the mean
 *       eigenvalue of X Xᵀ). Each λ is fitted on the training block and scored on the held-out block by
 *       ‖Y_v − A X_v‖²_F = tr(Y_v Y_vᵀ) − 2⟨A, Y_v X_vᵀ⟩ + tr(A X_v X_vᵀ Aᵀ), which needs only the
 *       validation Gram. In the eigenbasis of the training X Xᵀ every λ costs O(r²) after one
 *       decomposition (instead of one Cholesky solve, O(d³), per λ). The best λ_rel is then refitted on
 *       all pairs (training + validation), with λ rescaled by their tr(X Xᵀ)/d.</li>
 * </ul>
 * The residuals reported are computed from Grams too, so they cannot resolve a relative residual much
 * below √ε ≈ 1e-8 (cancellation in tr(Y Yᵀ) − …).
 */
public final class RidgeLearner {
    /** Relative λ tried by validation: 0 and 10⁻¹² … 10⁰ in decades. */
    public static final double[] LAMBDA_GRID = {0, 1e-12, 1e-11, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1};
    /**
     * Largest d whose full spectrum of A is computed (EJML general eigen, values only). Measured on this
     * project's 2-core dev machine: 12 s at d = 1122; cubic, so about 11 min at d = 4290 — beyond it the
     * spectral radius is estimated by power iteration instead.
     */
    public static final int EXACT_EIGEN_MAX_D = 1500;
    /** Power iterations of the spectral-radius estimate (growth rate averaged over the second half). */
    public static final int POWER_ITERATIONS = 400;
    /** Eigenvalues of A listed in the fit, largest |λ| first. */
    public static final int EIGENVALUES_LISTED = 8;

    private RidgeLearner() {
    }

    /** X Xᵀ = V Λ Vᵀ restricted to the r largest eigenvalues; {@code all} holds every eigenvalue, descending. */
    private record Basis(double[] values, DMatrixRMaj v, double[] all) {
    }

    private record Solution(double[] a, double squaredResidual, Map<String, Object> info, DMatrixRMaj reduced) {
    }

    /**
     * Learns A from the training Gram, choosing λ on {@code validation} (null when there is none) when
     * the settings ask for it, then refitting on all pairs.
     */
    public static LinearProxy learn(Gram train, Gram validation, ProxySettings s) {
        long started = System.nanoTime();
        int d = train.d();
        s.checkDimension(d);
        check(train, "training");
        if (validation != null) {
            if (validation.d() != d) {
                throw new IllegalArgumentException("validation Gram has d = " + validation.d() + ", training Gram d = " + d);
            }
            check(validation, "validation");
        } else if (s.lambdaByValidation()) {
            throw new ConfigException("proxy lambda auto needs validation pairs; none were held out");
        }
        int r = s.rank() == 0 ? d : s.rank();
        Map<String, Object> fit = new LinkedHashMap<>();
        fit.put("training_pairs", train.pairs());
        fit.put("validation_pairs", validation == null ? 0L : validation.pairs());
        fit.put("lambda_choice", s.lambdaByValidation() ? "validation" : "fixed");

        double lambdaRelative = s.lambda();
        if (validation != null) {
            double[] grid = s.lambdaByValidation() ? LAMBDA_GRID : new double[] {s.lambda()};
            List<Map<String, Object>> table = new ArrayList<>();
            double best = validate(train, validation, r, grid, table);
            fit.put("validation", table);
            if (Double.isNaN(best)) {
                throw new ConfigException("no proxy lambda in " + Arrays.toString(grid) + " gives a positive-definite system with rank "
                        + r + ": the training latents span fewer than " + r + " directions; lower the rank or raise lambda");
            }
            lambdaRelative = best;
            for (Map<String, Object> row : table) {
                if (row.get("lambda_relative").equals(best)) {
                    fit.put("validation_relative_error", row.get("relative_error"));
                }
            }
        }
        Gram all = validation == null ? train : train.plus(validation);
        double scale = all.traceXX() / d;
        double lambda = lambdaRelative * scale;
        fit.put("lambda_relative", lambdaRelative);
        fit.put("lambda", lambda);
        fit.put("lambda_scale", scale);
        fit.put("rank", r);
        Solution sol = s.rank() == 0 ? cholesky(all, lambda) : truncated(all, lambda, r);
        fit.putAll(sol.info());
        fit.put("training_relative_residual", relative(sol.squaredResidual(), all.yy()));
        for (double v : sol.a()) {
            if (!Double.isFinite(v)) {
                throw new ConfigException("the proxy fit produced a non-finite A (lambda " + lambda + "); raise lambda or lower the rank");
            }
        }
        fit.putAll(spectrum(sol.a(), d, sol.reduced()));
        fit.put("host_solve_seconds", (System.nanoTime() - started) * 1e-9);
        return new LinearProxy(d, sol.a(), lambda, r, fit);
    }

    private static void check(Gram g, String what) {
        if (g.pairs() == 0) {
            throw new ConfigException("the " + what + " Gram holds no latent pairs: the proxy needs at least two snapshots there");
        }
        if (!g.allFinite()) {
            throw new ConfigException("the " + what + " Gram has non-finite entries (a latent was NaN or infinite)");
        }
        if (g.traceXX() <= 0) {
            throw new ConfigException("every " + what + " latent is zero: there is nothing to fit");
        }
    }

    /**
     * Scores each relative λ of {@code grid} (fitted on {@code train}, rank r) on {@code val}; fills
     * {@code table} and returns the λ_rel of least validation error (NaN if none is usable).
     */
    static double validate(Gram train, Gram val, int r, double[] grid, List<Map<String, Object>> table) {
        int d = train.d();
        Basis basis = eigenBasis(train.xx(), d, r);
        DMatrixRMaj h = DMatrixRMaj.wrap(d, d, train.yx());
        DMatrixRMaj hv = DMatrixRMaj.wrap(d, d, val.yx());
        DMatrixRMaj gv = DMatrixRMaj.wrap(d, d, val.xx());
        DMatrixRMaj c = new DMatrixRMaj(d, r);
        DMatrixRMaj m = new DMatrixRMaj(d, r);
        DMatrixRMaj gvV = new DMatrixRMaj(d, r);
        DMatrixRMaj p = new DMatrixRMaj(r, r);
        DMatrixRMaj q = new DMatrixRMaj(r, r);
        CommonOps_MT_DDRM.mult(h, basis.v(), c);
        CommonOps_MT_DDRM.mult(hv, basis.v(), m);
        CommonOps_MT_DDRM.mult(gv, basis.v(), gvV);
        CommonOps_MT_DDRM.multTransA(basis.v(), gvV, p);
        CommonOps_MT_DDRM.multTransA(c, c, q);
        double[] s1 = new double[r];
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < r; k++) {
                s1[k] += c.get(i, k) * m.get(i, k);
            }
        }
        double scale = train.traceXX() / d;
        double floor = singularFloor(d, basis.all()[0]);
        double best = Double.NaN;
        double bestError = Double.POSITIVE_INFINITY;
        for (double rel : grid) {
            double lambda = rel * scale;
            double[] dk = inverseShifted(basis.values(), lambda, floor);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("lambda_relative", rel);
            row.put("lambda", lambda);
            if (dk == null) {
                row.put("relative_error", null);
                row.put("note", "X Xᵀ + λI singular in the kept rank");
            } else {
                double e = val.yy();
                for (int k = 0; k < r; k++) {
                    e -= 2 * dk[k] * s1[k];
                }
                for (int k = 0; k < r; k++) {
                    double rowSum = 0;
                    for (int l = 0; l < r; l++) {
                        rowSum += dk[l] * p.get(k, l) * q.get(k, l);
                    }
                    e += dk[k] * rowSum;
                }
                row.put("relative_error", relative(e, val.yy()));
                if (e < bestError) {
                    bestError = e;
                    best = rel;
                }
            }
            table.add(row);
        }
        return best;
    }

    /**
     * √(squared error / Σ|y|²), clamped at 0 (the Gram formula can go slightly negative by cancellation);
     * the absolute √error when every y is zero, so the fit map never holds NaN.
     */
    private static double relative(double squaredError, double yy) {
        double e = Math.max(0, squaredError);
        return yy > 0 ? Math.sqrt(e / yy) : Math.sqrt(e);
    }

    /** 1/(Λ_k + λ), or null when some Λ_k + λ is not above the singularity floor. */
    private static double[] inverseShifted(double[] values, double lambda, double floor) {
        double[] out = new double[values.length];
        for (int k = 0; k < values.length; k++) {
            double shifted = values[k] + lambda;
            if (!(shifted > floor)) {
                return null;
            }
            out[k] = 1 / shifted;
        }
        return out;
    }

    /** d·ε relative to the largest eigenvalue: LAPACK's default tolerance for numerical rank. */
    private static double singularFloor(int d, double largest) {
        return d * Math.ulp(1.0) * largest;
    }

    /** The symmetric eigendecomposition of a d×d Gram, the r largest eigenpairs as columns. */
    private static Basis eigenBasis(double[] g, int d, int r) {
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(new DMatrixRMaj(d, d, true, g))) {
            throw new IllegalStateException("EJML symmetric eigendecomposition of X Xᵀ (d = " + d + ") did not converge");
        }
        Integer[] order = new Integer[d];
        double[] values = new double[d];
        for (int k = 0; k < d; k++) {
            order[k] = k;
            values[k] = eig.getEigenvalue(k).real;
        }
        Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
        double[] all = new double[d];
        DMatrixRMaj v = new DMatrixRMaj(d, r);
        for (int k = 0; k < d; k++) {
            all[k] = values[order[k]];
            if (k < r) {
                DMatrixRMaj vec = eig.getEigenVector(order[k]);
                for (int i = 0; i < d; i++) {
                    v.set(i, k, vec.get(i));
                }
            }
        }
        return new Basis(Arrays.copyOf(all, r), v, all);
    }

    /** Full operator: (G + λI) Aᵀ = Hᵀ by Cholesky. */
    private static Solution cholesky(Gram g, double lambda) {
        int d = g.d();
        DMatrixRMaj k = new DMatrixRMaj(d, d, true, g.xx());
        for (int i = 0; i < d; i++) {
            k.add(i, i, lambda);
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.chol(d);
        String advice = "use proxy lambda > 0 (e.g. 1e-8, or auto) or a rank below the number of independent latents";
        if (!solver.setA(k)) {
            throw new ConfigException("X Xᵀ + λI (λ = " + lambda + ") is not positive definite: the " + g.pairs()
                    + " training pairs do not span the d = " + d + " latent directions; " + advice);
        }
        CholeskyDecomposition_F64<?> dec = solver.getDecomposition();
        DMatrix t = (DMatrix) dec.getT(null);
        double minPivot = Double.POSITIVE_INFINITY;
        double maxPivot = 0;
        for (int i = 0; i < d; i++) {
            double p = Math.abs(t.get(i, i));
            minPivot = Math.min(minPivot, p);
            maxPivot = Math.max(maxPivot, p);
        }
        // (min/max pivot)² estimates λ_min/λ_max of X Xᵀ + λI (to within the growth of the factorisation)
        double pivotRatio = (minPivot / maxPivot) * (minPivot / maxPivot);
        if (!(pivotRatio > d * Math.ulp(1.0))) {
            throw new ConfigException(String.format(java.util.Locale.ROOT,
                    "X Xᵀ + λI (λ = %.3g) is singular to working precision (Cholesky pivot ratio² %.2g ≤ d·ε = %.2g); %s",
                    lambda, pivotRatio, d * Math.ulp(1.0), advice));
        }
        DMatrixRMaj rhs = new DMatrixRMaj(d, d);
        CommonOps_DDRM.transpose(DMatrixRMaj.wrap(d, d, g.yx()), rhs);
        DMatrixRMaj at = new DMatrixRMaj(d, d);
        solver.solve(rhs, at);
        DMatrixRMaj a = new DMatrixRMaj(d, d);
        CommonOps_DDRM.transpose(at, a);
        // ‖Y − A X‖² = tr(Y Yᵀ) − 2⟨A, H⟩ + ⟨A G, A⟩ and A G = H − λA for the ridge solution
        double inner = 0;
        double norm2 = 0;
        for (int i = 0; i < a.data.length; i++) {
            inner += a.data[i] * g.yx()[i];
            norm2 += a.data[i] * a.data[i];
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("solver", "cholesky");
        info.put("cholesky_pivot_ratio", pivotRatio);
        return new Solution(a.data, g.yy() - inner - lambda * norm2, info, null);
    }

    /** Rank r: A = H V_r (Λ_r + λ)⁻¹ V_rᵀ. */
    private static Solution truncated(Gram g, double lambda, int r) {
        int d = g.d();
        Basis basis = eigenBasis(g.xx(), d, r);
        double floor = singularFloor(d, basis.all()[0]);
        double[] dk = inverseShifted(basis.values(), lambda, floor);
        if (dk == null) {
            throw new ConfigException(String.format(java.util.Locale.ROOT,
                    "proxy rank %d exceeds the numerical rank of X Xᵀ (eigenvalue %d is %.3g of the largest) at lambda %.3g: "
                            + "lower the rank or raise lambda", r, r, basis.values()[r - 1] / basis.all()[0], lambda));
        }
        DMatrixRMaj c = new DMatrixRMaj(d, r);
        CommonOps_MT_DDRM.mult(DMatrixRMaj.wrap(d, d, g.yx()), basis.v(), c);
        double e = g.yy();
        DMatrixRMaj cd = c.copy();
        for (int k = 0; k < r; k++) {
            double col2 = 0;
            for (int i = 0; i < d; i++) {
                col2 += c.get(i, k) * c.get(i, k);
                cd.set(i, k, c.get(i, k) * dk[k]);
            }
            e += -2 * dk[k] * col2 + dk[k] * dk[k] * basis.values()[k] * col2;
        }
        DMatrixRMaj a = new DMatrixRMaj(d, d);
        CommonOps_MT_DDRM.multTransB(cd, basis.v(), a);
        // the nonzero eigenvalues of A = (C D) V_rᵀ are those of the r×r matrix V_rᵀ (C D)
        DMatrixRMaj reduced = new DMatrixRMaj(r, r);
        CommonOps_MT_DDRM.multTransA(basis.v(), cd, reduced);
        double total = 0;
        double kept = 0;
        for (int k = 0; k < d; k++) {
            total += Math.max(0, basis.all()[k]);
            if (k < r) {
                kept += Math.max(0, basis.all()[k]);
            }
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("solver", "symmetric-eigen");
        info.put("rank_energy_kept", kept / total);
        info.put("gram_eigenvalue_ratio_kept", basis.values()[r - 1] / basis.all()[0]);
        return new Solution(a.data, e, info, reduced);
    }

    /** The spectral radius of A and its largest eigenvalues (a linear proxy with |λ| > 1 grows). */
    static Map<String, Object> spectrum(double[] a, int d, DMatrixRMaj reduced) {
        Map<String, Object> out = new LinkedHashMap<>();
        DMatrixRMaj m = reduced;
        String method = "eigen (EJML, all " + d + " eigenvalues of A)";
        if (m != null) {
            method = "eigen of the " + m.numRows + "×" + m.numRows + " reduced operator V_rᵀ A V_r (A's other eigenvalues are 0)";
        } else if (d <= EXACT_EIGEN_MAX_D) {
            m = new DMatrixRMaj(d, d, true, a);
        }
        if (m == null) {
            out.put("spectral_radius", powerEstimate(a, d));
            out.put("spectral_radius_method", "power iteration: mean growth rate of ‖Aᵏv‖ over iterations "
                    + POWER_ITERATIONS / 2 + "–" + POWER_ITERATIONS + " (d = " + d + " > " + EXACT_EIGEN_MAX_D + ")");
        } else {
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m.numRows, false, false);
            if (!eig.decompose(m.copy())) {
                throw new IllegalStateException("EJML eigendecomposition of A (" + m.numRows + "×" + m.numRows + ") did not converge");
            }
            List<Complex_F64> values = new ArrayList<>();
            for (int k = 0; k < eig.getNumberOfEigenvalues(); k++) {
                values.add(eig.getEigenvalue(k));
            }
            values.sort((x, y) -> Double.compare(y.getMagnitude(), x.getMagnitude()));
            List<Map<String, Object>> listed = new ArrayList<>();
            long outside = 0;
            for (Complex_F64 v : values) {
                if (v.getMagnitude() > 1) {
                    outside++;
                }
                if (listed.size() < EIGENVALUES_LISTED) {
                    Map<String, Object> e = new LinkedHashMap<>();
                    e.put("re", v.real);
                    e.put("im", v.imaginary);
                    e.put("abs", v.getMagnitude());
                    listed.add(e);
                }
            }
            out.put("spectral_radius", values.isEmpty() ? 0.0 : values.get(0).getMagnitude());
            out.put("spectral_radius_method", method);
            out.put("eigenvalues_outside_unit_circle", outside);
            out.put("largest_eigenvalues", listed);
        }
        out.put("grows", (double) out.get("spectral_radius") > 1);
        return out;
    }

    /** exp of the mean of log‖A v_k‖ over the second half of a normalised power iteration (fixed seed). */
    static double powerEstimate(double[] a, int d) {
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
            double n2 = 0;
            for (int i = 0; i < d; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += a[i * d + j] * v[j];
                }
                w[i] = s;
                n2 += s * s;
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
