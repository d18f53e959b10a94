package dev.eddy.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.GpuContextTest;
import dev.eddy.gpu.Push;
import dev.eddy.gpu.StepProgram;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Precision;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each codec shader of src/main/glsl/codec against its Java twin in {@link CodecKernels_F64} /
 * {@link CodecKernels_F32} / {@link TernaryKernels}, one dispatch at a time on random inputs, in fp32 and
 * fp64, at N = 30 (T = 6: tiles and 4-cell mask words straddle each other, and 16 does not divide N²,
 * so the packed code ends in a partial word) and N = 32 (T = 8). Kernels that compute the same
 * operations in the same order must agree bit for bit (masks, codes, gathers, scatters); the tile
 * reductions sum in a different order and agree to rounding. Word kernels are dispatched as a column
 * of workgroups so that their 2D-grid indexing is exercised.
 */
@Tag("gpu-parity")
class CodecKernelParityTest extends GpuContextTest {
    final Random random = new Random(11);

    static Stream<Arguments> cases() {
        return Stream.of(Arguments.of(Precision.FP64, 30, 6), Arguments.of(Precision.FP32, 30, 6),
                Arguments.of(Precision.FP64, 32, 8), Arguments.of(Precision.FP32, 32, 8));
    }

    // ---- helpers ----

    /** Random reals in [−1, 1), rounded to the precision (the device holds exactly these). */
    double[] random(int count, Precision p) {
        double[] v = random.doubles(count, -1, 1).toArray();
        return p == Precision.FP32 ? d(f(v)) : v;
    }

    byte[] randomMask(int cells) {
        byte[] m = new byte[cells];
        for (int i = 0; i < cells; i++) {
            m[i] = (byte) (random.nextBoolean() ? 1 : 0);
        }
        return m;
    }

