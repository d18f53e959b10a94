package dev.eddy.gpu;

import dev.eddy.numerics.Precision;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Conversions between Java double[] and device-format reals (float32 or float64, native order). */
public final class RealBuffers {
    private RealBuffers() {
    }

    public static ByteBuffer allocate(int count, Precision p) {
        return ByteBuffer.allocateDirect(Math.multiplyExact(count, p.bytes())).order(ByteOrder.nativeOrder());
    }

    public static ByteBuffer encode(double[] values, Precision p) {
        ByteBuffer b = allocate(values.length, p);
        if (p == Precision.FP64) {
            b.asDoubleBuffer().put(values);
        } else {
            var f = b.asFloatBuffer();
            for (double v : values) {
                f.put((float) v);
            }
        }
        return b;
    }

    public static void decode(ByteBuffer b, double[] out, Precision p) {
        if (p == Precision.FP64) {
            b.order(ByteOrder.nativeOrder()).asDoubleBuffer().get(out);
        } else {
            var f = b.order(ByteOrder.nativeOrder()).asFloatBuffer();
            for (int i = 0; i < out.length; i++) {
                out[i] = f.get(i);
            }
        }
    }

    /**
     * The n×n values of n rows of {@code stride} reals each (a padded field read back from the device,
     * the Grid layout's physical space): bulk row copies rather than a buffer call per value.
     */
    public static double[] compactRows(ByteBuffer padded, int n, int stride, Precision p) {
        ByteBuffer b = padded.duplicate().order(ByteOrder.nativeOrder());
        double[] out = new double[n * n];
        if (p == Precision.FP64) {
            var reals = b.asDoubleBuffer();
            for (int j = 0; j < n; j++) {
                reals.get(j * stride, out, j * n, n);
            }
        } else {
            var reals = b.asFloatBuffer();
            float[] row = new float[n];
            for (int j = 0; j < n; j++) {
                reals.get(j * stride, row, 0, n);
                for (int x = 0; x < n; x++) {
                    out[j * n + x] = row[x];
                }
            }
        }
        return out;
    }
}
