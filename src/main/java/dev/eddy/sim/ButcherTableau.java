package dev.eddy.sim;

import java.util.Arrays;

/**
 * An explicit Runge–Kutta tableau, used as a Lawson integrating-factor scheme (Lawson 1967, SIAM J.
 * Numer. Anal. 4(3):372–380): with L the diagonal linear operator and E(τ) = exp(Lτ),
 * stage i input = E(c_i dt) ω̂ⁿ + dt Σ_j a_ij E((c_i − c_j) dt) k_j and
 * ω̂ⁿ⁺¹ = E(dt) ω̂ⁿ + dt Σ_j b_j E((1 − c_j) dt) k_j, where k_j is the explicit term at stage j.
 * The linear terms are then integrated exactly (a single Fourier mode decays exactly).
 */
public record ButcherTableau(String name, int order, double[][] a, double[] b, double[] c) {

    /** Heun's method (explicit trapezoidal rule), second order: the design's default. */
    public static final ButcherTableau HEUN = new ButcherTableau("heun", 2,
            new double[][] {{0, 0}, {1, 0}}, new double[] {0.5, 0.5}, new double[] {0, 1});

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

    public static ButcherTableau named(String name) {
        return switch (name) {
            case "heun" -> HEUN;
            case "rk4" -> RK4;
            default -> throw new IllegalArgumentException("unknown stepper '" + name + "' (heun or rk4)");
        };
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
