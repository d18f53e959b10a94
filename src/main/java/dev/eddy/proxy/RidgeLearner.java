package dev.eddy.proxy;

import dev.eddy.config.ConfigException;
import dev.eddy.numerics.Parallel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Supplier;
import org.ejml.data.DMatrix;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_MT_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_MT_DDRM;
import org.ejml.interfaces.decomposition.CholeskyDecomposition_F64;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Ridge least squares for the proxy operator (design §4): A = Y Xᵀ (X Xᵀ + λI)⁻¹ = Y (XᵀX + λI)⁻¹ Xᵀ,
 * on the host with EJML, in the form of the right size ({@link RidgeForm}): the primal form here, from the
 * d×d Grams; the dual (snapshot) form in {@link DualRidge}, from the m×m Grams.
 *
 * <ul>
 *   <li>Full operator (rank 0), primal: (X Xᵀ + λI) Aᵀ = X Yᵀ solved by Cholesky (symmetric positive definite;
 *       no explicit inverse; EJML's blocked multithreaded Cholesky). A system that is singular to working
 *       precision (pivot ratio below d·ε, as LAPACK's default rank tolerance) is refused with a message that
 *       says what to change.</li>
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
    /** Symmetric eigenproblems from this size on use EJML's multithreaded tridiagonalisation. */
    static final int MT_EIGEN_MIN = 256;

    private RidgeLearner() {
    }

    /** A symmetric matrix's eigenvalues, all of them descending, and the eigenvectors of the r largest as columns of v. */
    record Basis(double[] values, DMatrixRMaj v, double[] all) {
    }

    record Solution(double[] a, double squaredResidual, Map<String, Object> info, DMatrixRMaj reduced, String reducedWhat) {
    }

    /** Wall seconds of the parts of a fit, in order, for the fit map. */
    static final class Timings {
        private final Map<String, Object> seconds = new LinkedHashMap<>();

        <T> T time(String part, Supplier<T> body) {
            long t0 = System.nanoTime();
            T out = body.get();
            seconds.merge(part, (System.nanoTime() - t0) * 1e-9, (x, y) -> (double) x + (double) y);
            return out;
        }

        Map<String, Object> map() {
            return seconds;
        }
    }

    /**
     * Runs a few small dual-form fits (d = 160, 32 latents of a synthetic AR(1) sequence, λ by validation,
     * explicit A, host rollout) and throws the results away, so that the first real fit of the process does
     * not pay for class loading and interpreted code: the pipeline learns once per process, cold. Meant for
     * a background thread while the training window runs (e.g. {@code CompletableFuture.runAsync(
     * RidgeLearner::warmUp)}), when the host cores are idle; about 0.1–0.5 s of one core (dev VM).
     */
    public static void warmUp() {
        int d = 160;
        int columns = 32;
        java.util.Random random = new java.util.Random(1);
        double[] z = new double[d * columns];
        for (int t = 0; t < columns; t++) {
            for (int i = 0; i < d; i++) {
                double previous = t == 0 ? 0 : z[(t - 1) * d + i];
                z[t * d + i] = 0.9 * previous + random.nextGaussian() / (1 + i);
            }
        }
        ProxySettings s = new ProxySettings(ProxySettings.AUTO, 0, 0.2);
        for (int k = 0; k < 3; k++) {
            LinearProxy p = learn(Snapshots.sequence(z, d, columns, s.splitBeforeLatent(columns)), null, s, RidgeForm.DUAL);
            p.a();
            try (CpuRollout_F64 r = new CpuRollout_F64(d, 1)) {
                r.run(p, java.util.Arrays.copyOf(z, d), 8);
                r.run(p.a(), java.util.Arrays.copyOf(z, d), 8);
            }
        }
    }

    /**
     * Learns A from the snapshots in the form {@link RidgeForm#choose} picks for their pairs (dual when
     * there are fewer pairs than d). {@code gram} is the snapshot Gram ZᵀZ of their columns (e.g. from
     * {@link GpuSnapshotGram}), or null to compute it on the host when the dual form needs it.
     */
    public static LinearProxy learn(Snapshots snapshots, SnapshotGram gram, ProxySettings s) {
        return learn(snapshots, gram, s, RidgeForm.AUTO);
    }

    /** As {@link #learn(Snapshots, SnapshotGram, ProxySettings)} in a given form (AUTO chooses). */
    public static LinearProxy learn(Snapshots snapshots, SnapshotGram gram, ProxySettings s, RidgeForm form) {
        long started = System.nanoTime();
        int d = snapshots.d();
        RidgeForm chosen = form.resolve(d, snapshots.all().size());
        Timings timings = new Timings();
        if (chosen == RidgeForm.DUAL) {
            SnapshotGram g = gram;
            if (g == null) {
                g = timings.time("snapshot_gram", () -> SnapshotGram.compute(snapshots.z(), d, 0, snapshots.columns(), 0));
            } else if (g.d() != d || g.columns() < snapshots.columns()) {
                throw new IllegalArgumentException("snapshot Gram of d = " + g.d() + " and " + g.columns() + " columns for "
                        + snapshots.columns() + " snapshots of d = " + d);
            }
            return DualRidge.learn(g, snapshots, s, timings, started);
        }
        Gram[] blocks = timings.time("primal_gram", () -> {
            try (Parallel p = new Parallel(0)) {
                Gram train = snapshots.primalGram(snapshots.train(), p);
                Gram val = snapshots.validation().size() == 0 ? null : snapshots.primalGram(snapshots.validation(), p);
                return new Gram[] {train, val};
            }
        });
        return learnPrimal(blocks[0], blocks[1], s, timings, started);
    }

    /**
     * Learns A in the primal form from the training Gram, choosing λ on {@code validation} (null when there
     * is none) when the settings ask for it, then refitting on all pairs.
     */
    public static LinearProxy learn(Gram train, Gram validation, ProxySettings s) {
        return learnPrimal(train, validation, s, new Timings(), System.nanoTime());
    }

    private static LinearProxy learnPrimal(Gram train, Gram validation, ProxySettings s, Timings timings, long started) {
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
        fit.put("form", RidgeForm.PRIMAL.label());
        fit.put("training_pairs", train.pairs());
        fit.put("validation_pairs", validation == null ? 0L : validation.pairs());
        fit.put("lambda_choice", s.lambdaByValidation() ? "validation" : "fixed");

        double lambdaRelative = s.lambda();
        if (validation != null) {
            double[] grid = s.lambdaByValidation() ? LAMBDA_GRID : new double[] {s.lambda()};
            List<Map<String, Object>> table = new ArrayList<>();
            lambdaRelative = validate(train, validation, r, grid, table, timings);
            putValidation(fit, table, lambdaRelative, grid, r);
        }
        Gram all = validation == null ? train : train.plus(validation);
        double scale = all.traceXX() / d;
        double lambda = lambdaRelative * scale;
        fit.put("lambda_relative", lambdaRelative);
        fit.put("lambda", lambda);
        fit.put("lambda_scale", scale);
        fit.put("rank", r);
        Solution sol = timings.time("solve", () -> s.rank() == 0 ? cholesky(all, lambda) : truncated(all, lambda, r));
        fit.putAll(sol.info());
        fit.put("training_relative_residual", relative(sol.squaredResidual(), all.yy()));
        for (double v : sol.a()) {
            if (!Double.isFinite(v)) {
                throw new ConfigException("the proxy fit produced a non-finite A (lambda " + lambda + "); raise lambda or lower the rank");
            }
        }
        DMatrixRMaj m = sol.reduced() != null ? sol.reduced() : DMatrixRMaj.wrap(d, d, sol.a());
        fit.putAll(timings.time("spectrum", () -> Spectrum.summary(m, sol.reduced() != null ? sol.reducedWhat() : "A")));
        finish(fit, timings, started);
        return new LinearProxy(d, sol.a(), lambda, r, fit);
    }

    /** The validation table and the chosen λ's error into the fit map; refuses when no λ of the grid was usable. */
    static void putValidation(Map<String, Object> fit, List<Map<String, Object>> table, double best, double[] grid, int r) {
        fit.put("validation", table);
        if (Double.isNaN(best)) {
            throw new ConfigException("no proxy lambda in " + Arrays.toString(grid) + " gives a positive-definite system with rank "
                    + r + ": the training latents span fewer than " + r + " directions; lower the rank or raise lambda");
        }
        for (Map<String, Object> row : table) {
            if (row.get("lambda_relative").equals(best)) {
                fit.put("validation_relative_error", row.get("relative_error"));
            }
        }
    }

    /** Timings and the total wall time of the host solve into the fit map. */
    static void finish(Map<String, Object> fit, Timings timings, long started) {
        fit.put("timings_seconds", timings.map());
        fit.put("host_solve_seconds", (System.nanoTime() - started) * 1e-9);
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
     * Scores each relative λ of {@code grid} with {@code squaredError} (the held-out squared error of the fit
     * at absolute λ = λ_rel·scale, NaN when the system is singular there); fills {@code table} and returns
     * the λ_rel of least error (NaN if none is usable). Both forms score through here.
     */
    static double sweep(double[] grid, double scale, double yyHeldOut, DoubleUnaryOperator squaredError, List<Map<String, Object>> table) {
        double best = Double.NaN;
        double bestError = Double.POSITIVE_INFINITY;
        for (double rel : grid) {
            double lambda = rel * scale;
            double e = squaredError.applyAsDouble(lambda);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("lambda_relative", rel);
            row.put("lambda", lambda);
            if (Double.isNaN(e)) {
                row.put("relative_error", null);
                row.put("note", "X Xᵀ + λI singular in the kept rank");
            } else {
                row.put("relative_error", relative(e, yyHeldOut));
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
     * Scores each relative λ of {@code grid} (fitted on {@code train}, rank r) on {@code val}; fills
     * {@code table} and returns the λ_rel of least validation error (NaN if none is usable).
     */
    static double validate(Gram train, Gram val, int r, double[] grid, List<Map<String, Object>> table, Timings timings) {
        int d = train.d();
        Basis basis = timings.time("eigen", () -> eigenBasis(new DMatrixRMaj(d, d, true, train.xx()), r));
        return timings.time("validation", () -> {
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
            double floor = singularFloor(d, basis.all()[0]);
            return sweep(grid, train.traceXX() / d, val.yy(), lambda -> {
                double[] dk = inverseShifted(basis.values(), lambda, floor);
                return dk == null ? Double.NaN : heldOutError(val.yy(), dk, s1, p, q);
            }, table);
        });
    }

    /**
     * yy_v − 2 Σ_k D_k s1_k + Σ_kl D_k D_l P_kl Q_kl: the held-out squared error in the eigenbasis of the
     * training Gram (both forms; P and Q symmetric r×r).
     */
    static double heldOutError(double yy, double[] dk, double[] s1, DMatrixRMaj p, DMatrixRMaj q) {
        int r = dk.length;
        double e = yy;
        for (int k = 0; k < r; k++) {
            e -= 2 * dk[k] * s1[k];
        }
        for (int k = 0; k < r; k++) {
            double rowSum = 0;
            for (int l = 0; l < r; l++) {
                rowSum += dk[l] * p.data[k * r + l] * q.data[k * r + l];
            }
            e += dk[k] * rowSum;
        }
        return e;
    }

    /**
     * √(squared error / Σ|y|²), clamped at 0 (the Gram formula can go slightly negative by cancellation);
     * the absolute √error when every y is zero, so the fit map never holds NaN.
     */
    static double relative(double squaredError, double yy) {
        double e = Math.max(0, squaredError);
        return yy > 0 ? Math.sqrt(e / yy) : Math.sqrt(e);
    }

    /** 1/(Λ_k + λ), or null when some Λ_k + λ is not above the singularity floor. */
    static double[] inverseShifted(double[] values, double lambda, double floor) {
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
    static double singularFloor(int d, double largest) {
        return d * Math.ulp(1.0) * largest;
    }

    /** The symmetric eigendecomposition of an n×n Gram, the r largest eigenpairs as columns (r ≤ n). */
    static Basis eigenBasis(DMatrixRMaj g, int r) {
        int n = g.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = n >= MT_EIGEN_MIN
                ? DecompositionFactory_MT_DDRM.eig(n, true, true) : DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(g.copy())) {
            throw new IllegalStateException("EJML symmetric eigendecomposition of a " + n + "×" + n + " Gram did not converge");
        }
        Integer[] order = new Integer[n];
        double[] values = new double[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
            values[k] = eig.getEigenvalue(k).real;
        }
        Arrays.sort(order, (x, y) -> Double.compare(values[y], values[x]));
        double[] all = new double[n];
        DMatrixRMaj v = new DMatrixRMaj(n, r);
        for (int k = 0; k < n; k++) {
            all[k] = values[order[k]];
            if (k < r) {
                DMatrixRMaj vec = eig.getEigenVector(order[k]);
                for (int i = 0; i < n; i++) {
                    v.set(i, k, vec.get(i));
                }
            }
        }
        return new Basis(Arrays.copyOf(all, r), v, all);
    }

    /** What to change when the full operator's system is singular. */
    static final String FULL_ADVICE = "use proxy lambda > 0 (e.g. 1e-8, or auto) or a rank below the number of independent latents";

    /** Full operator: (G + λI) Aᵀ = Hᵀ by Cholesky (EJML's multithreaded block Cholesky from d = 256 on). */
    private static Solution cholesky(Gram g, double lambda) {
        int d = g.d();
        DMatrixRMaj k = new DMatrixRMaj(d, d, true, g.xx());
        for (int i = 0; i < d; i++) {
            k.add(i, i, lambda);
        }
        LinearSolverDense<DMatrixRMaj> solver = d >= MT_EIGEN_MIN ? LinearSolverFactory_MT_DDRM.chol(d) : LinearSolverFactory_DDRM.chol(d);
        if (!solver.setA(k)) {
            throw new ConfigException("X Xᵀ + λI (λ = " + lambda + ") is not positive definite: the " + g.pairs()
                    + " training pairs do not span the d = " + d + " latent directions; " + FULL_ADVICE);
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
                    lambda, pivotRatio, d * Math.ulp(1.0), FULL_ADVICE));
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
        return new Solution(a.data, g.yy() - inner - lambda * norm2, info, null, null);
    }

    /** The refusal of a rank that exceeds the numerical rank of the Gram (both forms). */
    static ConfigException rankRefusal(int r, double keptRatio, double lambda) {
        return new ConfigException(String.format(java.util.Locale.ROOT,
                "proxy rank %d exceeds the numerical rank of X Xᵀ (eigenvalue %d is %.3g of the largest) at lambda %.3g: "
                        + "lower the rank or raise lambda", r, r, keptRatio, lambda));
    }

    /** Rank r: A = H V_r (Λ_r + λ)⁻¹ V_rᵀ. */
    private static Solution truncated(Gram g, double lambda, int r) {
        int d = g.d();
        Basis basis = eigenBasis(new DMatrixRMaj(d, d, true, g.xx()), r);
        double floor = singularFloor(d, basis.all()[0]);
        double[] dk = inverseShifted(basis.values(), lambda, floor);
        if (dk == null) {
            throw rankRefusal(r, basis.values()[r - 1] / basis.all()[0], lambda);
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
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("solver", "symmetric-eigen");
        info.put("rank_energy_kept", energyKept(basis.all(), r));
        info.put("gram_eigenvalue_ratio_kept", basis.values()[r - 1] / basis.all()[0]);
        return new Solution(a.data, e, info, reduced, "the " + r + "×" + r + " reduced operator V_rᵀ A V_r (A's other eigenvalues are 0)");
    }

    /** Σ of the r largest (positive parts of the) eigenvalues over the Σ of all of them. */
    static double energyKept(double[] all, int r) {
        double total = 0;
        double kept = 0;
        for (int k = 0; k < all.length; k++) {
            total += Math.max(0, all[k]);
            if (k < r) {
                kept += Math.max(0, all[k]);
            }
        }
        return kept / total;
    }
}
