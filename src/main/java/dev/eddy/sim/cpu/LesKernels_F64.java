package dev.eddy.sim.cpu;

import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Reals_F64;
import dev.eddy.sim.DiagnosticSums;
import dev.eddy.sim.MemberParams;

/**
 * The LES kernels as plain data-parallel loops over packed rows [r0, r1): the specification that the
 * GLSL shaders of the same names are tested against. Per-point math is in small static methods (the GLSL
 * functions of the same names); the loops only index.
 *
 * <p>Members. A batch of B members (an ensemble; a single run is B = 1) is laid out member-minor: row r
 * of a loop is row j = r mod N of member m = r / N (a shader takes m from gl_WorkGroupID.z). A state
 * (ω̂, a stage's explicit term) holds member m at [m·L, (m+1)·L) with L = {@link Grid#fieldLength()};
 * the work buffer holds field f of member m at f·B·L + m·L, so that the fields one FFT transforms are
 * contiguous for every member at once (field-major: the batched FFTs transform the first 6B or 3B
 * fields). With B = 1 every index is a single run's. Per-member parameters come from the table of
 * {@link MemberParams}.
 *
 * <p>Work-buffer fields after {@link #spectralFields}: 0 û, 1 v̂, 2 ∂̂ω/∂x, 3 ∂̂ω/∂y, and with the SGS
 * model 4 Ŝ₁₁, 5 Ŝ₁₂. After {@link #physicalProducts}: 0 u·∇ω, 1 ν_t ∂ω/∂x, 2 ν_t ∂ω/∂y.
 */
public final class LesKernels_F64 {
    /** Fields inverse-transformed per stage with the SGS model (without it: 4). */
    public static final int SPECTRAL_FIELDS_SGS = 6;
    public static final int SPECTRAL_FIELDS_DNS = 4;
    /** Fields forward-transformed per stage with the SGS model (without it: 1). */
    public static final int PRODUCT_FIELDS_SGS = 3;
    public static final int PRODUCT_FIELDS_DNS = 1;
    /** Row maxima per row written by {@link #physicalProducts}: max|u|, max|v|, max(u² + v²). */
    public static final int ROW_MAXIMA = 3;
    /** Sums per row written by {@link #diagnosticSums} (the indices are {@link DiagnosticSums}'). */
    public static final int DIAGNOSTIC_SUMS = DiagnosticSums.COUNT;

    private LesKernels_F64() {
    }

    // ---- per-point math (twins of the GLSL functions) ----

    /** 1/k² with the mean mode mapped to 0 (ψ̂(0,0) = 0). */
    public static double inverseLaplacian(int kx, int ky) {
        int k2 = kx * kx + ky * ky;
        return k2 == 0 ? (double) 0 : (double) 1 / (double) k2;
    }

    /** Smagorinsky eddy viscosity ν_t = (C_sΔ)²|S| with |S| = 2·sqrt(S₁₁² + S₁₂²). */
    public static double eddyViscosity(double s11, double s12, double csDelta2) {
        return csDelta2 * (double) 2 * (double) Math.sqrt(s11 * s11 + s12 * s12);
    }

    /** NaN-propagating max: a blown-up value must not hide behind Math.max's ordering. */
    public static double maxNan(double a, double b) {
        return (b > a || b != b) ? b : a;
    }

    /** The advection u·∇ω. */
    public static double advection(double u, double v, double wx, double wy) {
        return u * wx + v * wy;
    }

    /** Integrating factor exp(−(νk² + μ)·τ) of the linear terms over a time τ. */
    public static double decay(int kx, int ky, double nu, double mu, double tau) {
        return (double) Math.exp(-(nu * (double) (kx * kx + ky * ky) + mu) * tau);
    }

    // ---- kernels ----

