package dev.eddy.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.TestConfigs;
import dev.eddy.config.ConfigException;
import dev.eddy.config.RunConfig;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.GpuContextTest;
import dev.eddy.gpu.GpuTests;
import dev.eddy.gpu.TransferLedger;
import dev.eddy.numerics.CpuFft2D_F64;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Parallel;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.InitialCondition;
import dev.eddy.sim.gpu.GpuLes;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link GpuCodec} against {@link CpuCodec_F64}/{@code _F32} on lavapipe: the same Z (to rounding), the
 * same ternary code except at cells whose |r| lies within rounding of the threshold θ·mean|r| (the two
 * backends transform and reduce in different orders, so such a cell may fall either way: each mismatch
 * must be one of those, and they must be rare), α to rounding on the tiles without such a cell, and
 * the same decoded field from the same code. Then the in-place encode of a GPU LES's ω̂, the
 * transfer ledger, the mixed pipeline's uploads, the checks, and clean closing.
 */
@Tag("gpu-parity")
class GpuCodecParityTest extends GpuContextTest {

    /** A turbulent-looking field with content beyond K: the LES initial condition (random phases, peak k_p). */
    static double[] field(int n, long seed) {
        Grid g = new Grid(n);
        double[] w = InitialCondition.vorticity(g, new dev.eddy.config.InitialSpectrum(n / 3 - 1, 0.5, seed));
        return physical(g, w);
    }

