package dev.eddy.sim.cpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The row transform (the twin of les_row_transform.comp) against the real DFT written out as a sum, at sizes
 * with an odd and an even number of radix-4 passes: the inverse of a compact row (the imaginary part of the
 * mean ignored), the forward transform's kept columns, and the float32 twin against the float64 one.
 */
@Tag("fast")
class RowTransformTest {
    final Random random = new Random(11);

    double[] compactRow(int n) {
        double[] x = random.doubles(2 * RowTransform_F64.width(n), -1, 1).toArray();
        return x;
    }

    /** x[j] = Re X[0] + 2 Σ_{0<k<W} Re(X[k] e^{+2πikj/N}): the inverse over the Hermitian extension. */
    static double[] directInverse(double[] spec, int n) {
        int w = RowTransform_F64.width(n);
        double[] x = new double[n];
        for (int j = 0; j < n; j++) {
            double s = spec[0];
            for (int k = 1; k < w; k++) {
                double a = 2 * Math.PI * k * (long) j / n;
                s += 2 * (spec[2 * k] * Math.cos(a) - spec[2 * k + 1] * Math.sin(a));
            }
            x[j] = s;
        }
        return x;
    }

    static double[] directForward(double[] x, int n) {
        int w = RowTransform_F64.width(n);
        double[] spec = new double[2 * w];
        for (int k = 0; k < w; k++) {
            double re = 0;
            double im = 0;
            for (int j = 0; j < n; j++) {
                double a = 2 * Math.PI * k * (long) j / n;
                re += x[j] * Math.cos(a);
                im -= x[j] * Math.sin(a);
            }
            spec[2 * k] = re;
            spec[2 * k + 1] = im;
        }
        return spec;
    }

    static double maxRelative(double[] want, double[] got) {
        double scale = 0;
        double err = 0;
        for (int i = 0; i < want.length; i++) {
            scale = Math.max(scale, Math.abs(want[i]));
            err = Math.max(err, Math.abs(want[i] - got[i]));
        }
        return err / scale;
    }

    @ParameterizedTest(name = "N = {0}")
    @ValueSource(ints = {16, 32, 64, 128, 256, 512})
    void inverseIsTheRealInverseDft(int n) {
        double[] spec = compactRow(n);
        double[] got = new double[n];
        new RowTransform_F64(n).inverse(spec, 0, got);
        double err = maxRelative(directInverse(spec, n), got);
        assertTrue(err < 1e-13, "N = " + n + ": " + err);
    }

    @ParameterizedTest(name = "N = {0}")
    @ValueSource(ints = {16, 32, 64, 128, 256, 512})
    void forwardIsTheRealDftOnTheKeptColumns(int n) {
        double[] x = random.doubles(n, -1, 1).toArray();
        int w = RowTransform_F64.width(n);
        double[] got = new double[2 * w + 6];
        new RowTransform_F64(n).forward(x, got, 6);
        double[] want = directForward(x, n);
        double[] shifted = new double[2 * w];
        System.arraycopy(got, 6, shifted, 0, 2 * w);
        double err = maxRelative(want, shifted);
        assertTrue(err < 1e-13, "N = " + n + ": " + err);
        assertTrue(shifted[1] == 0, "the mean's imaginary part is exactly zero");
    }

    @Test
    void forwardOfInverseIsNTimesTheKeptModes() {
        int n = 1024;
        double[] spec = compactRow(n);
        spec[1] = 0;
        RowTransform_F64 t = new RowTransform_F64(n);
        double[] x = new double[n];
        t.inverse(spec, 0, x);
        double[] back = new double[spec.length];
        t.forward(x, back, 0);
        for (int i = 0; i < back.length; i++) {
            back[i] /= n;
        }
        assertTrue(maxRelative(spec, back) < 1e-13);
    }

    @Test
    void float32TwinFollowsTheFloat64One() {
        int n = 256;
        double[] spec = compactRow(n);
        float[] spec32 = new float[spec.length];
        for (int i = 0; i < spec.length; i++) {
            spec32[i] = (float) spec[i];
        }
        double[] x = new double[n];
        float[] x32 = new float[n];
        new RowTransform_F64(n).inverse(spec, 0, x);
        new RowTransform_F32(n).inverse(spec32, 0, x32);
        double[] widened = new double[n];
        for (int i = 0; i < n; i++) {
            widened[i] = x32[i];
        }
        assertTrue(maxRelative(x, widened) < 1e-5);
    }

    @Test
    void refusesSizesItCannotTake() {
        for (int n : new int[] {8, 48, 96, 16384}) {
            assertThrows(IllegalArgumentException.class, () -> new RowTransform_F64(n), "N = " + n);
        }
    }
}