    static float[] f(double[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) a[i];
        }
        return out;
    }

    static double[] d(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    DeviceBuffer reals(String name, double[] values, Precision p) {
        DeviceBuffer b = new DeviceBuffer(ctx, name, (long) values.length * p.bytes(), "test", DeviceBuffer.Movement.ON_DEMAND);
        ctx.staging().uploadReals(b, values, p, "test");
        return b;
    }

    /** Bytes in whole 32-bit words, as the shaders address them. */
    DeviceBuffer bytes(String name, byte[] values) {
        long words = (values.length + 3) / 4;
        DeviceBuffer b = new DeviceBuffer(ctx, name, 4 * words, "test", DeviceBuffer.Movement.ON_DEMAND);
        ctx.staging().upload(b, 0, ByteBuffer.wrap(java.util.Arrays.copyOf(values, (int) (4 * words))), "test");
        return b;
    }

    double[] downloadReals(DeviceBuffer b, int count, Precision p) {
        double[] out = new double[count];
        ctx.staging().downloadReals(b, out, p, "test");
        return out;
    }

    byte[] downloadBytes(DeviceBuffer b, int count) {
        ByteBuffer bb = ByteBuffer.allocate(count);
        ctx.staging().download(b, 0, bb, "test");
        return bb.array();
    }

    void run(ComputeKernel.Binding binding, ByteBuffer push, int gx, int gy) {
        try (StepProgram program = StepProgram.builder(ctx, "codec-parity").dispatch(binding, push, gx, gy, 1).freeze()) {
            program.run();
        }
    }

    static void assertClose(double[] want, double[] got, double rel, String what) {
        double scale = 0;
        double err = 0;
        for (int i = 0; i < want.length; i++) {
            scale = Math.max(scale, Math.abs(want[i]));
            err = Math.max(err, Math.abs(want[i] - got[i]));
        }
        assertTrue(err <= rel * scale, what + ": max error " + err + " of " + scale);
    }

    static double tol(Precision p) {
        return p == Precision.FP64 ? 1e-14 : 2e-6;
    }

    static int groups(int count) {
        return (count + 15) / 16;
    }

    // ---- the kernels ----

    @ParameterizedTest(name = "{0} N={1}")
    @MethodSource("cases")
    void gatherLatentWritesItsColumnOnly(Precision p, int n, int tile) {
        Grid g = new Grid(n);
        int k = (n - 1) / 3;
        CodecSettings s = new CodecSettings(n, k, tile, 0.7, 0, false, p);
        int dim = s.latentDimension();
        double[] spectrum = random(g.fieldLength(), p);
        double scale = 1.0 / (n * n);
        double[] want = new double[dim];
        if (p == Precision.FP64) {
            CodecKernels_F64.gatherLatent(g, k, spectrum, scale, want, 0, 2 * k + 1);
        } else {
            float[] z = new float[dim];
            CodecKernels_F32.gatherLatent(g, k, f(spectrum), (float) scale, z, 0, 2 * k + 1);
            want = d(z);
        }
        double[] sentinel = new double[3 * dim];
        java.util.Arrays.fill(sentinel, 7);
        try (DeviceBuffer sp = reals("spectrum", spectrum, p); DeviceBuffer z = reals("latents", sentinel, p);
             ComputeKernel kernel = new ComputeKernel(ctx, "gather_latent", p, 2, Push.size(p, 1, 3))) {
            run(kernel.bind(sp, z), Push.of(p).real(scale).i(n).i(k).i(dim).build(), groups(k + 1), groups(2 * k + 1));
            double[] got = downloadReals(z, 3 * dim, p);
            assertArrayEquals(want, java.util.Arrays.copyOfRange(got, dim, 2 * dim), 0.0, "column 1");
            for (int i = 0; i < dim; i++) {
                assertEquals(7.0, got[i], 0.0, "column 0 untouched");
                assertEquals(7.0, got[2 * dim + i], 0.0, "column 2 untouched");
            }
        }
    }

    @ParameterizedTest(name = "{0} N={1}")
    @MethodSource("cases")
    void spectralResidualSubtractsTheFilteredLatent(Precision p, int n, int tile) {
        Grid g = new Grid(n);
        int k = (n - 1) / 3 - 2;
        CodecSettings s = new CodecSettings(n, k, tile, 0.7, 0.3, false, p);
        int dim = s.latentDimension();
        double[] spectrum = random(g.fieldLength(), p);
        double[] latents = random(3 * dim, p);
        double[] z = java.util.Arrays.copyOfRange(latents, 2 * dim, 3 * dim);
        double scale = 1.0 / (n * n);
        double[] want = new double[g.fieldLength()];
        if (p == Precision.FP64) {
            CodecKernels_F64.spectralResidual(g, k, spectrum, scale, z, s.sigma(), want, 0, n);
        } else {
            float[] out = new float[want.length];
            CodecKernels_F32.spectralResidual(g, k, f(spectrum), (float) scale, f(z), (float) s.sigma(), out, 0, n);
            want = d(out);
        }
        try (DeviceBuffer sp = reals("spectrum", spectrum, p); DeviceBuffer lat = reals("latents", latents, p);
             DeviceBuffer filter = reals("filter", GpuCodecRecorder.filterTable(s), p);
             DeviceBuffer out = reals("out", new double[g.fieldLength()], p);
             ComputeKernel kernel = new ComputeKernel(ctx, "spectral_residual", p, 4, Push.size(p, 1, 3))) {
            run(kernel.bind(sp, lat, filter, out), Push.of(p).real(scale).i(n).i(k).i(2 * dim).build(), groups(g.halfX()), groups(n));
            assertClose(want, downloadReals(out, g.fieldLength(), p), tol(p), "r̂");
        }
    }

    @ParameterizedTest(name = "{0} N={1}")
    @MethodSource("cases")
    void scatterLatentFillsTheLatentModesAndZeroesTheRest(Precision p, int n, int tile) {
        Grid g = new Grid(n);
        int k = (n - 1) / 3;
        CodecSettings s = new CodecSettings(n, k, tile, 0.7, 0.25, false, p);
        int dim = s.latentDimension();
        double[] latents = random(2 * dim, p);
        double[] z = java.util.Arrays.copyOfRange(latents, dim, 2 * dim);
        double[] want = new double[g.fieldLength()];
        if (p == Precision.FP64) {
            CodecKernels_F64.scatterLatent(g, k, z, s.sigma(), want, 0, n);
        } else {
            float[] out = new float[want.length];
            CodecKernels_F32.scatterLatent(g, k, f(z), (float) s.sigma(), out, 0, n);
            want = d(out);
        }
        try (DeviceBuffer lat = reals("latents", latents, p); DeviceBuffer filter = reals("filter", GpuCodecRecorder.filterTable(s), p);
             DeviceBuffer out = reals("spectrum", random(g.fieldLength(), p), p);
             ComputeKernel kernel = new ComputeKernel(ctx, "scatter_latent", p, 3, Push.size(p, 0, 3))) {
            run(kernel.bind(lat, filter, out), Push.of(p).i(n).i(k).i(dim).build(), groups(g.halfX()), groups(n));
            // one multiply by the same factor: bitwise
            assertArrayEquals(want, downloadReals(out, g.fieldLength(), p), 0.0);
        }
    }

    @ParameterizedTest(name = "{0} N={1}")
    @MethodSource("cases")
    void tileMeanAbsIgnoresThePaddingAndMatchesToRounding(Precision p, int n, int tile) {
        Grid g = new Grid(n);
        double[] r = random(g.fieldLength(), p);
        for (int j = 0; j < n; j++) {
            r[j * g.rowStride() + n] = 1e6; // padding: must not count
            r[j * g.rowStride() + n + 1] = -1e6;
        }
        int tps = n / tile;
        double[] want = new double[tps * tps];
        if (p == Precision.FP64) {
            CodecKernels_F64.tileMeanAbs(g, tile, r, want, 0, tps);
        } else {
            float[] m = new float[want.length];
            CodecKernels_F32.tileMeanAbs(g, tile, f(r), m, 0, tps);
            want = d(m);
        }
        try (DeviceBuffer rb = reals("r", r, p); DeviceBuffer mean = reals("mean", new double[tps * tps], p);
             ComputeKernel kernel = new ComputeKernel(ctx, "tile_mean_abs", p, 2, Push.size(p, 0, 2))) {
            run(kernel.bind(rb, mean), Push.of(p).i(n).i(tile).build(), tps, tps);
            assertClose(want, downloadReals(mean, tps * tps, p), tol(p), "mean |r|");
        }
    }

    @ParameterizedTest(name = "{0} N={1}")
    @MethodSource("cases")
    void tileMaskIsBitwiseTheTwinsGivenTheSameMeans(Precision p, int n, int tile) {
        Grid g = new Grid(n);
        double[] r = random(g.fieldLength(), p);
        int tps = n / tile;
        double[] mean = random(tps * tps, p);
        for (int i = 0; i < mean.length; i++) {
            mean[i] = Math.abs(mean[i]);
        }
        double theta = 0.7;
        byte[] want = new byte[n * n];
        if (p == Precision.FP64) {
            CodecKernels_F64.tileMask(g, tile, theta, r, mean, want, 0, n);
        } else {
            CodecKernels_F32.tileMask(g, tile, (float) theta, f(r), f(mean), want, 0, n);
        }
        try (DeviceBuffer rb = reals("r", r, p); DeviceBuffer mb = reals("mean", mean, p); DeviceBuffer mask = bytes("mask", new byte[n * n]);
             ComputeKernel kernel = new ComputeKernel(ctx, "tile_mask", p, 3, Push.size(p, 1, 2))) {
            run(kernel.bind(rb, mb, mask), Push.of(p).real(theta).i(n).i(tile).build(), 1, (n * n / 4 + 255) / 256);
            assertArrayEquals(want, downloadBytes(mask, n * n));
        }
    }

    @ParameterizedTest(name = "{0} N={1}")
    @MethodSource("cases")
    void majorityIsBitwiseTheTwin(Precision p, int n, int tile) {
        byte[] in = randomMask(n * n);
        byte[] want = new byte[n * n];
        TernaryKernels.majority3x3(n, in, want, 0, n);
        try (DeviceBuffer ib = bytes("in", in); DeviceBuffer ob = bytes("out", new byte[n * n]);
             ComputeKernel kernel = new ComputeKernel(ctx, "majority3x3", p, 2, Push.size(p, 0, 1))) {
            run(kernel.bind(ib, ob), Push.of(p).i(n).build(), 1, (n * n / 4 + 255) / 256);
            assertArrayEquals(want, downloadBytes(ob, n * n));
        }
    }

    @ParameterizedTest(name = "{0} N={1}")
    @MethodSource("cases")
    void ternaryScaleAlphaMatchesToRoundingWithEmptyTilesZero(Precision p, int n, int tile) {
        Grid g = new Grid(n);
        double[] r = random(g.fieldLength(), p);
        byte[] mask = randomMask(n * n);
        for (int y = 0; y < tile; y++) { // tile (0, 0) has no coded cell: α = 0
            for (int x = 0; x < tile; x++) {
                mask[y * n + x] = 0;
            }
        }
        int tps = n / tile;
        double[] want = new double[tps * tps];
        byte[] t = new byte[n * n];
        if (p == Precision.FP64) {
            CodecKernels_F64.ternaryScale(g, tile, r, mask, t, want, 0, tps);
        } else {
            float[] a = new float[want.length];
            CodecKernels_F32.ternaryScale(g, tile, f(r), mask, t, a, 0, tps);
            want = d(a);
        }
        double[] before = random(2 * tps * tps, p);
        try (DeviceBuffer rb = reals("r", r, p); DeviceBuffer mb = bytes("mask", mask); DeviceBuffer ab = reals("alpha", before, p);
             ComputeKernel kernel = new ComputeKernel(ctx, "ternary_scale", p, 3, Push.size(p, 0, 3))) {
            // into code slot 1: slot 0 stays as it was
            run(kernel.bind(rb, mb, ab), Push.of(p).i(n).i(tile).i(tps * tps).build(), tps, tps);
            double[] all = downloadReals(ab, 2 * tps * tps, p);
            double[] got = java.util.Arrays.copyOfRange(all, tps * tps, 2 * tps * tps);
            assertArrayEquals(java.util.Arrays.copyOf(before, tps * tps), java.util.Arrays.copyOf(all, tps * tps), 0.0, "slot 0 untouched");
            assertEquals(0.0, got[0], 0.0);
            assertClose(want, got, tol(p), "α");
        }
    }

    @ParameterizedTest(name = "{0} N={1}")
    @MethodSource("cases")
    void packIsBitwiseTheTwinsTernaryCodePacked(Precision p, int n, int tile) {
        Grid g = new Grid(n);
        double[] r = random(g.fieldLength(), p);
        for (int i = 0; i < r.length; i += 7) {
            r[i] = 0; // a coded cell with r = 0 has t = 0
        }
        byte[] mask = randomMask(n * n);
        int tps = n / tile;
        byte[] t = new byte[n * n];
        if (p == Precision.FP64) {
            CodecKernels_F64.ternaryScale(g, tile, r, mask, t, new double[tps * tps], 0, tps);
        } else {
            CodecKernels_F32.ternaryScale(g, tile, f(r), mask, t, new float[tps * tps], 0, tps);
        }
        byte[] want = new byte[n * n / 4];
        TernaryKernels.pack(t, want, 0, want.length);
        int words = (n * n + 15) / 16;
        byte[] slot0 = new byte[4 * words];
        random.nextBytes(slot0);
        byte[] initial = java.util.Arrays.copyOf(slot0, 8 * words);
        try (DeviceBuffer rb = reals("r", r, p); DeviceBuffer mb = bytes("mask", mask); DeviceBuffer pb = bytes("packed", initial);
             ComputeKernel kernel = new ComputeKernel(ctx, "pack", p, 3, Push.size(p, 0, 2))) {
            // into code slot 1 (word offset = words per slot): slot 0 stays as it was
            run(kernel.bind(rb, mb, pb), Push.of(p).i(n).i(words).build(), 1, (words + 255) / 256);
            byte[] all = downloadBytes(pb, 8 * words);
            assertArrayEquals(slot0, java.util.Arrays.copyOf(all, 4 * words), "slot 0 untouched");
            byte[] got = java.util.Arrays.copyOfRange(all, 4 * words, 8 * words);
            assertArrayEquals(want, java.util.Arrays.copyOf(got, want.length));
            for (int b = want.length; b < got.length; b++) {
                assertEquals(0, got[b], "bits past N² cells stay 00");
            }
        }
    }

    @ParameterizedTest(name = "{0} N={1}")
    @MethodSource("cases")
    void synthesizeAddsAlphaTimesTheCode(Precision p, int n, int tile) {
        Grid g = new Grid(n);
        int tps = n / tile;
        double[] low = random(g.fieldLength(), p);
        double[] alpha = random(tps * tps, p);
        byte[] t = new byte[n * n];
        for (int i = 0; i < t.length; i++) {
            t[i] = (byte) (random.nextInt(3) - 1);
        }
        byte[] packed = new byte[n * n / 4];
        TernaryKernels.pack(t, packed, 0, packed.length);
        double fade = p == Precision.FP32 ? (float) 0.37 : 0.37;
        double[] want;
        if (p == Precision.FP64) {
            want = low.clone();
            CodecKernels_F64.synthesize(g, tile, fade, alpha, packed, want, 0, n);
        } else {
            float[] w = f(low);
            CodecKernels_F32.synthesize(g, tile, (float) fade, f(alpha), packed, w, 0, n);
            want = d(w);
        }
        // the code in slot 1 of two: slot 0 holds other values the kernel must not read
        int words = (n * n + 15) / 16;
        double[] alphas = random(2 * tps * tps, p);
        System.arraycopy(alpha, 0, alphas, tps * tps, tps * tps);
        byte[] packs = new byte[8 * words];
        random.nextBytes(packs);
        for (int i = 0; i < packs.length; i++) {
            packs[i] &= 0x55; // valid codes only
        }
        System.arraycopy(packed, 0, packs, 4 * words, packed.length);
        java.util.Arrays.fill(packs, 4 * words + packed.length, 8 * words, (byte) 0);
        try (DeviceBuffer ab = reals("alpha", alphas, p); DeviceBuffer pb = bytes("packed", packs); DeviceBuffer lb = reals("low", low, p);
             ComputeKernel kernel = new ComputeKernel(ctx, "synthesize", p, 3, Push.size(p, 1, 4))) {
            run(kernel.bind(ab, pb, lb), Push.of(p).real(fade).i(n).i(tile).i(tps * tps).i(words).build(), groups(n), groups(n));
            // (fade·α)·t is one rounded product times t ∈ {−1, 0, 1}, then one rounded add: bitwise
            assertArrayEquals(want, downloadReals(lb, g.fieldLength(), p), 0.0);
        }
    }

    @ParameterizedTest(name = "{0} N={1}")
    @MethodSource("cases")
    void ternaryGramIsTheTwinsLaggedResidualDotsOverCodeSlots(Precision p, int n, int tile) {
        org.junit.jupiter.api.Assumptions.assumeTrue(ctx.supports(Precision.FP64), "ternary_gram sums in float64");
        Grid g = new Grid(n);
        int tps = n / tile;
        int slots = 5;
        int from = 1;
        int count = 3;
        int words = (n * n + 15) / 16;
        double[] alphas = random(slots * tps * tps, p);
        byte[] packs = new byte[4 * words * slots];
        double[][] alpha = new double[slots][];
        byte[][] packed = new byte[slots][];
        for (int k = 0; k < slots; k++) {
            byte[] t = new byte[n * n];
            for (int i = 0; i < t.length; i++) {
                t[i] = (byte) (random.nextInt(3) - 1);
            }
            packed[k] = new byte[n * n / 4];
            TernaryKernels.pack(t, packed[k], 0, packed[k].length);
            System.arraycopy(packed[k], 0, packs, 4 * words * k, packed[k].length);
            alpha[k] = java.util.Arrays.copyOfRange(alphas, k * tps * tps, (k + 1) * tps * tps);
        }
        int lags = 2; // lags 0 and 1: (a, a) and (a, a + 1); the last slot has no partner at lag 1
        double[] want = new double[count * lags];
        for (int a = 0; a < count; a++) {
            for (int h = 0; h < lags && a + h < count; h++) {
                int b = a + h;
                want[a * lags + h] = p == Precision.FP64
                        ? CodecKernels_F64.residualDot(g, tile, alpha[from + a], packed[from + a], alpha[from + b], packed[from + b])
                        : CodecKernels_F32.residualDot(g, tile, f(alpha[from + a]), packed[from + a], f(alpha[from + b]), packed[from + b]);
            }
        }
        double[] sentinel = new double[count * lags];
        java.util.Arrays.fill(sentinel, 7.0);
        try (DeviceBuffer ab = reals("alpha", alphas, p); DeviceBuffer pb = bytes("packed", packs);
             DeviceBuffer gb = reals("band", sentinel, Precision.FP64);
             ComputeKernel kernel = new ComputeKernel(ctx, "ternary_gram", p, 3, Push.size(p, 0, 7))) {
            run(kernel.bind(ab, pb, gb), Push.of(p).i(n).i(tile).i(tps * tps).i(words).i(from).i(count).i(lags).build(), count, lags);
            double[] got = downloadReals(gb, count * lags, Precision.FP64);
            assertEquals(7.0, got[(count - 1) * lags + 1], 0.0, "a pair past the window is not written");
            got[(count - 1) * lags + 1] = 0;
            // float64 sums of the same products in another order
            assertClose(want, got, 1e-13, "lagged residual products");
        }
    }
}
