package dev.eddy.bench;

import dev.eddy.codec.CodecFile;
import dev.eddy.codec.CodecSettings;
import dev.eddy.codec.Codecs;
import dev.eddy.codec.FieldErrors;
import dev.eddy.codec.GpuCodec;
import dev.eddy.codec.SnapshotCodec;
import dev.eddy.config.InitialSpectrum;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.numerics.CpuFft2D_F64;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Parallel;
import dev.eddy.numerics.Reductions;
import dev.eddy.sim.InitialCondition;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Times the codec per snapshot on the Vulkan device — {@link GpuCodec#encodeSpectral} from a spectrum
 * already on the device (as in a GPU run), {@link GpuCodec#readCode}, and {@link GpuCodec#decodeColumn}
 * without and with the residual — and the CPU codec's encode and decodes on the host field (on
 * {@code threads} threads, 0 = all cores), where N is small enough. The first call of each is reported
 * apart (it records the program; kernels and FFT plans are made when the codec is built, untimed), then
 * {@code warmup} untimed rounds, then {@code repeats} timed ones: medians, min and max. GPU times are
 * timestamps around the device work of the call (no host transfer); wall times include submit, wait,
 * read-back and, for decodes, the host-side unpadding.
 *
 * <p>The field is the benchmark LES's initial condition ({@link CpuLesBench#caseFor}: random phases,
 * spectrum peak k_p = min(10, N/3 − 1), seed 1): a smooth field, so ratio and error are a property of
 * it and of K, T, θ, not of turbulence (planning/codec-ratio-error.md has developed fields).
 */
public final class CodecBench {
    public static final String BYTES_MODEL = "device bytes per call with F = N(N+2)·bytes_per_real (one padded field) and an"
            + " inverse FFT of 2 passes, each reading and writing F: encode = spectral_residual 2F + FFT 4F + tile_mean_abs F"
            + " + tile_mask F + N² + ternary_scale F + N² + pack F + N² + N²/4 (+ majority 2N²) = 10F + 3.25N² (+2N²);"
            + " decode = scatter F + FFT 4F (+ synthesize 2F + N²/4); latents and α are O(K² + tiles) and left out";

    private CodecBench() {
    }

    /** Device bytes of one encodeSpectral (see {@link #BYTES_MODEL}). */
    public static long encodeBytes(CodecSettings s) {
        long f = fieldBytes(s);
        long cells = (long) s.n() * s.n();
        return 10 * f + 3 * cells + cells / 4 + (s.majority() ? 2 * cells : 0);
    }

    /** Device bytes of one decodeColumn, without its read-back (see {@link #BYTES_MODEL}). */
    public static long decodeBytes(CodecSettings s, boolean withResidual) {
        long f = fieldBytes(s);
        return 5 * f + (withResidual ? 2 * f + (long) s.n() * s.n() / 4 : 0);
    }

    private static long fieldBytes(CodecSettings s) {
        return (long) s.n() * (s.n() + 2) * s.precision().bytes();
    }

    /** Wall and GPU times of repeated calls. */
    private static final class Timing {
        final double[] wall;
        final double[] gpu;
        double firstWall;

        Timing(int repeats) {
            wall = new double[repeats];
            gpu = new double[repeats];
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("first_wall_ms", firstWall);
            m.put("wall_median_ms", Reductions.median(wall));
            m.put("wall_min_ms", min(wall));
            m.put("wall_max_ms", max(wall));
            if (!Double.isNaN(gpu[0])) {
                m.put("gpu_median_ms", Reductions.median(gpu));
                m.put("gpu_min_ms", min(gpu));
                m.put("gpu_max_ms", max(gpu));
            }
            return m;
        }
    }

    /** Runs {@code call} once cold, {@code warmup} times untimed, {@code repeats} times timed; {@code gpu} reads the last call's GPU ms. */
    private static Timing time(Runnable call, DoubleSupplier gpu, int warmup, int repeats) {
        Timing t = new Timing(repeats);
        long t0 = System.nanoTime();
        call.run();
        t.firstWall = (System.nanoTime() - t0) / 1e6;
        for (int i = 0; i < warmup; i++) {
            call.run();
        }
        for (int i = 0; i < repeats; i++) {
            long s = System.nanoTime();
            call.run();
            t.wall[i] = (System.nanoTime() - s) / 1e6;
            t.gpu[i] = gpu.getAsDouble();
        }
        return t;
    }

