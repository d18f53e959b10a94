package dev.eddy.gpu;

import static org.junit.jupiter.api.Assertions.*;

import dev.eddy.numerics.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * VkFFT's column plan ({@link FftPlans#columns}): a C2C transform of length ny down every column of a compact
 * complex array, x left alone. Forward against a direct O(ny²) DFT per column in double, inverse(forward(z)) =
 * ny·z, the same sign as the 2D R2C plan's forward, the disk cache (its own file, loaded the second time), and
 * the argument checks. Non-powers of two (48, 96) and a single column included.
 */
@Tag("gpu-parity")
class ColumnFftTest extends GpuFftTest {
    static Stream<Arguments> cases() {
        List<Arguments> list = new ArrayList<>();
        for (Precision p : Precision.values()) {
            for (int ny : new int[] {16, 48, 64, 96, 256}) {
                for (int width : new int[] {1, 5, 11, 86}) {
                    for (int batch : new int[] {1, 3}) {
                        list.add(Arguments.of(width, ny, batch, p));
                    }
                }
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0} columns × {1} batch {2} {3}")
    @MethodSource("cases")
    void forwardIsTheDftOfEachColumnAndInverseGivesNyTimesTheInput(int width, int ny, int batch, Precision p) {
        GpuTests.needs(ctx, p);
        double tol = p == Precision.FP32 ? 2e-6 : 1e-12;
        double[] z = randomComplex(batch * ny * width, p, new Random(width * 1009L + ny * 31L + batch));
        try (DeviceBuffer buf = buffer(width, ny, batch, p)) {
            VkFftPlan plan = plans.columns(buf, width, ny, batch, p);
            assertEquals(VkFftPlan.Kind.COLUMNS, plan.kind());

            double[] spectrum = transform(plan, z, VkFftPlan.FORWARD);
            double fwd = relativeError(columnDft(z, width, ny, batch), spectrum, i -> true);
            assertTrue(fwd < tol, String.format(Locale.ROOT, "forward %d×%d b%d %s: relative error %.3g ≥ %.0e", width, ny, batch,
                    p.label(), fwd, tol));

            double[] back = transform(plan, spectrum, VkFftPlan.INVERSE);
            double[] expectBack = z.clone();
            for (int i = 0; i < expectBack.length; i++) {
                expectBack[i] *= ny;
            }
            double inv = relativeError(expectBack, back, i -> true);
            assertTrue(inv < tol, String.format(Locale.ROOT, "inverse %d×%d b%d %s: relative error %.3g ≥ %.0e", width, ny, batch,
                    p.label(), inv, tol));
            System.out.printf(Locale.ROOT, "GPU column FFT %d columns × %d batch %d %s: forward %.2e, inverse %.2e (plan %s, %.0f ms)%n",
                    width, ny, batch, p.label(), fwd, inv, plan.loadedFromCache() ? "from cache" : "compiled", plan.createMillis());
        }
    }

    /**
     * A field constant in x has in its R2C spectrum's kx = 0 column nx times the y-DFT of its profile g(y): the
     * column plan's forward of g must equal it, so both kinds share one sign. And e^{+2πi·y/ny} is the mode k = 1.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Precision.class)
    void forwardHasTheSignOfTheRealPlansForward(Precision p) {
        GpuTests.needs(ctx, p);
        int nx = 8;
        int ny = 48;
        double tol = p == Precision.FP32 ? 2e-6 : 1e-12;
        Random rnd = new Random(48);
        double[] g = new double[ny];
        for (int y = 0; y < ny; y++) {
            g[y] = round(rnd.nextDouble() * 2 - 1, p);
        }
        int half = nx / 2 + 1;
        double[] field = new double[ny * 2 * half];
        double[] column = new double[2 * ny];
        for (int y = 0; y < ny; y++) {
            for (int x = 0; x < nx; x++) {
                field[y * 2 * half + x] = g[y];
            }
            column[2 * y] = g[y];
        }
        try (GpuFft2D real = new GpuFft2D(ctx, plans, nx, ny, 1, p); DeviceBuffer buf = buffer(1, ny, 1, p)) {
            real.forward(field);
            double[] kx0 = new double[2 * ny];
            for (int k = 0; k < ny; k++) {
                kx0[2 * k] = field[k * 2 * half] / nx;
                kx0[2 * k + 1] = field[k * 2 * half + 1] / nx;
            }
            VkFftPlan plan = plans.columns(buf, 1, ny, 1, p);
            double err = relativeError(kx0, transform(plan, column, VkFftPlan.FORWARD), i -> true);
            assertTrue(err < tol, String.format(Locale.ROOT, "column forward vs the R2C's kx = 0 column / nx: relative error %.3g", err));

            double[] mode = new double[2 * ny];
            for (int y = 0; y < ny; y++) {
                mode[2 * y] = Math.cos(2 * Math.PI * y / ny);
                mode[2 * y + 1] = Math.sin(2 * Math.PI * y / ny);
            }
            double[] spectrum = transform(plan, mode, VkFftPlan.FORWARD);
            assertEquals(ny, spectrum[2], ny * tol * 10, "e^{+2πi y/ny} must land on k = 1 (forward is e^{−2πi k y/ny})");
            assertEquals(0, spectrum[2 * (ny - 1)], ny * tol * 10, "and not on k = ny − 1");
        }
    }

    @Test
    void secondPlanLoadsFromItsOwnCacheFileNotTheRealPlans(@TempDir Path dir) throws Exception {
        int width = 86;
        int ny = 48;
        Precision p = Precision.FP32;
        long bytes = Math.max(VkFftPlan.Kind.COLUMNS.requiredBytes(width, ny, 1, p), VkFftPlan.requiredBytes(width, ny, 1, p));
        try (DeviceBuffer buf = new DeviceBuffer(ctx, "fft.columns", bytes, "test", DeviceBuffer.Movement.NEVER)) {
            try (FftPlans cached = new FftPlans(ctx, dir)) {
                assertFalse(cached.plan(buf, width, ny, 1, p).loadedFromCache(), "an empty cache compiles the 2D plan");
                VkFftPlan columns = cached.columns(buf, width, ny, 1, p);
                assertFalse(columns.loadedFromCache(), "the 2D plan's file does not serve the column plan");
                assertSame(columns, cached.columns(buf, width, ny, 1, p), "in-memory cache: same column plan for the same buffer and shape");
                assertNotSame(columns, cached.plan(buf, width, ny, 1, p), "and not the 2D plan of the same sizes");
            }
            List<String> names;
            try (var files = Files.list(dir)) {
                names = files.map(f -> f.getFileName().toString()).sorted().toList();
            }
            assertEquals(2, names.size(), "one file per kind: " + names);
            assertTrue(names.stream().anyMatch(n -> n.endsWith("-86x48-b1-fp32.bin")), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.endsWith("-86x48-b1-fp32-cols.bin")), names.toString());
            try (FftPlans cached = new FftPlans(ctx, dir)) {
                assertTrue(cached.columns(buf, width, ny, 1, p).loadedFromCache(), "the second run loads the column plan from disk");
                assertTrue(cached.plan(buf, width, ny, 1, p).loadedFromCache(), "and the 2D plan from its own file");
            }
        }
    }

    @Test
    void badArgumentsAreRefusedWithAMessage() {
        try (DeviceBuffer buf = buffer(5, 48, 1, Precision.FP32)) {
            var width = assertThrows(IllegalArgumentException.class, () -> plans.columns(buf, 0, 48, 1, Precision.FP32));
            assertTrue(width.getMessage().contains("width ≥ 1"), width.getMessage());
            var small = assertThrows(IllegalArgumentException.class, () -> plans.columns(buf, 5, 48, 2, Precision.FP32));
            assertTrue(small.getMessage().contains("has 1920 bytes") && small.getMessage().contains("need 3840"), small.getMessage());
            var prime = assertThrows(GpuException.class, () -> plans.columns(buf, 5, 17, 1, Precision.FP32));
            assertTrue(prime.getMessage().contains("prime factor 17"), prime.getMessage());
            var dealias = assertThrows(IllegalArgumentException.class,
                    () -> new VkFftPlan(ctx, VkFftPlan.Kind.COLUMNS, buf, 5, 48, 1, Precision.FP32, 3, null));
            assertTrue(dealias.getMessage().contains("no dealias cutoff"), dealias.getMessage());
        }
    }

    private static DeviceBuffer buffer(int width, int ny, int batch, Precision p) {
        return new DeviceBuffer(ctx, "fft.columns", VkFftPlan.Kind.COLUMNS.requiredBytes(width, ny, batch, p), "test",
                DeviceBuffer.Movement.ON_DEMAND);
    }

    /** Uploads {@code data} (interleaved re, im) to the plan's buffer, runs one transform and reads it back. */
    private static double[] transform(VkFftPlan plan, double[] data, int direction) {
        double[] out = data.clone();
        try (StepProgram program = StepProgram.builder(ctx, "fft.columns").fft(plan, direction).freeze()) {
            ctx.staging().uploadReals(plan.buffer(), out, plan.precision(), "fft.columns");
            program.run();
            ctx.staging().downloadReals(plan.buffer(), out, plan.precision(), "fft.columns");
        }
        return out;
    }

    /** Z[a][k][x] = Σ_y z[a][y][x]·e^{−2πi k y/ny}, directly, in double (the twiddle index k·y mod ny keeps it exact). */
    static double[] columnDft(double[] z, int width, int ny, int batch) {
        double[] cos = new double[ny];
        double[] sin = new double[ny];
        for (int m = 0; m < ny; m++) {
            cos[m] = Math.cos(2 * Math.PI * m / ny);
            sin[m] = Math.sin(2 * Math.PI * m / ny);
        }
        double[] out = new double[z.length];
        for (int a = 0; a < batch; a++) {
            for (int k = 0; k < ny; k++) {
                for (int x = 0; x < width; x++) {
                    double re = 0;
                    double im = 0;
                    for (int y = 0; y < ny; y++) {
                        int i = 2 * ((a * ny + y) * width + x);
                        int m = (int) ((long) k * y % ny);
                        re += z[i] * cos[m] + z[i + 1] * sin[m];
                        im += z[i + 1] * cos[m] - z[i] * sin[m];
                    }
                    int o = 2 * ((a * ny + k) * width + x);
                    out[o] = re;
                    out[o + 1] = im;
                }
            }
        }
        return out;
    }

    /** n random complex values in [−1, 1)², rounded to {@code p} so the reference sees what the device sees. */
    private static double[] randomComplex(int n, Precision p, Random rnd) {
        double[] z = new double[2 * n];
        for (int i = 0; i < z.length; i++) {
            z[i] = round(rnd.nextDouble() * 2 - 1, p);
        }
        return z;
    }

    private static double round(double v, Precision p) {
        return p == Precision.FP32 ? (float) v : v;
    }
}