    /**
     * From ω̂, the spectral fields of one stage, scaled by {@code scale} (1/N², so that the unnormalised
     * inverse FFT yields physical values) and dealiased: û = i ky ψ̂, v̂ = −i kx ψ̂, i kx ω̂, i ky ω̂, and
     * with the SGS model Ŝ₁₁ = −kx ky ψ̂ and Ŝ₁₂ = ½(kx² − ky²) ψ̂, where ψ̂ = ω̂/k².
     */
    public static void spectralFields(Grid g, int members, double[] omega, double[] work, boolean sgs, double scale,
                                      int r0, int r1) {
        int n = g.n();
        int half = g.halfX();
        int len = members * g.fieldLength(); // the work buffer's field stride
        for (int r = r0; r < r1; r++) {
            int member = r / n;
            int j = r - member * n;
            int ky = g.ky(j);
            for (int i = 0; i < half; i++) {
                int kx = g.kx(i);
                int p = member * g.fieldLength() + 2 * (j * half + i);
                double m = g.kept(j, i) ? scale : (double) 0;
                double wr = omega[p] * m;
                double wi = omega[p + 1] * m;
                double inv = inverseLaplacian(kx, ky);
                double pr = wr * inv;
                double pi = wi * inv;
                work[p] = -(double) ky * pi;            // û = i ky ψ̂
                work[p + 1] = (double) ky * pr;
                work[len + p] = (double) kx * pi;       // v̂ = −i kx ψ̂
                work[len + p + 1] = -(double) kx * pr;
                work[2 * len + p] = -(double) kx * wi;  // i kx ω̂
                work[2 * len + p + 1] = (double) kx * wr;
                work[3 * len + p] = -(double) ky * wi;  // i ky ω̂
                work[3 * len + p + 1] = (double) ky * wr;
                if (sgs) {
                    double a = -(double) (kx * ky);
                    double b = (double) 0.5 * (double) (kx * kx - ky * ky);
                    work[4 * len + p] = a * pr;         // Ŝ₁₁ = ∂u/∂x
                    work[4 * len + p + 1] = a * pi;
                    work[5 * len + p] = b * pr;         // Ŝ₁₂ = ½(∂u/∂y + ∂v/∂x)
                    work[5 * len + p + 1] = b * pi;
                }
            }
        }
    }

    /**
     * In physical space, per point: the advection u·∇ω into field 0 and, with the SGS model, the eddy
     * fluxes ν_t∇ω into fields 1 and 2 (in place: all inputs of a point are read before it is written).
     * Stores the row maxima of row j in {@code rowMax[ROW_MAXIMA·j …]}: max|u|, max|v| (the Courant
     * number's), max(u² + v²) (the speed's); packed row r's at {@code rowMax[ROW_MAXIMA·r …]}. The
     * member's (C_sΔ)² is read from its row of {@code params} ({@link MemberParams}).
     */
    public static void physicalProducts(Grid g, int members, double[] work, boolean sgs, double[] params,
                                        double[] rowMax, int r0, int r1) {
        int n = g.n();
        int stride = g.rowStride();
        int len = members * g.fieldLength();
        for (int r = r0; r < r1; r++) {
            int member = r / n;
            int j = r - member * n;
            double csDelta2 = params[member * MemberParams.COUNT + MemberParams.CS_DELTA2];
            double maxU = (double) 0;
            double maxV = (double) 0;
            double maxSpeed2 = (double) 0;
            for (int x = 0; x < n; x++) {
                int p = member * g.fieldLength() + j * stride + x;
                double u = work[p];
                double v = work[len + p];
                double wx = work[2 * len + p];
                double wy = work[3 * len + p];
                maxU = maxNan(maxU, (double) Math.abs(u));
                maxV = maxNan(maxV, (double) Math.abs(v));
                maxSpeed2 = maxNan(maxSpeed2, u * u + v * v);
                work[p] = advection(u, v, wx, wy);
                if (sgs) {
                    double nut = eddyViscosity(work[4 * len + p], work[5 * len + p], csDelta2);
                    work[len + p] = nut * wx;
                    work[2 * len + p] = nut * wy;
                }
            }
            rowMax[ROW_MAXIMA * r] = maxU;
            rowMax[ROW_MAXIMA * r + 1] = maxV;
            rowMax[ROW_MAXIMA * r + 2] = maxSpeed2;
        }
    }

    /**
     * Member {@code member}'s grid maxima {max|u|, max|v|, max(u² + v²)} from the row maxima of
     * {@link #physicalProducts} (max is exact in any order; NaN propagates), as les_cfl_dt and the
     * diagnostics reduce them.
     */
    public static double[] gridMaxima( // neutral
            double[] rowMax, int n, int member) {
        double[] m = new double[ROW_MAXIMA];
        for (int j = member * n; j < (member + 1) * n; j++) {
            for (int q = 0; q < ROW_MAXIMA; q++) {
                m[q] = maxNan(m[q], rowMax[ROW_MAXIMA * j + q]);
            }
        }
        return Reals_F64.widen(m);
    }