    public static Map<String, Object> time(VulkanContext ctx, CodecSettings s, int warmup, int repeats, boolean withCpu, int threads) {
        int n = s.n();
        Grid grid = new Grid(n);
        InitialSpectrum spectrum = CpuLesBench.caseFor(n, s.precision(), dev.eddy.config.BackendKind.VULKAN, dev.eddy.config.Physics.DEFAULT_CS,
                dev.eddy.config.TimeControl.DEFAULT_STEPPER, dev.eddy.config.TimeControl.DEFAULT_CFL, threads).initial();
        double[] omegaHat = InitialCondition.vorticity(grid, spectrum);
        double[] omega = physical(grid, omegaHat);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("n", n);
        r.put("precision", s.precision().label());
        r.put("settings", s);
        r.put("field", "initial condition, k_p = " + spectrum.kp() + ", energy " + spectrum.energy() + ", seed " + spectrum.seed());
        r.put("compression_ratio", (double) n * n * s.precision().bytes() / CodecFile.recordBytes(s));
        r.put("warmup_rounds", warmup);
        r.put("repeats", repeats);
        double[] gpuFull;
        try (DeviceBuffer state = new DeviceBuffer(ctx, "bench.omega_hat", (long) grid.fieldLength() * s.precision().bytes(),
                "bench: ω̂ as a GPU LES holds it", DeviceBuffer.Movement.ONCE_AT_START);
             GpuCodec codec = new GpuCodec(ctx, s, 1)) {
            ctx.staging().uploadReals(state, omegaHat, s.precision(), "bench.init");
            Timing encode = time(() -> codec.encodeSpectral(state, 0), codec::lastDeviceMillis, warmup, repeats);
            Timing readCode = time(() -> codec.code(0), () -> Double.NaN, warmup, repeats);
            double[][] out = new double[2][];
            Timing latent = time(() -> out[0] = codec.decodeColumn(codec.latentBuffer(), 0, null), codec::lastDeviceMillis, warmup, repeats);
            Timing full = time(() -> out[1] = codec.decodeColumn(codec.latentBuffer(), 0, SnapshotCodec.Residual.of(0)), codec::lastDeviceMillis, warmup, repeats);
            gpuFull = out[1];
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("encode_spectral", withBandwidth(encode.toMap(), encodeBytes(s)));
            g.put("read_code", readCode.toMap());
            g.put("decode_latent", withBandwidth(latent.toMap(), decodeBytes(s, false)));
            g.put("decode_residual", withBandwidth(full.toMap(), decodeBytes(s, true)));
            g.put("errors_latent_only", FieldErrors.compare(n, omega, out[0]));
            g.put("errors_latent_residual", FieldErrors.compare(n, omega, out[1]));
            r.put("gpu", g);
        }
        if (withCpu) {
            try (SnapshotCodec cpu = Codecs.create(s, new dev.eddy.backend.Backend.Cpu(threads), 1)) {
                SnapshotCodec.Code[] code = new SnapshotCodec.Code[1];
                double[][] out = new double[2][];
                Timing encode = time(() -> code[0] = cpu.encode(omega), () -> Double.NaN, warmup, repeats);
                Timing latent = time(() -> out[0] = cpu.decode(code[0], false), () -> Double.NaN, warmup, repeats);
                Timing full = time(() -> out[1] = cpu.decode(code[0], true), () -> Double.NaN, warmup, repeats);
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("threads", threads == 0 ? Runtime.getRuntime().availableProcessors() : threads);
                c.put("encode", encode.toMap());
                c.put("decode_latent", latent.toMap());
                c.put("decode_residual", full.toMap());
                c.put("errors_latent_only", FieldErrors.compare(n, omega, out[0]));
                c.put("errors_latent_residual", FieldErrors.compare(n, omega, out[1]));
                // the GPU's reconstruction against the CPU's (each from its own encode)
                c.put("gpu_vs_cpu_rel_l2", Reductions.relL2(gpuFull, out[1]));
                r.put("cpu", c);
            }
        }
        return r;
    }

    private static Map<String, Object> withBandwidth(Map<String, Object> m, long bytes) {
        m.put("device_bytes", bytes);
        if (m.containsKey("gpu_median_ms")) {
            m.put("bandwidth_gb_s", bytes / ((double) m.get("gpu_median_ms") * 1e-3) / 1e9);
        }
        return m;
    }

    private static double[] physical(Grid g, double[] spectrum) {
        int n = g.n();
        double[] w = spectrum.clone();
        double scale = 1.0 / ((double) n * n);
        for (int i = 0; i < w.length; i++) {
            w[i] *= scale;
        }
        try (Parallel p = new Parallel(0)) {
            new CpuFft2D_F64(n, n, p).inverse(w, 1);
        }
        double[] out = new double[n * n];
        for (int y = 0; y < n; y++) {
            System.arraycopy(w, y * g.rowStride(), out, y * n, n);
        }
        return out;
    }

    private static double min(double[] x) {
        return Arrays.stream(x).min().orElse(Double.NaN);
    }

    private static double max(double[] x) {
        return Arrays.stream(x).max().orElse(Double.NaN);
    }
}
