package dev.eddy.codec;

import dev.eddy.numerics.Grid;

/**
 * The raw energy and enstrophy sums of a half spectrum, Σ w|f̂|²/k² and Σ w|f̂|² (w = 1 for kx = 0 and
 * Nyquist, 2 otherwise; the mean mode skipped: {@link dev.eddy.sim.Diagnostics}' sums), in the order of
 * {@code spectral_energy.comp}, whose twin this is: per row, lane t of {@link #LANES} takes the modes t,
 * t + LANES, … in order, then the lanes combine as a tree; the rows reduce the same way.
 */
public final class SpectralSums {
    public static final int LANES = 64;

    private SpectralSums() {
    }

    /** Row j's two sums into {@code rows[2j], rows[2j+1]} for every row, then the totals into rows[2n], rows[2n+1]. */
    public static double[] rows(Grid g, double[] f) {
        int n = g.n();
        int half = g.halfX();
        double[] rows = new double[2 * (n + 1)];
        double[] e = new double[LANES];
        double[] z = new double[LANES];
        for (int j = 0; j < n; j++) {
            int ky = g.ky(j);
            java.util.Arrays.fill(e, 0);
            java.util.Arrays.fill(z, 0);
            for (int t = 0; t < LANES; t++) {
                for (int i = t; i < half; i += LANES) {
                    int k2 = i * i + ky * ky;
                    if (k2 == 0) {
                        continue;
                    }
                    int p = 2 * (j * half + i);
                    double a2 = f[p] * f[p] + f[p + 1] * f[p + 1];
                    double w = g.hermitianWeight(i);
                    e[t] += w * (a2 / k2);
                    z[t] += w * a2;
                }
            }
            tree(e, z, rows, j);
        }
        java.util.Arrays.fill(e, 0);
        java.util.Arrays.fill(z, 0);
        for (int t = 0; t < LANES; t++) {
            for (int r = t; r < n; r += LANES) {
                e[t] += rows[2 * r];
                z[t] += rows[2 * r + 1];
            }
        }
        tree(e, z, rows, n);
        return rows;
    }

    private static void tree(double[] e, double[] z, double[] rows, int r) {
        for (int s = LANES / 2; s > 0; s >>= 1) {
            for (int t = 0; t < s; t++) {
                e[t] += e[t + s];
                z[t] += z[t + s];
            }
        }
        rows[2 * r] = e[0];
        rows[2 * r + 1] = z[0];
    }
}
