package dev.eddy.numerics;

/**
 * Conversions between the precision-neutral float64 arrays at Eddy's interfaces and a class's own
 * precision (the float32 twin {@code Reals_F32} is generated from this file): widening is exact, and
 * narrowing values that came from the same precision is exact too.
 */
public final class Reals_F64 {
    private Reals_F64() {
    }

    /** The values as float64. */
    public static double[] widen( // neutral
            double[] values) {
        double[] out = new double[values.length]; // neutral
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** float64 values in this class's precision. */
    public static double[] narrow(
            double[] wide) { // neutral
        double[] out = new double[wide.length];
        for (int i = 0; i < wide.length; i++) {
            out[i] = (double) wide[i];
        }
        return out;
    }
}
