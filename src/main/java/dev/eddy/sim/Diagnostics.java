package dev.eddy.sim;

import dev.eddy.numerics.Grid;

/**
 * Spectral diagnostics of a state ω̂ (half spectrum, unnormalised FFT convention), evaluated by
 * Parseval's theorem in float64 with a fixed summation order, so they are deterministic:
 * ⟨f²⟩ = N⁻⁴ Σ_full |f̂|².
 */
public final class Diagnostics {
    private Diagnostics() {
    }

    /** Kinetic energy ½⟨u² + v²⟩ = ½ N⁻⁴ Σ |ω̂|²/k². */
    public static double energy(Grid g, double[] w) {
        return weightedSum(g, w, true);
    }

    /** Enstrophy ½⟨ω²⟩ = ½ N⁻⁴ Σ |ω̂|². */
    public static double enstrophy(Grid g, double[] w) {
        return weightedSum(g, w, false);
    }

    private static double weightedSum(Grid g, double[] w, boolean energy) {
        int n = g.n();
        int half = g.halfX();
        double total = 0;
        for (int j = 0; j < n; j++) {
            int ky = g.ky(j);
            double row = 0;
            for (int i = 0; i < half; i++) {
                int kx = g.kx(i);
                int k2 = kx * kx + ky * ky;
                if (k2 == 0) {
                    continue;
                }
                int p = 2 * (j * half + i);
                double a2 = w[p] * w[p] + w[p + 1] * w[p + 1];
                row += g.hermitianWeight(i) * (energy ? a2 / k2 : a2);
            }
            total += row;
        }
        double n2 = (double) n * n;
        return 0.5 * total / (n2 * n2);
    }

    /**
     * The shell-averaged energy spectrum: E[s] sums ½|û|² over the modes with round(|k|) = s, for
     * s = 0 … N/2, so that Σ E[s] = energy (modes beyond N/2, none after dealiasing, are dropped).
     */
    public static double[] spectrum(Grid g, double[] w) {
        int n = g.n();
        int half = g.halfX();
        double[] e = new double[n / 2 + 1];
        double n2 = (double) n * n;
        double norm = 0.5 / (n2 * n2);
        for (int j = 0; j < n; j++) {
            int ky = g.ky(j);
            for (int i = 0; i < half; i++) {
                int kx = g.kx(i);
                int k2 = kx * kx + ky * ky;
                if (k2 == 0) {
                    continue;
                }
                int shell = (int) Math.round(Math.sqrt(k2));
                if (shell < e.length) {
                    int p = 2 * (j * half + i);
                    e[shell] += norm * g.hermitianWeight(i) * (w[p] * w[p] + w[p + 1] * w[p + 1]) / k2;
                }
            }
        }
        return e;
    }

    /** True if every value is finite. */
    public static boolean allFinite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }
}