    /** ω of an unnormalised ω̂ (the float64 CPU transform, as GpuLes.vorticity() does it). */
    static double[] physical(Grid g, double[] spectrum) {
        int n = g.n();
        double[] w = spectrum.clone();
        for (int i = 0; i < w.length; i++) {
            w[i] /= (double) n * n;
        }
        try (Parallel p = new Parallel(1)) {
            new CpuFft2D_F64(n, n, p).inverse(w, 1);
        }
        double[] out = new double[n * n];
        for (int y = 0; y < n; y++) {
            System.arraycopy(w, y * g.rowStride(), out, y * n, n);
        }
        return out;
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    static void assertClose(double[] want, double[] got, double rel, String what) {
        assertEquals(want.length, got.length, what);
        double scale = maxAbs(want);
        double err = 0;
        for (int i = 0; i < want.length; i++) {
            err = Math.max(err, Math.abs(want[i] - got[i]));
        }
        assertTrue(err <= rel * scale, what + ": max error " + err + " of " + scale);
    }

    static double tol(Precision p) {
        return p == Precision.FP64 ? 1e-12 : 1e-5;
    }

    static byte[] unpack(byte[] packed, int cells) {
        byte[] t = new byte[cells];
        TernaryKernels.unpack(packed, t, 0, packed.length);
        return t;
    }

    /**
     * The GPU code against the CPU code of the same field {@code omega}. The threshold of each cell is
     * rebuilt from the CPU's own residual r = ω − L(Z) (its latent-only decode): a cell whose codes differ
     * must have |r| within {@code eps}·max|ω| of θ·mean_tile|r| — itself, or with majority smoothing some
     * cell of its 3×3 neighbourhood, which is where a flipped mask bit reaches.
     */
    static void assertCodesAgree(CodecSettings s, double[] omega, SnapshotCodec.Code cpu, double[] cpuLatentOnly,
                                 SnapshotCodec.Code gpu) {
        int n = s.n();
        int tile = s.tile();
        int tps = s.tilesPerSide();
        Precision p = s.precision();
        assertClose(cpu.z(), gpu.z(), tol(p), "Z");
        double[] r = new double[n * n];
        for (int i = 0; i < r.length; i++) {
            double w = p == Precision.FP32 ? (float) omega[i] : omega[i];
            r[i] = w - cpuLatentOnly[i];
        }
        double[] mean = new double[tps * tps];
        for (int c = 0; c < r.length; c++) {
            mean[(c / n / tile) * tps + (c % n) / tile] += Math.abs(r[c]) / (tile * tile);
        }
        double eps = (p == Precision.FP64 ? 1e-11 : 2e-5) * maxAbs(omega);
        byte[] tc = unpack(cpu.packed(), n * n);
        byte[] tg = unpack(gpu.packed(), n * n);
        boolean[] flippedTile = new boolean[tps * tps];
        int mismatches = 0;
        for (int c = 0; c < tc.length; c++) {
            if (tc[c] == tg[c]) {
                continue;
            }
            mismatches++;
            int y = c / n;
            int x = c % n;
            flippedTile[(y / tile) * tps + x / tile] = true;
            int reach = s.majority() ? 1 : 0;
            double closest = Double.POSITIVE_INFINITY;
            for (int dy = -reach; dy <= reach; dy++) {
                for (int dx = -reach; dx <= reach; dx++) {
                    int yy = (y + dy + n) % n;
                    int xx = (x + dx + n) % n;
                    double threshold = s.theta() * mean[(yy / tile) * tps + xx / tile];
                    closest = Math.min(closest, Math.abs(Math.abs(r[yy * n + xx]) - threshold));
                }
            }
            assertTrue(closest <= eps, "cell (" + x + ", " + y + ") codes " + tc[c] + " on the CPU and " + tg[c]
                    + " on the GPU, but |r| is " + closest + " from the threshold (allowed " + eps + ")");
        }
        assertTrue(mismatches <= Math.max(2, n * n / 200), mismatches + " near-threshold mismatches of " + n * n);
        double alphaScale = maxAbs(cpu.alpha());
        for (int tIdx = 0; tIdx < flippedTile.length; tIdx++) {
            if (!flippedTile[tIdx]) {
                assertEquals(cpu.alpha()[tIdx], gpu.alpha()[tIdx], tol(p) * alphaScale, "α of tile " + tIdx);
            }
        }
    }

    static Stream<Arguments> settings() {
        return Stream.of(
                Arguments.of(Precision.FP64, 32, 4, 8, false, 0.0),
                Arguments.of(Precision.FP32, 32, 6, 8, true, 0.2),
                Arguments.of(Precision.FP64, 64, 12, 16, true, 0.1),
                Arguments.of(Precision.FP32, 64, 8, 4, false, 0.0));
    }

    @ParameterizedTest(name = "{0} N={1} K={2} T={3} majority={4} σ={5}")
    @MethodSource("settings")
    void encodeAndDecodeMatchTheCpuCodec(Precision p, int n, int k, int tile, boolean majority, double sigma) {
        CodecSettings s = new CodecSettings(n, k, tile, 0.7, sigma, majority, p);
        double[] omega = field(n, 5);
        try (SnapshotCodec cpu = dev.eddy.TestConfigs.cpuCodec(s, 1); GpuCodec gpu = new GpuCodec(ctx, s, 1)) {
            SnapshotCodec.Code want = cpu.encode(omega);
            SnapshotCodec.Code got = gpu.encode(omega);
            assertCodesAgree(s, omega, want, cpu.decode(want, false), got);
            for (boolean residual : new boolean[] {false, true}) {
                // the same code through both decoders
                assertClose(cpu.decode(got, residual), gpu.decode(got, residual), tol(p), "decode, residual " + residual);
            }
            // and the decode of the GPU's own latent column is the decode of its code, bit for bit
            assertArrayEquals(gpu.decode(got, true), gpu.decodeColumn(gpu.latentBuffer(), 0, SnapshotCodec.Residual.of(0)), 0.0);
            FieldErrors latent = FieldErrors.compare(n, omega, gpu.decode(got, false));
            FieldErrors full = FieldErrors.compare(n, omega, gpu.decode(got, true));
            assertTrue(latent.relL2() > 0.05 && full.relL2() < latent.relL2(), "the residual must help: " + latent + " → " + full);
        }
    }

    /**
     * The codec keeps the residual code of every column it encoded: each column's code, the decode with
     * any column's residual faded by any factor, and the Gram of the decoded residuals all agree with the
     * CPU codec's (to rounding: α comes from reductions in another order).
     */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void everyColumnKeepsItsCodeAndTheResidualGramAndFadedDecodesAreTheCpuCodecs(Precision p) {
        int n = 32;
        int columns = 4;
        CodecSettings s = new CodecSettings(n, 5, 8, 0.7, 0, false, p);
        try (SnapshotCodec cpu = dev.eddy.TestConfigs.cpuCodec(s, columns, 1); GpuCodec gpu = new GpuCodec(ctx, s, columns)) {
            for (int c = 0; c < columns; c++) {
                double[] f = field(n, 40 + c);
                cpu.encode(f, c);
                gpu.encode(f, c);
            }
            double tol = p == Precision.FP64 ? 1e-12 : 1e-5;
            for (int c = 0; c < columns; c++) {
                SnapshotCodec.Code want = cpu.code(c);
                SnapshotCodec.Code got = gpu.code(c);
                assertClose(want.alpha(), got.alpha(), tol, "α of column " + c);
                assertArrayEquals(want.packed(), got.packed(), "t of column " + c);
            }
            SnapshotCodec.Residual faded = SnapshotCodec.Residual.of(1).faded(0.45);
            assertClose(cpu.decode(cpu.latents(), 3, faded), gpu.decode(gpu.latents(), 3, faded), tol, "column 3 with 0.45 of column 1's residual");
            double[] latentOnly = gpu.decode(gpu.latents(), 3, null);
            double[] zeroFade = gpu.decode(gpu.latents(), 3, SnapshotCodec.Residual.of(1).faded(0));
            assertArrayEquals(latentOnly, zeroFade, 0.0, "a residual faded to 0 adds nothing");
            double[] want = cpu.residualLags(1, 3, 1); // [a][h] for a = 0..2 (slots 1..3), h = 0, 1
            double[] got = gpu.residualLags(1, 3, 1);
            assertClose(want, got, p == Precision.FP64 ? 1e-12 : 1e-5, "lagged residual products");
            assertEquals(0.0, got[2 * 2 + 1], 0.0, "slot 3 has no partner one later in the band");
            // [a][0] is the squared norm of the decoded residual: decode with and without it and compare
            double[] full = cpu.decode(cpu.latents(), 2, SnapshotCodec.Residual.of(2));
            double[] low = cpu.decode(cpu.latents(), 2, null);
            double[] next = cpu.decode(cpu.latents(), 3, SnapshotCodec.Residual.of(3));
            double[] nextLow = cpu.decode(cpu.latents(), 3, null);
            double norm = 0;
            double cross = 0;
            for (int i = 0; i < full.length; i++) {
                norm += (full[i] - low[i]) * (full[i] - low[i]);
                cross += (full[i] - low[i]) * (next[i] - nextLow[i]);
            }
            assertEquals(norm, want[1 * 2], 1e-6 * norm, "⟨ρ_2, ρ_2⟩ = ‖α·t‖² of column 2");
            assertEquals(cross, want[1 * 2 + 1], 1e-6 * norm, "⟨ρ_2, ρ_3⟩");
        }
    }

    static GpuLes les(Precision p, int n) {
        RunConfig c = TestConfigs.withBackend(TestConfigs.les(n, p), "vulkan");
        return new GpuLes(c, dev.eddy.backend.Backend.Vulkan.on(ctx, 1));
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void encodeSpectralOfAGpuLesIsTheCpuCodecOfItsVorticityAndMovesNoField(Precision p) {
        int n = 32;
        CodecSettings s = new CodecSettings(n, 6, 8, 0.7, 0, false, p);
        try (GpuLes sim = les(p, n); GpuCodec gpu = new GpuCodec(ctx, s, 3); SnapshotCodec cpu = dev.eddy.TestConfigs.cpuCodec(s, 1)) {
            sim.advance(20, Double.POSITIVE_INFINITY);
            double[] before = sim.spectralState();
            TransferLedger ledger = ctx.ledger();
            long copies = ledger.totalCopies();
            long up = ledger.totalBytes(TransferLedger.Direction.HOST_TO_DEVICE);
            long down = ledger.totalBytes(TransferLedger.Direction.DEVICE_TO_HOST);
            long encodeStage = stageBytes(ledger, GpuCodec.ENCODE_STAGE, "device_to_host");
            gpu.encode(sim, 1);
            assertEquals(copies, ledger.totalCopies(), "the encode itself moves nothing: " + ledger.snapshot());
            SnapshotCodec.Code got = gpu.code(1);
            long codeBytes = (long) s.latentDimension() * p.bytes() + (long) s.tiles() * p.bytes() + s.packedBytes();
            assertEquals(up, ledger.totalBytes(TransferLedger.Direction.HOST_TO_DEVICE));
            assertEquals(down + codeBytes, ledger.totalBytes(TransferLedger.Direction.DEVICE_TO_HOST),
                    "readCode reads Z, α and t back, nothing more");
            assertEquals(codeBytes, stageBytes(ledger, GpuCodec.ENCODE_STAGE, "device_to_host") - encodeStage, "under stage encode");
            assertArrayEquals(before, sim.spectralState(), 0.0, "the encode must not touch the LES state");

            double[] omega = sim.vorticity();
            SnapshotCodec.Code want = cpu.encode(omega);
            assertCodesAgree(s, omega, want, cpu.decode(want, false), got);

            long decodeBefore = stageBytes(ledger, GpuCodec.DECODE_STAGE, "device_to_host");
            double[] fromColumn = gpu.decodeColumn(gpu.latentBuffer(), 1, SnapshotCodec.Residual.of(1));
            assertEquals((long) new Grid(n).fieldLength() * p.bytes(), stageBytes(ledger, GpuCodec.DECODE_STAGE, "device_to_host")
                    - decodeBefore, "a decode reads back one (padded) field");
            double[] fromCode = gpu.decode(gpu.code(1), true);
            assertArrayEquals(fromCode, fromColumn, 0.0, "decodeColumn(latents(), c) = decode(readCode(c))");
            assertArrayEquals(gpu.decode(got, false), gpu.decodeColumn(gpu.latentBuffer(), 1, null), 0.0);
            assertClose(cpu.decode(want, true), fromColumn, p == Precision.FP64 ? 1e-10 : 1e-4, "GPU vs CPU reconstruction");
        }
    }

    static long stageBytes(TransferLedger ledger, String stage, String direction) {
        return ledger.snapshot().stream().filter(e -> e.get("stage").equals(stage) && e.get("direction").equals(direction))
                .mapToLong(e -> (Long) e.get("bytes")).sum();
    }

    @Test
    void theMixedPipelineDecodesAnUploadedHostCodeAndColumnsBeyondTheProgramCache() {
        int n = 32;
        int columns = GpuCodec.PROGRAMS_KEPT + 3;
        CodecSettings s = new CodecSettings(n, 5, 8, 0.7, 0, true, Precision.FP64);
        try (SnapshotCodec cpu = dev.eddy.TestConfigs.cpuCodec(s, 1); GpuCodec gpu = new GpuCodec(ctx, s, columns)) {
            double[][] fields = new double[columns][];
            SnapshotCodec.Code[] codes = new SnapshotCodec.Code[columns];
            for (int c = 0; c < columns; c++) {
                fields[c] = field(n, 100 + c);
                codes[c] = cpu.encode(fields[c]);
                gpu.uploadLatent(codes[c].z(), c);
            }
            // every column, twice round (more programs than are kept: evicted ones are closed and re-recorded)
            for (int round = 0; round < 2; round++) {
                for (int c = 0; c < columns; c++) {
                    assertClose(cpu.decode(codes[c], false), gpu.decodeColumn(gpu.latentBuffer(), c, null), 1e-12, "latent column " + c);
                }
            }
            assertClose(cpu.decode(codes[3], true), gpu.decode(codes[3], true), 1e-12, "a host code's residual, through the scratch slot");
            assertThrows(IllegalStateException.class, () -> gpu.code(3), "an uploaded latent has no code");
            assertThrows(IllegalStateException.class, () -> gpu.decodeColumn(gpu.latentBuffer(), 3, SnapshotCodec.Residual.of(3)));
        }
    }

    @Test
    void badArgumentsAreRefusedWithClearMessages() {
        int n = 32;
        CodecSettings s = new CodecSettings(n, 4, 8, 0.7, 0, false, Precision.FP64);
        try (GpuCodec gpu = new GpuCodec(ctx, s, 2);
             GpuLes fp32 = les(Precision.FP32, n);
             DeviceBuffer odd = new DeviceBuffer(ctx, "odd", 3L * s.latentDimension() * 8 + 8, "test", DeviceBuffer.Movement.NEVER)) {
            var wrongPrecision = assertThrows(IllegalArgumentException.class, () -> gpu.encode(fp32, 0));
            assertTrue(wrongPrecision.getMessage().contains("precision"), wrongPrecision.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> gpu.encode(fp32, 2));
            var noCode = assertThrows(IllegalStateException.class, () -> gpu.code(0));
            assertTrue(noCode.getMessage().contains("has not been encoded"), noCode.getMessage());
            assertThrows(IllegalStateException.class, () -> gpu.decodeColumn(gpu.latentBuffer(), 0, SnapshotCodec.Residual.of(0)));
            assertThrows(IndexOutOfBoundsException.class, () -> gpu.decodeColumn(gpu.latentBuffer(), 0, SnapshotCodec.Residual.of(7)));
            assertThrows(IllegalStateException.class, () -> gpu.residualLags(0, 2, 1), "no codes yet");
            var notColumns = assertThrows(IllegalArgumentException.class, () -> gpu.decodeColumn(odd, 0, null));
            assertTrue(notColumns.getMessage().contains("whole number of latent columns"), notColumns.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> gpu.decodeColumn(gpu.latentBuffer(), 2, null));
            assertThrows(IllegalArgumentException.class, () -> gpu.uploadLatent(new double[3], 0));
            assertThrows(IllegalArgumentException.class,
                    () -> gpu.decode(new SnapshotCodec.Code(new double[s.latentDimension()], new double[1], new byte[1]), true));
            assertThrows(IllegalArgumentException.class, () -> gpu.encode(new double[7]));
        }
    }

    @Test
    void aCodecThatCannotBeBuiltReleasesWhatItMadeAndSaysWhy() {
        int before = ctx.memoryMap().size();
        CodecSettings s = new CodecSettings(32, 10, 8, 0.7, 0, false, Precision.FP32);
        // 4 GiB of latents: more than lavapipe's 2 GiB heap
        int columns = (int) ((4L << 30) / ((long) s.latentDimension() * 4));
        var e = assertThrows(RuntimeException.class, () -> new GpuCodec(ctx, s, columns).close());
        assertTrue(e.getMessage().contains("codec.latents"), e.getMessage());
        assertEquals(before, ctx.memoryMap().size(), "the buffers made before the failure are released");
        assertThrows(IllegalArgumentException.class, () -> new GpuCodec(ctx, s, 0));
        // the shared context is still usable
        try (GpuCodec gpu = new GpuCodec(ctx, s, 1)) {
            assertEquals(s.latentDimension(), gpu.encode(field(32, 1)).z().length);
        }
    }

    /** Resident memory of this process in KiB (Linux), as GpuResourceTest measures it. */
    static long rssKiB() throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    /**
     * Codecs made, used through every kind of program (encode, read-code, decode, the field read-back,
     * decode of a host code) and closed on a shared context: the context's buffer registry returns to
     * where it was after each, and resident memory stays flat over 20 cycles, which it would not if
     * pipelines, programs (command buffers, fences, staging) or FFT plans outlived their codec.
     */
    @Test
    void codecsOnASharedContextLeaveNothingBehindAndAnOwnContextCloses() throws Exception {
        int before = ctx.memoryMap().size();
        CodecSettings s = new CodecSettings(32, 6, 8, 0.7, 0, true, Precision.FP32);
        double[] omega = field(32, 9);
        long warm = 0;
        for (int i = 0; i < 25; i++) {
            try (GpuCodec gpu = new GpuCodec(ctx, s, 2)) {
                SnapshotCodec.Code code = gpu.encode(omega);
                gpu.decodeColumn(gpu.latentBuffer(), 0, SnapshotCodec.Residual.of(0));
                gpu.decode(code, false);
                List<Map<String, Object>> map = gpu.memoryMap();
                assertEquals(map.size() + before, ctx.memoryMap().size());
                assertTrue(map.stream().anyMatch(m -> m.get("name").equals("codec.latents")), map.toString());
            }
            assertEquals(before, ctx.memoryMap().size(), "every codec buffer is released on close");
            if (i == 4) {
                System.gc();
                warm = rssKiB();
            }
        }
        System.gc();
        long grown = rssKiB() - warm;
        assertTrue(grown < LEAK_BOUND_KIB, "resident memory grew by " + grown + " KiB over 20 codec cycles");
        GpuCodec own = GpuCodec.open(s, GpuTests.options());
        own.encode(omega);
        own.close();
        own.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> own.encode(omega));
    }

    /**
     * 16 MiB over 20 cycles: with kernels, FFT plan and programs left open, lavapipe grew by 244 MiB over
     * 30 cycles (measured once, N = 128); with everything closed it shrank.
     */
    static final long LEAK_BOUND_KIB = 16 * 1024;
}
