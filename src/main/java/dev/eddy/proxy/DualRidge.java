package dev.eddy.proxy;

import dev.eddy.config.ConfigException;
import dev.eddy.numerics.Parallel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.ejml.data.DMatrixRMaj;

/**
 * The ridge fit in the snapshot (dual) form (design §4; Sirovich's method of snapshots, Sirovich 1987,
 * doi:10.1090/qam/910462): with m pairs X = Z[:, x], Y = Z[:, y] of dimension d and m &lt; d, the push-through
 * identity Y Xᵀ(X Xᵀ + λI)⁻¹ = Y (XᵀX + λI)⁻¹ Xᵀ puts every solve in m×m matrices, all blocks of the snapshot
 * Gram G = ZᵀZ. With XᵀX = U S Uᵀ (S descending; X = V Σ Uᵀ, so S = Σ² are X Xᵀ's nonzero eigenvalues and
 * V_r = X U_r Σ_r⁻¹ its eigenvectors):
 * <ul>
 *   <li>A = Z_Y U_r (S_r + λ)⁻¹ U_rᵀ Z_Xᵀ — the primal rank-r operator Y Xᵀ V_r (Λ_r + λ)⁻¹ V_rᵀ exactly
 *       (r = m for the full operator: the primal's other d − m eigenvalues are 0, and Y Xᵀ v = 0 on them).
 *       Kept in factors A = L Rᵀ with R = Z_X U_r S_r^(−1/2) orthonormal ({@link OperatorFactors} says why
 *       not with the m×m core U_r (S_r + λ)⁻¹ U_rᵀ).</li>
 *   <li>Singular systems are refused by the primal's rule: every kept S_k + λ, and λ itself when the primal
 *       would keep some of its d − m zero eigenvalues (rank &gt; m, e.g. the full operator), must exceed
 *       d·ε·S_1. So λ = 0 with m &lt; d is refused as it is in the primal form, and both forms choose the
 *       same λ.</li>
 *   <li>λ by validation: for the held-out pairs (X_v, Y_v), with E = U_rᵀ XᵀX_v, F = U_rᵀ YᵀY_v,
 *       P = U_rᵀ YᵀY U_r, Q = E Eᵀ and D = (S_r + λ)⁻¹, ‖Y_v − A X_v‖² = tr(Y_vᵀY_v) − 2 Σ_k D_k (E∘F 1)_k
 *       + Σ_kl D_k D_l P_kl Q_kl: one eigendecomposition of the training XᵀX, then O(r²) per λ.</li>
 *   <li>Training residual: A X = Y U_r D S_r U_rᵀ, so ‖Y − A X‖² = tr(YᵀY) − Σ_k P_kk (2 D_k S_k − D_k² S_k²).</li>
 *   <li>Spectrum: A's nonzero eigenvalues are those of the r×r matrix D U_rᵀ XᵀY U_r.</li>
 * </ul>
 */
final class DualRidge {
    private DualRidge() {
    }

