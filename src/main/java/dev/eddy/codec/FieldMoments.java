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

    /**
     * Lanes of the reduction: lane t takes the elements t, t + LANES, … in order, then the lanes combine
     * as a tree (t with t + s for s = LANES/2, …, 1) — field_moments.comp's workgroup, so the device and
     * this twin sum in the same order. (One invocation per row summing in a line left each GPU dispatch
     * latency-bound: 1024 dependent steps per row at N = 1024.)
     */
    public static final int LANES = 64;

    /** Row j's moments into {@code rows[COUNT·j …]}, for rows [j0, j1). */
    public static void rowSums(Grid g, double[] a, double[] b, double[] rows, int j0, int j1) {
        int n = g.n();
        int stride = g.rowStride();
        double[][] lane = new double[LANES][COUNT];
        for (int j = j0; j < j1; j++) {
            int base = j * stride;
            for (int t = 0; t < LANES; t++) {
                double[] m = lane[t];
                java.util.Arrays.fill(m, 0);
                m[MIN_B] = b[base]; // the row's first value, a member of every lane's set
                m[MAX_B] = b[base];
                for (int x = t; x < n; x += LANES) {
                    double va = a[base + x];
                    double vb = b[base + x];
                    double d = va - vb;
                    m[SQ_DIFF] += d * d;
                    m[SQ_B] += vb * vb;
                    m[SUM_A] += va;
                    m[SUM_B] += vb;
                    m[SQ_A] += va * va;
                    m[PROD] += va * vb;
                    m[MAX_DIFF] = Math.max(m[MAX_DIFF], Math.abs(d));
                    m[MIN_B] = Math.min(m[MIN_B], vb);
                    m[MAX_B] = Math.max(m[MAX_B], vb);
                }
            }
            System.arraycopy(tree(lane), 0, rows, COUNT * j, COUNT);
        }
    }

    /** The totals over the rows: sums, and max or min for the extrema, in the lanes' order. */
    public static double[] totals(double[] rows, int n) {
        double[][] lane = new double[LANES][COUNT];
        for (int t = 0; t < LANES; t++) {
            double[] m = lane[t];
            for (int q = 0; q < COUNT; q++) {
                m[q] = q >= MAX_DIFF ? rows[q] : 0; // the extrema start from row 0's, a member of every lane's set
            }
            for (int j = t; j < n; j += LANES) {
                for (int q = 0; q < COUNT; q++) {
                    m[q] = combine(q, m[q], rows[COUNT * j + q]);
                }
            }
        }
        return tree(lane).clone();
    }

    /** Lane t combined with lane t + s for s = LANES/2, …, 1; the result is lane 0. */
    private static double[] tree(double[][] lane) {
        for (int s = LANES / 2; s > 0; s >>= 1) {
            for (int t = 0; t < s; t++) {
                for (int q = 0; q < COUNT; q++) {
                    lane[t][q] = combine(q, lane[t][q], lane[t + s][q]);
                }
            }
        }
        return lane[0];
    }

    private static double combine(int q, double x, double y) {
        return q == MAX_DIFF || q == MAX_B ? Math.max(x, y) : q == MIN_B ? Math.min(x, y) : x + y;
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
