package dev.eddy.numerics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The CPU FFT against a direct DFT, and its round trip, in both precisions, square and not, 2^k and not. */
@Tag("physics")
class CpuFft2DTest {
    static Stream<Arguments> sizes() {
        return Stream.of(Arguments.of(16, 16), Arguments.of(64, 64), Arguments.of(96, 96),
                Arguments.of(40, 24), Arguments.of(128, 64), Arguments.of(30, 42));
    }

    /** Forward transform of row-major real data by the definition, half spectrum, float64 accumulation. */
    static double[] directDft(double[] real, int nx, int ny) {
        int half = nx / 2 + 1;
        double[] out = new double[2 * ny * half];
        for (int ky = 0; ky < ny; ky++) {
            for (int kx = 0; kx < half; kx++) {
                double re = 0;
                double im = 0;
                for (int y = 0; y < ny; y++) {
                    for (int x = 0; x < nx; x++) {
                        double a = -2 * Math.PI * ((double) kx * x / nx + (double) ky * y / ny);
                        re += real[y * nx + x] * Math.cos(a);
                        im += real[y * nx + x] * Math.sin(a);
                    }
                }
                out[2 * (ky * half + kx)] = re;
                out[2 * (ky * half + kx) + 1] = im;
            }
        }
        return out;
    }

    static double maxRel(double[] got, double[] want) {
        double scale = 0;
        double err = 0;
        for (int i = 0; i < want.length; i++) {
            scale = Math.max(scale, Math.abs(want[i]));
            err = Math.max(err, Math.abs(got[i] - want[i]));
        }
        return err / scale;
    }

    @ParameterizedTest(name = "{0}x{1} fp64")
    @MethodSource("sizes")
    void f64MatchesDirectDftAndRoundTrips(int nx, int ny) {
        int stride = nx + 2;
        double[] real = new Random(nx * 31L + ny).doubles((long) nx * ny, -1, 1).toArray();
        double[] buf = new double[2 * 2 * ny * (nx / 2 + 1)]; // two fields: the second must not be touched by a 1-field call
        for (int y = 0; y < ny; y++) {
            System.arraycopy(real, y * nx, buf, y * stride, nx);
        }
        buf[buf.length - 1] = 42;
        try (Parallel par = new Parallel(2)) {
            CpuFft2D_F64 fft = new CpuFft2D_F64(nx, ny, par);
            fft.forward(buf, 1);
            double[] spectral = java.util.Arrays.copyOf(buf, ny * stride);
            assertTrue(maxRel(spectral, directDft(real, nx, ny)) < 1e-13, "forward vs DFT");
            fft.inverse(buf, 1);
            double err = 0;
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    err = Math.max(err, Math.abs(buf[y * stride + x] / ((double) nx * ny) - real[y * nx + x]));
                }
            }
            assertTrue(err < 1e-14, "round trip error " + err);
            assertTrue(buf[buf.length - 1] == 42, "a one-field transform wrote past its field");
        }
    }

    @ParameterizedTest(name = "{0}x{1} fp32")
    @MethodSource("sizes")
    void f32MatchesDirectDftAndRoundTrips(int nx, int ny) {
        int stride = nx + 2;
        double[] real = new Random(nx * 17L + ny).doubles((long) nx * ny, -1, 1).toArray();
        float[] buf = new float[3 * ny * (nx / 2 + 1) * 2];
        for (int f = 0; f < 3; f++) { // batched: three copies of the same field
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    buf[f * ny * stride + y * stride + x] = (float) real[y * nx + x];
                }
            }
        }
        try (Parallel par = new Parallel(2)) {
            CpuFft2D_F32 fft = new CpuFft2D_F32(nx, ny, par);
            fft.forward(buf, 3);
            double[] want = directDft(real, nx, ny);
            for (int f = 0; f < 3; f++) {
                double[] got = new double[ny * stride];
                for (int i = 0; i < got.length; i++) {
                    got[i] = buf[f * ny * stride + i];
                }
                assertTrue(maxRel(got, want) < 1e-5, "batched field " + f + " vs DFT: " + maxRel(got, want));
            }
            fft.inverse(buf, 3);
            double err = 0;
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    err = Math.max(err, Math.abs(buf[2 * ny * stride + y * stride + x] / ((double) nx * ny) - real[y * nx + x]));
                }
            }
            assertTrue(err < 1e-5, "round trip error " + err);
        }
    }
}