    static LinearProxy learn(SnapshotGram g, Snapshots snaps, ProxySettings s, RidgeLearner.Timings timings, long started) {
        int d = snaps.d();
        s.checkDimension(d);
        SnapshotPairs train = snaps.train();
        SnapshotPairs val = snaps.validation();
        if (!g.allFinite()) {
            throw new ConfigException("the snapshot Gram has non-finite entries (a latent was NaN or infinite)");
        }
        check(g, train, "training");
        boolean hasValidation = val.size() > 0;
        if (hasValidation) {
            check(g, val, "validation");
        } else if (s.lambdaByValidation()) {
            throw new ConfigException("proxy lambda auto needs validation pairs; none were held out");
        }
        int rank = s.rank() == 0 ? d : s.rank();
        Map<String, Object> fit = new LinkedHashMap<>();
        fit.put("form", RidgeForm.DUAL.label());
        fit.put("training_pairs", (long) train.size());
        fit.put("validation_pairs", (long) val.size());
        fit.put("lambda_choice", s.lambdaByValidation() ? "validation" : "fixed");
        SnapshotPairs all = train.plus(val);
        int m = all.size();
        int r = Math.min(rank, m);
        DMatrixRMaj k = block(g, all.x(), all.x());
        try (Parallel parallel = new Parallel(0)) {
            // the two symmetric eigendecompositions (training block for the λ sweep, all pairs for the fit) are
            // independent and EJML's are mostly serial: run them side by side
            RidgeLearner.Basis[] bases = timings.time("eigen", () -> {
                CompletableFuture<RidgeLearner.Basis> allPairs = CompletableFuture.supplyAsync(() -> RidgeLearner.eigenBasis(k, r));
                RidgeLearner.Basis trainOnly = hasValidation
                        ? RidgeLearner.eigenBasis(block(g, train.x(), train.x()), Math.min(rank, train.size())) : null;
                try {
                    return new RidgeLearner.Basis[] {trainOnly, allPairs.join()};
                } catch (CompletionException ex) {
                    throw ex.getCause() instanceof RuntimeException re ? re : ex;
                }
            });
            double lambdaRelative = s.lambda();
            if (hasValidation) {
                double[] grid = s.lambdaByValidation() ? RidgeLearner.LAMBDA_GRID : new double[] {s.lambda()};
                List<Map<String, Object>> table = new ArrayList<>();
                lambdaRelative = timings.time("validation", () -> validate(g, train, val, rank, bases[0], grid, table, parallel));
                RidgeLearner.putValidation(fit, table, lambdaRelative, grid, rank);
            }
            double scale = trace(k) / d;
            double lambda = lambdaRelative * scale;
            fit.put("lambda_relative", lambdaRelative);
            fit.put("lambda", lambda);
            fit.put("lambda_scale", scale);
            fit.put("rank", rank);
            RidgeLearner.Basis basis = bases[1];
            double floor = RidgeLearner.singularFloor(d, basis.all()[0]);
            double[] dk = shiftedInverse(basis, lambda, floor, rank > m);
            if (dk == null) {
                if (s.rank() == 0) {
                    throw new ConfigException(String.format(java.util.Locale.ROOT,
                            "X Xᵀ + λI (λ = %.3g) is singular to working precision: its smallest eigenvalue is at most %.2g of the largest"
                                    + " (≤ d·ε = %.2g; the %d pairs span at most %d of the d = %d latent directions); %s",
                            lambda, (minKept(basis, rank > m) + lambda) / (basis.all()[0] + lambda), d * Math.ulp(1.0), m, m, d,
                            RidgeLearner.FULL_ADVICE));
                }
                throw RidgeLearner.rankRefusal(rank, minKept(basis, rank > m) / basis.all()[0], lambda);
            }
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("solver", "dual-symmetric-eigen");
            if (s.rank() == 0) {
                info.put("shifted_gram_eigenvalue_ratio", (minKept(basis, rank > m) + lambda) / (basis.all()[0] + lambda));
            } else {
                info.put("rank_energy_kept", RidgeLearner.energyKept(basis.all(), r));
                info.put("gram_eigenvalue_ratio_kept", minKept(basis, rank > m) / basis.all()[0]);
            }
            double[] u = basis.v().data; // m×r row-major
            OperatorFactors factors = timings.time("solve", () -> factors(snaps, all, u, m, r, basis.values(), dk, parallel));
            double squaredResidual = timings.time("solve", () -> {
                // P_kk = u_kᵀ YᵀY u_k, and ‖Y − A X‖² = tr(YᵀY) − Σ_k P_kk (2 D_k S_k − D_k² S_k²)
                double[] yyU = HostGemm.product(block(g, all.y(), all.y()).data, m, 1, u, m, m, r, parallel);
                double e = yy(g, all);
                for (int c = 0; c < r; c++) {
                    double pkk = 0;
                    for (int i = 0; i < m; i++) {
                        pkk += u[i * r + c] * yyU[i * r + c];
                    }
                    double ds = dk[c] * basis.values()[c];
                    e -= pkk * (2 * ds - ds * ds);
                }
                return e;
            });
            for (double[] f : new double[][] {factors.left(), factors.right()}) {
                for (double v : f) {
                    if (!Double.isFinite(v)) {
                        throw new ConfigException("the proxy fit produced a non-finite operator (lambda " + lambda + "); raise lambda or lower the rank");
                    }
                }
            }
            fit.putAll(info);
            fit.put("training_relative_residual", RidgeLearner.relative(squaredResidual, yy(g, all)));
            fit.put("factor_rank", factors.rank());
            fit.put("apply_macs_factored", factors.applyMacs());
            fit.put("apply_macs_explicit", (long) d * d);
            // A = L Rᵀ has the nonzero eigenvalues of the r×r Rᵀ L: from the factors themselves (the Gram's
            // D Uᵀ XᵀY U is the same matrix in exact arithmetic, but rounds as cond(XᵀX), not as A)
            fit.putAll(timings.time("spectrum", () -> Spectrum.summary(DMatrixRMaj.wrap(factors.m(), factors.m(), factors.reduced()),
                    "the " + factors.m() + "×" + factors.m() + " matrix Rᵀ L of A = L Rᵀ (A's other eigenvalues are 0)", parallel)));
            RidgeLearner.finish(fit, timings, started);
            return new LinearProxy(factors, lambda, rank, fit);
        }
    }

