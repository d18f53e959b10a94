package dev.eddy.codec;

import dev.eddy.numerics.Grid;

/**
 * The moments that judge a field a against a reference b (both padded physical fields of the
 * {@link Grid} layout), in float64: the Java twin of {@code field_moments.comp}, which the GPU codec
 * reduces on the device so that only these nine numbers cross to the host. {@link #errors} turns them,
 * with the two fields' energies and enstrophies, into {@link FieldErrors}.
 */
public final class FieldMoments {
    public static final int SQ_DIFF = 0;
    public static final int SQ_B = 1;
    public static final int SUM_A = 2;
    public static final int SUM_B = 3;
    public static final int SQ_A = 4;
    public static final int PROD = 5;
    public static final int MAX_DIFF = 6;
    public static final int MIN_B = 7;
    public static final int MAX_B = 8;
    public static final int COUNT = 9;

    private FieldMoments() {
    }

    /** Row j's moments into {@code rows[COUNT·j …]}, for rows [j0, j1), x summed in order. */
    public static void rowSums(Grid g, double[] a, double[] b, double[] rows, int j0, int j1) {
        int n = g.n();
        int stride = g.rowStride();
        for (int j = j0; j < j1; j++) {
            double sqDiff = 0;
            double sqB = 0;
            double sumA = 0;
            double sumB = 0;
            double sqA = 0;
            double prod = 0;
            double maxDiff = 0;
            double minB = b[j * stride];
            double maxB = minB;
            for (int x = 0; x < n; x++) {
                double va = a[j * stride + x];
                double vb = b[j * stride + x];
                double d = va - vb;
                sqDiff += d * d;
                sqB += vb * vb;
                sumA += va;
                sumB += vb;
                sqA += va * va;
                prod += va * vb;
                maxDiff = Math.max(maxDiff, Math.abs(d));
                minB = Math.min(minB, vb);
                maxB = Math.max(maxB, vb);
            }
            int r = COUNT * j;
            rows[r + SQ_DIFF] = sqDiff;
            rows[r + SQ_B] = sqB;
            rows[r + SUM_A] = sumA;
            rows[r + SUM_B] = sumB;
            rows[r + SQ_A] = sqA;
            rows[r + PROD] = prod;
            rows[r + MAX_DIFF] = maxDiff;
            rows[r + MIN_B] = minB;
            rows[r + MAX_B] = maxB;
        }
    }

    /** The totals over the rows in order: sums, and max or min for the extrema. */
    public static double[] totals(double[] rows, int n) {
        double[] t = java.util.Arrays.copyOf(rows, COUNT);
        for (int j = 1; j < n; j++) {
            for (int q = 0; q < COUNT; q++) {
                double v = rows[COUNT * j + q];
                t[q] = q == MAX_DIFF || q == MAX_B ? Math.max(t[q], v) : q == MIN_B ? Math.min(t[q], v) : t[q] + v;
            }
        }
        return t;
    }

    /**
     * The errors of a against b from the moments of {@code n}×{@code n} cells and the energies and
     * enstrophies of both fields (in the same units, e.g. raw spectral sums).
     */
    public static FieldErrors errors(double[] t, int n, double energyA, double energyB, double enstrophyA, double enstrophyB) {
        double cells = (double) n * n;
        double rmse = Math.sqrt(t[SQ_DIFF] / cells);
        double range = t[MAX_B] - t[MIN_B];
        double cov = t[PROD] - t[SUM_A] * t[SUM_B] / cells;
        double varA = t[SQ_A] - t[SUM_A] * t[SUM_A] / cells;
        double varB = t[SQ_B] - t[SUM_B] * t[SUM_B] / cells;
        return new FieldErrors(Math.sqrt(t[SQ_DIFF] / t[SQ_B]), t[MAX_DIFF], rmse == 0 ? Double.POSITIVE_INFINITY
                : 20 * Math.log10(range / rmse), cov / Math.sqrt(varA * varB), (energyA - energyB) / energyB,
                (enstrophyA - enstrophyB) / enstrophyB);
    }
}
