package dev.eddy.viz;

import java.util.Arrays;

/**
 * Symmetric colour limits ±L for a signed field, so that 0 always gets the map's neutral centre colour.
 * Snapshots use L = max|ω| (nothing is clipped, the extreme gets the end colour); a robust choice, the
 * p-th percentile of |ω|, is available for fields with a few extreme cells (the proxy's error).
 */
public final class ColorLimits {
    private ColorLimits() {
    }

    /** max|f| over finite values; 1 for an all-zero (or all-NaN) field, so that it maps to the centre colour. */
    public static double maxAbs(double[] f) {
        double m = 0;
        for (double v : f) {
            if (Double.isFinite(v)) {
                m = Math.max(m, Math.abs(v));
            }
        }
        return m > 0 ? m : 1;
    }

    /** The p-th percentile (0 &lt; p ≤ 100, nearest rank) of |f| over finite values; 1 if that is 0. */
    public static double percentileAbs(double[] f, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100], got " + p);
        }
        double[] a = Arrays.stream(f).filter(Double::isFinite).map(Math::abs).toArray();
        if (a.length == 0) {
            return 1;
        }
        Arrays.sort(a);
        int rank = (int) Math.ceil(p / 100 * a.length) - 1;
        double v = a[Math.max(0, Math.min(a.length - 1, rank))];
        return v > 0 ? v : 1;
    }
}