    /**
     * A's factors L = Z_Y U D S^(1/2) and R = Z_X U S^(−1/2) ({@link OperatorFactors}) from the r kept
     * modes (U m×r row-major, S descending, D = (S + λ)⁻¹), dropping the modes whose S is not positive: in
     * exact arithmetic S ≥ 0, and S = 0 means Z_X u = 0, a mode that adds nothing to A. 2·d·m·r multiply-adds.
     */
    static OperatorFactors factors(Snapshots snaps, SnapshotPairs all, double[] u, int m, int r, double[] s, double[] dk,
                                   Parallel parallel) {
        int d = snaps.d();
        int kept = 0;
        while (kept < r && s[kept] > 0) {
            kept++;
        }
        if (kept == 0) {
            throw new ConfigException("the training latents are all zero: there is no operator to learn");
        }
        double[] uk = new double[m * kept]; // U's kept columns, row-major m×kept
        for (int i = 0; i < m; i++) {
            System.arraycopy(u, i * r, uk, i * kept, kept);
        }
        double[] zx = gather(snaps, all.x());
        double[] zy = gather(snaps, all.y());
        // Z_X U and Z_Y U as row-major d×kept (Z column-major d×m read with strides (1, d))
        double[] xu = HostGemm.product(zx, 1, d, uk, d, m, kept, parallel);
        double[] yu = HostGemm.product(zy, 1, d, uk, d, m, kept, parallel);
        double[] left = new double[d * kept];
        double[] right = new double[d * kept];
        for (int c = 0; c < kept; c++) {
            double root = Math.sqrt(s[c]);
            double toRight = 1 / root;
            double toLeft = dk[c] * root;
            for (int i = 0; i < d; i++) {
                right[c * d + i] = xu[i * kept + c] * toRight;
                left[c * d + i] = yu[i * kept + c] * toLeft;
            }
        }
        return new OperatorFactors(d, left, right, kept);
    }

    /** The columns {@code cols} of the snapshots' Z, as a column-major d×|cols| matrix. */
    private static double[] gather(Snapshots snaps, int[] cols) {
        int d = snaps.d();
        double[] out = new double[Math.multiplyExact(d, cols.length)];
        for (int t = 0; t < cols.length; t++) {
            System.arraycopy(snaps.z(), cols[t] * d, out, t * d, d);
        }
        return out;
    }