    /**
     * The explicit term N̂ = mask·(−(u·∇ω)^ + i kx (ν_t ∂ω/∂x)^ + i ky (ν_t ∂ω/∂y)^) + F̂ from the
     * forward-transformed products, into one stage's slot {@code out} (member m at m·L); {@code forcing}
     * may be null, and holds one field for every member ({@code forcingStride} 0) or one per member
     * ({@code forcingStride} L).
     */
    public static void explicitTerm(Grid g, int members, double[] work, boolean sgs, double[] forcing, int forcingStride,
                                    double[] out, int r0, int r1) {
        int n = g.n();
        int half = g.halfX();
        int len = members * g.fieldLength();
        for (int r = r0; r < r1; r++) {
            int member = r / n;
            int j = r - member * n;
            int ky = g.ky(j);
            for (int i = 0; i < half; i++) {
                int kx = g.kx(i);
                int p = member * g.fieldLength() + 2 * (j * half + i);
                int f = member * forcingStride + 2 * (j * half + i);
                double re = (double) 0;
                double im = (double) 0;
                if (g.kept(j, i)) {
                    re = -work[p];
                    im = -work[p + 1];
                    if (sgs) {
                        re += -(double) kx * work[len + p + 1] - (double) ky * work[2 * len + p + 1];
                        im += (double) kx * work[len + p] + (double) ky * work[2 * len + p];
                    }
                }
                if (forcing != null) {
                    re += forcing[f];
                    im += forcing[f + 1];
                }
                out[p] = re;
                out[p + 1] = im;
            }
        }
    }

    /**
     * One Lawson (integrating-factor Runge–Kutta) combination per mode:
     * target = e₀·ω̂ + Σ_s dt·a_s·e_s·k_s, where e are per-mode decay tables of each member (member m's
     * modes at m·{@link Grid#modes()}; null = 1) and the weights dt·a_s are per member
     * ({@code weights[m·S + s]} for the S stages used, zero coefficients already dropped by the caller). A
     * member whose {@link MemberParams#ACTIVE} flag is 0 is left as it is (frozen). The target may be
     * {@code omega} itself: each mode reads only its own values.
     */
    public static void lawsonCombine(Grid g, double[] params, double[] target, double[] omega,
                                     double[] omegaDecay, double[][] stages, double[] weights, double[][] stageDecay,
                                     int r0, int r1) {
        int n = g.n();
        int half = g.halfX();
        int used = stages.length;
        for (int r = r0; r < r1; r++) {
            int member = r / n;
            int j = r - member * n;
            if (params[member * MemberParams.COUNT + MemberParams.ACTIVE] == (double) 0) {
                continue;
            }
            for (int i = 0; i < half; i++) {
                int m = member * g.modes() + j * half + i;
                int p = member * g.fieldLength() + 2 * (j * half + i);
                double e0 = omegaDecay == null ? (double) 1 : omegaDecay[m];
                double re = e0 * omega[p];
                double im = e0 * omega[p + 1];
                for (int s = 0; s < used; s++) {
                    double w = stageDecay[s] == null ? weights[member * used + s] : weights[member * used + s] * stageDecay[s][m];
                    re += w * stages[s][p];
                    im += w * stages[s][p + 1];
                }
                target[p] = re;
                target[p + 1] = im;
            }
        }
    }

    /**
     * Fills {@code table} with the decay of every mode of packed rows [r0, r1) over member m's time
     * {@code tau[m]}, with its ν and μ from {@code params} (member m's modes at m·{@link Grid#modes()}).
     */
    public static void decayTable(Grid g, double[] params, double[] tau, double[] table, int r0, int r1) {
        int n = g.n();
        int half = g.halfX();
        for (int r = r0; r < r1; r++) {
            int member = r / n;
            int j = r - member * n;
            int ky = g.ky(j);
            double nu = params[member * MemberParams.COUNT + MemberParams.NU];
            double mu = params[member * MemberParams.COUNT + MemberParams.MU];
            for (int i = 0; i < half; i++) {
                table[member * g.modes() + j * half + i] = decay(g.kx(i), ky, nu, mu, tau[member]);
            }
        }
    }

