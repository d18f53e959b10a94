package dev.eddy.numerics;

import java.util.Arrays;

/** Small reductions used across the stages and the benchmarks, in one place. */
public final class Reductions {
    private Reductions() {
    }

    /** ‖a − ref‖₂ / ‖ref‖₂ (NaN for a zero reference). */
    public static double relL2(double[] a, double[] ref) {
        if (a.length != ref.length) {
            throw new IllegalArgumentException("vectors of " + a.length + " and " + ref.length + " values");
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - ref[i];
            num += d * d;
            den += ref[i] * ref[i];
        }
        return Math.sqrt(num / den);
    }

    /** The median (the mean of the two middle values for an even count; NaN for none). */
    public static double median(double[] x) {
        if (x.length == 0) {
            return Double.NaN;
        }
        double[] s = x.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : 0.5 * (s[m - 1] + s[m]);
    }
}
