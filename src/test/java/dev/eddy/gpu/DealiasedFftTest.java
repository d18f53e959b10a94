package dev.eddy.gpu;

import static org.junit.jupiter.api.Assertions.*;

import dev.eddy.numerics.CpuFft2D_F64;
import dev.eddy.numerics.Grid;
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
 * The LES's dealiased transform pair (VkFFT's frequency zero padding at the 2/3 cutoff c) against the
 * CPU FFT: the inverse transform must not read a mode outside the kept box (they are filled with NaN
 * here, so one read spoils the whole field), and the forward transform's kept modes must equal the
 * full transform's. Sizes with 3 | n (the cutoff just below n/3) and odd batches included.
 */
@Tag("gpu-parity")
class DealiasedFftTest extends GpuFftTest {
    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (Precision p : Precision.values()) {
            for (int n : new int[] {48, 64, 96, 128}) {
                list.add(Arguments.of(n, 1, p));
            }
            list.add(Arguments.of(64, 3, p));
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0}² batch {1} {2}")
    @MethodSource("cases")
    void keptModesMatchAndSkippedModesAreNeverRead(int n, int batch, Precision p) {
        GpuTests.needs(ctx, p);
        double tol = p == Precision.FP32 ? 1e-5 : 1e-12;
        Grid grid = new Grid(n);
        int c = grid.dealiasCutoff();
        CpuFft2D_F64 cpu = new CpuFft2D_F64(n, n, parallel);
        int len = cpu.fieldLength();
        int half = n / 2 + 1;
        Random rnd = new Random(n * 31L + batch);
        double[] field = new double[batch * len];
        for (int f = 0; f < batch; f++) {
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    double v = rnd.nextDouble() * 2 - 1;
                    field[f * len + y * 2 * half + x] = p == Precision.FP32 ? (float) v : v;
                }
            }
        }
        try (GpuFft2D gpu = new GpuFft2D(ctx, plans, n, n, batch, p, c)) {
            // forward: the kept box equals the full transform's
            double[] expect = field.clone();
            cpu.forward(expect, batch);
            double[] got = field.clone();
            gpu.forward(got);
            double fwd = relativeError(expect, got, i -> kept(i % len, n, c));
            assertTrue(fwd < tol, String.format(Locale.ROOT, "forward %d² b%d %s: relative error %.3g on the kept box", n, batch, p.label(), fwd));

            // inverse: NaN outside the box is never read, so the result is the CPU's of the masked spectrum
            double[] masked = expect.clone();
            double[] poisoned = expect.clone();
            for (int i = 0; i < masked.length; i++) {
                if (p == Precision.FP32) {
                    masked[i] = (float) masked[i];
                    poisoned[i] = (float) poisoned[i];
                }
                if (!kept(i % len, n, c)) {
                    masked[i] = 0;
                    poisoned[i] = Double.NaN;
                }
            }
            cpu.inverse(masked, batch);
            gpu.inverse(poisoned);
            double inv = relativeError(masked, poisoned, i -> (i % len) % (2 * half) < n);
            assertTrue(inv < tol, String.format(Locale.ROOT, "inverse %d² b%d %s: relative error %.3g (NaN: a skipped mode was read)", n,
                    batch, p.label(), inv));
        }
    }

    /** Whether the real at offset {@code o} of a field belongs to a mode with kx ≤ c and |ky| ≤ c. */
    private static boolean kept(int o, int n, int c) {
        int half = n / 2 + 1;
        int j = o / (2 * half);
        int i = (o % (2 * half)) / 2;
        int ky = j < n / 2 ? j : j - n;
        return i <= c && Math.abs(ky) <= c;
    }
}
