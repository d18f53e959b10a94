package dev.eddy.numerics;

import java.util.Arrays;

/**
 * An explicit Runge–Kutta tableau, used as a Lawson integrating-factor scheme (Lawson 1967, SIAM J.
 * Numer. Anal. 4(3):372–380): with L the diagonal linear operator and E(τ) = exp(Lτ),
 * stage i input = E(c_i dt) ω̂ⁿ + dt Σ_j a_ij E((c_i − c_j) dt) k_j and
 * ω̂ⁿ⁺¹ = E(dt) ω̂ⁿ + dt Σ_j b_j E((1 − c_j) dt) k_j, where k_j is the explicit term at stage j.
 * The linear terms are then integrated exactly (a single Fourier mode decays exactly).
 */
public record ButcherTableau(String name, int order, double[][] a, double[] b, double[] c) {

    /**
     * Heun's method (explicit trapezoidal rule), second order. |R(iy)|² = 1 + y⁴/4 &gt; 1 for every y ≠ 0:
     * it has no stable interval on the imaginary axis, so pure advection grows at every dt and only
     * dissipation at k_max (viscosity, the SGS term) can hold the grid scale down. Kept for studies.
     */
    public static final ButcherTableau HEUN = new ButcherTableau("heun", 2,
            new double[][] {{0, 0}, {1, 0}}, new double[] {0.5, 0.5}, new double[] {0, 1});

    /**
     * The three-stage, third-order strong-stability-preserving Runge–Kutta method of Shu &amp; Osher
     * (1988, J. Comput. Phys. 77:439–471, eq. 2.18; Gottlieb &amp; Shu 1998, Math. Comp. 67:73–85), in
     * Butcher form: stages at c = 0, 1, ½. Stable on the imaginary axis up to |y| = √3.
     */
    public static final ButcherTableau SSPRK3 = new ButcherTableau("ssprk3", 3,
            new double[][] {{0, 0, 0}, {1, 0, 0}, {0.25, 0.25, 0}},
            new double[] {1.0 / 6, 1.0 / 6, 2.0 / 3}, new double[] {0, 1, 0.5});

    /** The classical fourth-order Runge–Kutta method (Kutta 1901). */
    public static final ButcherTableau RK4 = new ButcherTableau("rk4", 4,
            new double[][] {{0, 0, 0, 0}, {0.5, 0, 0, 0}, {0, 0.5, 0, 0}, {0, 0, 1, 0}},
            new double[] {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6}, new double[] {0, 0.5, 0.5, 1});

    public ButcherTableau {
        int s = b.length;
        if (a.length != s || c.length != s) {
            throw new IllegalArgumentException("tableau " + name + " has inconsistent sizes");
        }
        for (int i = 0; i < s; i++) {
            for (int j = i; j < s; j++) {
                if (a[i][j] != 0) {
                    throw new IllegalArgumentException("tableau " + name + " is not explicit");
                }
            }
        }
    }

    public int stages() {
        return b.length;
    }

    /** Every stepper, by name. */
    public static final java.util.List<ButcherTableau> ALL = java.util.List.of(HEUN, SSPRK3, RK4);

    /** The names of {@link #ALL}, for messages: "heun, ssprk3 or rk4". */
    public static String names() {
        java.util.List<String> n = ALL.stream().map(ButcherTableau::name).toList();
        return String.join(", ", n.subList(0, n.size() - 1)) + " or " + n.getLast();
    }

    public static boolean exists(String name) {
        return ALL.stream().anyMatch(t -> t.name().equals(name));
    }

    public static ButcherTableau named(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("unknown stepper '" + name + "' (" + names() + ")"));
    }

    /**
     * The stability polynomial R(z) = Σ_k γ_k z^k of the explicit tableau: γ_0 = 1, γ_k = bᵀA^(k−1)·1
     * (R(z) = 1 + z bᵀ(I − zA)⁻¹ 1, a finite series since A is strictly lower triangular).
     */
    public double[] stabilityPolynomial() {
        int s = stages();
        double[] gamma = new double[s + 1];
        gamma[0] = 1;
        double[] v = new double[s];
        java.util.Arrays.fill(v, 1.0); // A^(k−1)·1
        for (int k = 1; k <= s; k++) {
            double sum = 0;
            for (int i = 0; i < s; i++) {
                sum += b[i] * v[i];
            }
            gamma[k] = sum;
            double[] next = new double[s];
            for (int i = 0; i < s; i++) {
                for (int j = 0; j < i; j++) {
                    next[i] += a[i][j] * v[j];
                }
            }
            v = next;
        }
        return gamma;
    }

    /** |R(iy)|² of the stability polynomial. */
    public double amplificationSquared(double y) {
        double[] g = stabilityPolynomial();
        double re = 0;
        double im = 0;
        double power = 1; // y^k
        for (int k = 0; k < g.length; k++) {
            switch (k % 4) {
                case 0 -> re += g[k] * power;
                case 1 -> im += g[k] * power;
                case 2 -> re -= g[k] * power;
                default -> im -= g[k] * power;
            }
            power *= y;
        }
        return re * re + im * im;
    }

    /**
     * The stable interval on the imaginary axis, [0, y*]: the largest y* with |R(iy)| ≤ 1 for all
     * 0 ≤ y ≤ y*. An advected Fourier mode sees z = i·(u·k)·dt, so this is the largest Courant number
     * (on the spectral operator) at which advection alone does not grow. 0 when there is none (Heun).
     * Computed from the tableau: √3 for SSP-RK3, 2√2 for RK4 (to 1e-12).
     */
    public double imaginaryAxisLimit() {
        double tol = 1e-13;
        double step = 1e-3;
        double y = 0;
        while (y < 10 && amplificationSquared(y + step) <= 1 + tol) {
            y += step;
        }
        if (y == 0) {
            return 0;
        }
        double lo = y;
        double hi = y + step; // |R|² > 1 at hi: bisect the crossing
        for (int i = 0; i < 60; i++) {
            double mid = 0.5 * (lo + hi);
            if (amplificationSquared(mid) <= 1 + tol) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The combination that produces stage {@code target} (1..s−1), or the new state for target = s. */
    public Combination combination(int target) {
        int s = stages();
        double ct = target == s ? 1.0 : c[target];
        int[] used = new int[target];
        double[] coef = new double[target];
        double[] delay = new double[target];
        int count = 0;
        for (int j = 0; j < target; j++) {
            double w = target == s ? b[j] : a[target][j];
            if (w != 0) {
                used[count] = j;
                coef[count] = w;
                delay[count] = ct - c[j];
                count++;
            }
        }
        return new Combination(ct, Arrays.copyOf(used, count), Arrays.copyOf(coef, count), Arrays.copyOf(delay, count));
    }

    /**
     * target = E(omegaDelay·dt) ω̂ⁿ + dt Σ_s coef[s] E(stageDelay[s]·dt) k_{stage[s]}.
     */
    public record Combination(double omegaDelay, int[] stage, double[] coef, double[] stageDelay) {
    }
}
