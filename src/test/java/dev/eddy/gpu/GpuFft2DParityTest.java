package dev.eddy.gpu;

import static org.junit.jupiter.api.Assertions.*;

import dev.eddy.numerics.CpuFft2D_F64;
import dev.eddy.numerics.Precision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The GPU FFT (VkFFT through the bridge) against the CPU FFT (JTransforms, float64) in the shared
 * padded layout: forward and inverse, float32 (relative L2 error < 1e-5) and float64 (< 1e-12).
 */
@Tag("gpu-parity")
class GpuFft2DParityTest extends GpuFftTest {
    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        int[][] shapes = {{64, 64}, {96, 96}, {128, 128}, {128, 64}, {120, 96}};
        for (Precision p : Precision.values()) {
            for (int[] s : shapes) {
                list.add(Arguments.of(s[0], s[1], 1, p));
            }
            list.add(Arguments.of(64, 64, 3, p));
            list.add(Arguments.of(120, 96, 2, p));
            list.add(Arguments.of(256, 256, 1, p)); // the one larger case (lavapipe is ~1000× slower than a GPU)
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0}x{1} batch {2} {3}")
    @MethodSource("cases")
    void forwardAndInverseMatchCpu(int nx, int ny, int batch, Precision p) {
        GpuTests.needs(ctx, p);
        double tol = p == Precision.FP32 ? 1e-5 : 1e-12;
        CpuFft2D_F64 cpu = new CpuFft2D_F64(nx, ny, parallel);
        int len = cpu.fieldLength();
        int stride = 2 * (nx / 2 + 1);
        double[] field = new double[batch * len];
        Random rnd = new Random(nx * 31L + ny * 7L + batch);
        for (int f = 0; f < batch; f++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    double v = rnd.nextDouble() * 2 - 1;
                    // the reference sees exactly the values the device sees
                    field[f * len + y * stride + x] = p == Precision.FP32 ? (float) v : v;
                }
            }
        }
        try (GpuFft2D gpu = new GpuFft2D(ctx, plans, nx, ny, batch, p)) {
            double[] expect = field.clone();
            cpu.forward(expect, batch);
            double[] got = field.clone();
            gpu.forward(got);
            double fwd = relativeError(expect, got, i -> true);
            assertTrue(fwd < tol, String.format(Locale.ROOT, "forward %dx%d b%d %s: relative error %.3g ≥ %.0e", nx, ny, batch, p.label(), fwd, tol));

            double[] spectrum = expect.clone();
            if (p == Precision.FP32) {
                for (int i = 0; i < spectrum.length; i++) {
                    spectrum[i] = (float) spectrum[i];
                }
            }
            double[] expectBack = spectrum.clone();
            cpu.inverse(expectBack, batch);
            double[] back = spectrum.clone();
            gpu.inverse(back);
            double inv = relativeError(expectBack, back, i -> (i % len) % stride < nx); // padding is undefined after C2R
            assertTrue(inv < tol, String.format(Locale.ROOT, "inverse %dx%d b%d %s: relative error %.3g ≥ %.0e", nx, ny, batch, p.label(), inv, tol));
            System.out.printf(Locale.ROOT, "GPU FFT parity %dx%d batch %d %s: forward %.2e, inverse %.2e (plan %s, %.0f ms)%n",
                    nx, ny, batch, p.label(), fwd, inv, gpu.plan().loadedFromCache() ? "from cache" : "compiled", gpu.plan().createMillis());
        }
    }
}