    /**
     * The diagnostics' per-row sums over the half spectrum of packed row r, into
     * {@code rows[DIAGNOSTIC_SUMS·r …]} in the order of {@link DiagnosticSums} (weights 1 for kx = 0 and Nyquist, 2 otherwise,
     * so that they are full-plane sums; the mean mode is skipped). They read the state ω̂, the
     * forward-transformed products of the same state in {@code work} (fields 0..2 as
     * {@link #explicitTerm} reads them) and the forcing (may be null): spectral sums of the state (energy,
     * enstrophy, palinstrophy), the health check's (enstrophy of the kept box and of its outer band
     * max(|kx|,|ky|) ≥ 0.8K; shell energies at |k| = K and K/2, shells [k − ½, k + ½)), and Σ Re(ω̂*·T̂)
     * weighted by 1/k² (energy) and 1 (enstrophy) for the advection, SGS and forcing tendencies T̂.
     */
    public static void diagnosticSums(Grid g, int members, double[] omega, double[] work, boolean sgs, double[] forcing,
                                      int forcingStride, double[] rows, int r0, int r1) {
        int n = g.n();
        int half = g.halfX();
        int len = members * g.fieldLength();
        int c = g.dealiasCutoff();
        int ch = c / 2;
        for (int row = r0; row < r1; row++) {
            int member = row / n;
            int j = row - member * n;
            int ky = g.ky(j);
            double[] r = new double[DIAGNOSTIC_SUMS];
            for (int i = 0; i < half; i++) {
                int kx = g.kx(i);
                int k2 = kx * kx + ky * ky;
                if (k2 == 0) {
                    continue;
                }
                int p = member * g.fieldLength() + 2 * (j * half + i);
                int fp = member * forcingStride + 2 * (j * half + i);
                double w = (i == 0 || i == n / 2) ? (double) 1 : (double) 2;
                double wr = omega[p];
                double wi = omega[p + 1];
                double z = w * (wr * wr + wi * wi);
                double e = z / (double) k2;
                r[DiagnosticSums.ENERGY] += e;
                r[DiagnosticSums.ENSTROPHY] += z;
                r[DiagnosticSums.PALINSTROPHY] += z * (double) k2;
                boolean inBox = g.kept(j, i);
                if (inBox) {
                    r[DiagnosticSums.KEPT_ENSTROPHY] += z;
                    if (5 * Math.max(kx, Math.abs(ky)) >= 4 * c) {
                        r[DiagnosticSums.BAND_ENSTROPHY] += z;
                    }
                    double ar = -work[p];
                    double ai = -work[p + 1];
                    double adv = w * (wr * ar + wi * ai);
                    r[DiagnosticSums.ADVECTION_ENERGY] += adv / (double) k2;
                    r[DiagnosticSums.ADVECTION_ENSTROPHY] += adv;
                    if (sgs) {
                        double sr = -(double) kx * work[len + p + 1] - (double) ky * work[2 * len + p + 1];
                        double si = (double) kx * work[len + p] + (double) ky * work[2 * len + p];
                        double sg = w * (wr * sr + wi * si);
                        r[DiagnosticSums.SGS_ENERGY] += sg / (double) k2;
                        r[DiagnosticSums.SGS_ENSTROPHY] += sg;
                    }
                    // the shells |k| < K + ½ lie inside the box, so only kept modes are tested
                    if (inShell(k2, c)) {
                        r[DiagnosticSums.SHELL_CUTOFF] += e;
                    }
                    if (inShell(k2, ch)) {
                        r[DiagnosticSums.SHELL_HALF] += e;
                    }
                }
                if (forcing != null) {
                    double f = w * (wr * forcing[fp] + wi * forcing[fp + 1]);
                    r[DiagnosticSums.FORCING_ENERGY] += f / (double) k2;
                    r[DiagnosticSums.FORCING_ENSTROPHY] += f;
                }
            }
            System.arraycopy(r, 0, rows, DIAGNOSTIC_SUMS * row, DIAGNOSTIC_SUMS);
        }
    }

    /**
     * Whether |k| lies in the shell [s − ½, s + ½): (2s − 1)² ≤ 4k² &lt; (2s + 1)², in exact integers
     * (4k² fits an int for kept modes at every N the FFT takes).
     */
    public static boolean inShell(int k2, int s) {
        return 4 * k2 >= (2 * s - 1) * (2 * s - 1) && 4 * k2 < (2 * s + 1) * (2 * s + 1);
    }

    /**
     * Member {@code member}'s totals of {@link #diagnosticSums}: each sum over its rows in order (twin of
     * les_diagnostics mode 1, which stores member m's totals after all the rows, at DIAGNOSTIC_SUMS·(B·N + m)).
     */
    public static double[] diagnosticTotals( // neutral
            double[] rows, int n, int member) {
        double[] t = new double[DIAGNOSTIC_SUMS];
        for (int j = member * n; j < (member + 1) * n; j++) {
            for (int q = 0; q < DIAGNOSTIC_SUMS; q++) {
                t[q] += rows[DIAGNOSTIC_SUMS * j + q];
            }
        }
        return Reals_F64.widen(t);
    }
}