    /**
     * Scores each relative λ of {@code grid} fitted on {@code train} (rank {@code rank}, {@code basis} the
     * eigendecomposition of its XᵀX) on {@code val}, from blocks of G; fills {@code table} and returns the
     * λ_rel of least held-out error (NaN if none is usable).
     */
    static double validate(SnapshotGram g, SnapshotPairs train, SnapshotPairs val, int rank, RidgeLearner.Basis basis, double[] grid,
                           List<Map<String, Object>> table, Parallel parallel) {
        int d = g.d();
        int m = train.size();
        int r = Math.min(rank, m);
        int mv = val.size();
        double[] u = basis.v().data; // m×r row-major; Uᵀ is read through strides (1, r)
        double[] e = HostGemm.product(u, 1, r, block(g, train.x(), val.x()).data, r, m, mv, parallel); // r×mv
        double[] f = HostGemm.product(u, 1, r, block(g, train.y(), val.y()).data, r, m, mv, parallel);
        double[] yyU = HostGemm.product(block(g, train.y(), train.y()).data, m, 1, u, m, m, r, parallel);
        DMatrixRMaj p = DMatrixRMaj.wrap(r, r, HostGemm.product(u, 1, r, yyU, r, m, r, parallel));
        DMatrixRMaj q = DMatrixRMaj.wrap(r, r, HostGemm.product(e, mv, 1, transpose(e, r, mv), r, mv, r, parallel));
        double[] s1 = new double[r];
        for (int c = 0; c < r; c++) {
            double sum = 0;
            for (int t = 0; t < mv; t++) {
                sum += e[c * mv + t] * f[c * mv + t];
            }
            s1[c] = sum;
        }
        double floor = RidgeLearner.singularFloor(d, basis.all()[0]);
        double yyv = yy(g, val);
        double trace = 0;
        for (int x : train.x()) {
            trace += g.get(x, x);
        }
        return RidgeLearner.sweep(grid, trace / d, yyv, lambda -> {
            double[] dk = shiftedInverse(basis, lambda, floor, rank > m);
            return dk == null ? Double.NaN : RidgeLearner.heldOutError(yyv, dk, s1, p, q);
        }, table);
    }

    /** The transpose of a row-major rows×cols matrix. */
    private static double[] transpose(double[] a, int rows, int cols) {
        double[] out = new double[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[j * rows + i] = a[i * cols + j];
            }
        }
        return out;
    }

    /**
     * 1/(S_k + λ) for the kept eigenvalues, or null when the system is singular by the primal's rule: a kept
     * S_k + λ, or λ itself when zero eigenvalues of X Xᵀ are kept, not above the floor.
     */
    private static double[] shiftedInverse(RidgeLearner.Basis basis, double lambda, double floor, boolean keepsZeros) {
        if (keepsZeros && !(lambda > floor)) {
            return null;
        }
        return RidgeLearner.inverseShifted(basis.values(), lambda, floor);
    }

    /** The smallest eigenvalue of X Xᵀ the fit keeps: 0 when it keeps some of the d − m zero ones. */
    private static double minKept(RidgeLearner.Basis basis, boolean keepsZeros) {
        return keepsZeros ? 0 : basis.values()[basis.values().length - 1];
    }

    private static void check(SnapshotGram g, SnapshotPairs pairs, String what) {
        if (pairs.size() == 0) {
            throw new ConfigException("the " + what + " pairs are empty: the proxy needs at least two snapshots there");
        }
        if (pairs.maxColumn() >= g.columns()) {
            throw new IllegalArgumentException("a " + what + " pair names column " + pairs.maxColumn() + " of a snapshot Gram of "
                    + g.columns() + " columns");
        }
        double tr = 0;
        for (int x : pairs.x()) {
            tr += g.get(x, x);
        }
        if (tr <= 0) {
            throw new ConfigException("every " + what + " latent is zero: there is nothing to fit");
        }
    }

    /** G[rows, cols] as an EJML matrix. */
    static DMatrixRMaj block(SnapshotGram g, int[] rows, int[] cols) {
        DMatrixRMaj out = new DMatrixRMaj(rows.length, cols.length);
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < cols.length; j++) {
                out.data[i * cols.length + j] = g.get(rows[i], cols[j]);
            }
        }
        return out;
    }

    /** Σ|y|² of the pairs, in pair order. */
    private static double yy(SnapshotGram g, SnapshotPairs pairs) {
        double s = 0;
        for (int y : pairs.y()) {
            s += g.get(y, y);
        }
        return s;
    }

    private static double trace(DMatrixRMaj k) {
        double s = 0;
        for (int i = 0; i < k.numRows; i++) {
            s += k.get(i, i);
        }
        return s;
    }
}
