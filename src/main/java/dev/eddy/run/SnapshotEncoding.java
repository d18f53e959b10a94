package dev.eddy.run;

import dev.eddy.backend.Backend;
import dev.eddy.codec.CodecFile;
import dev.eddy.codec.CodecSettings;
import dev.eddy.codec.Codecs;
import dev.eddy.codec.FieldErrors;
import dev.eddy.codec.SnapshotCodec;
import dev.eddy.config.ConfigException;
import dev.eddy.config.RunConfig;
import dev.eddy.sim.Simulation;
import dev.eddy.store.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code eddy run --encode K,T,θ}: every snapshot of the run is also encoded, on the simulation's
 * backend (on the device from the GPU LES's ω̂ in place, else on the CPU from the host vorticity), into
 * {@code codes.eddyc} in the run directory, written atomically wherever the run
 * assembles its snapshots (so a restart finds the codes of the steps its checkpoint holds). Each
 * snapshot gets a codec report in the metrics JSON under "codec": ratio and the {@link FieldErrors} of
 * the latent-only and latent+residual decodes. Stages: "encode" (encode and code read-back),
 * "codec-report" (the two decodes and the error measures).
 */
public final class SnapshotEncoding implements SnapshotListener {

    private final Path dir;
    private final CodecSettings settings;
    private final Consumer<String> log;
    private final List<CodecFile.Snapshot> codes = new ArrayList<>();
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private SnapshotCodec codec;
    private StageTimes times;
    private String backend = "not started";
    private List<Map<String, Object>> memoryMap = List.of();

    public SnapshotEncoding(Path dir, CodecSettings settings, Consumer<String> log) {
        this.dir = dir;
        this.settings = settings;
        this.log = log;
    }

    /**
     * The codec settings of {@code --encode K,T[,θ]} for a run: N and precision are the run's (the GPU
     * codec reads the state's own bytes). Malformed or impossible values (K ≥ N/3, T not dividing N) are
     * a {@link ConfigException}, i.e. a usage error before the run starts.
     */
    public static CodecSettings settings(String spec, double sigma, boolean majority, RunConfig config) {
        String[] parts = spec.split(",", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new ConfigException("--encode takes K,T or K,T,θ (e.g. 32,16,0.7), got '" + spec + "'");
        }
        try {
            int k = Integer.parseInt(parts[0].strip());
            int tile = Integer.parseInt(parts[1].strip());
            double theta = parts.length == 3 ? Double.parseDouble(parts[2].strip()) : CodecSettings.DEFAULT_THETA;
            return new CodecSettings(config.n(), k, tile, theta, sigma, majority, config.precision());
        } catch (NumberFormatException e) {
            throw new ConfigException("--encode takes integers K,T and a number θ, got '" + spec + "'");
        }
    }

    public CodecSettings settings() {
        return settings;
    }

    @Override
    public String name() {
        return "codec";
    }

    @Override
    public void start(Simulation sim, Backend simBackend, StageTimes stageTimes) {
        if (settings.n() != sim.grid().n() || settings.precision() != sim.config().precision()) {
            throw new ConfigException("the codec settings (N = " + settings.n() + ", " + settings.precision().label()
                    + ") must match the simulation's (N = " + sim.grid().n() + ", " + sim.config().precision().label() + ")");
        }
        this.times = stageTimes;
        this.codec = times.time("setup", () -> Codecs.create(settings, simBackend, 1));
        this.backend = codec.backend();
        this.memoryMap = codec.memoryMap();
    }

    @Override
    public void resume(long step) throws IOException {
        Path file = dir.resolve(RunFiles.CODES);
        if (!Files.exists(file)) {
            log.accept("encode: " + file + " does not exist; codes start at this restart");
            return;
        }
        try (CodecFile.Reader r = CodecFile.open(file)) {
            if (!r.header().settings().equals(settings)) {
                throw new ConfigException("--encode settings " + settings + " differ from those of the run's " + RunFiles.CODES + " ("
                        + r.header().settings() + "): a restart continues the same code file");
            }
            for (int i = 0; i < r.header().snapshots(); i++) {
                CodecFile.Snapshot s = r.read(i);
                if (s.step() <= step) {
                    codes.add(s);
                }
            }
        }
    }

    @Override
    public void snapshot(Simulation sim, double[] omega) {
        long t0 = System.nanoTime();
        SnapshotCodec.Code code = times.time("encode", () -> {
            codec.encode(sim, 0);
            return codec.code(0);
        });
        long t1 = System.nanoTime();
        codes.add(new CodecFile.Snapshot(sim.stepCount(), sim.time(), code));
        Map<String, Object> row = times.time("codec-report", () -> {
            int n = settings.n();
            long d0 = System.nanoTime();
            double[] latent = codec.decode(codec.latents(), 0, null);
            long d1 = System.nanoTime();
            double[] full = codec.decode(codec.latents(), 0, SnapshotCodec.Residual.of(0));
            long d2 = System.nanoTime();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", sim.stepCount());
            m.put("time", sim.time());
            m.put("compression_ratio", compressionRatio());
            m.put("encode_ms", (t1 - t0) / 1e6);
            m.put("decode_latent_ms", (d1 - d0) / 1e6);
            m.put("decode_residual_ms", (d2 - d1) / 1e6);
            m.put("latent_only", FieldErrors.compare(n, omega, latent));
            m.put("latent_residual", FieldErrors.compare(n, omega, full));
            return m;
        });
        rows.add(row);
        FieldErrors el = (FieldErrors) row.get("latent_only");
        FieldErrors er = (FieldErrors) row.get("latent_residual");
        log.accept(String.format(Locale.ROOT, "encode step %d: ratio %.1f, rel L2 %.4f → %.4f with the residual (%.1f ms)",
                sim.stepCount(), compressionRatio(), el.relL2(), er.relL2(), (t1 - t0) / 1e6));
    }

    /** Raw field bytes (N²·precision) over the bytes of one encoded record. */
    private double compressionRatio() {
        return (double) settings.n() * settings.n() * settings.precision().bytes() / CodecFile.recordBytes(settings);
    }

    @Override
    public void assemble(long step) throws IOException {
        List<CodecFile.Snapshot> kept = codes.stream().filter(s -> s.step() <= step).toList();
        CodecFile.write(dir.resolve(RunFiles.CODES), settings, kept);
    }

    @Override
    public Object metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("settings", settings);
        m.put("backend", backend);
        m.put("file", RunFiles.CODES);
        m.put("format_version", CodecFile.VERSION);
        m.put("raw_bytes_per_snapshot", (long) settings.n() * settings.n() * settings.precision().bytes());
        m.put("encoded_bytes_per_snapshot", CodecFile.recordBytes(settings));
        m.put("compression_ratio", compressionRatio());
        m.put("units", "ratio = raw field bytes / encoded record bytes; PSNR in dB with peak = max ω − min ω of the"
                + " snapshot; errors relative to the snapshot; times in ms of host wall clock");
        m.put("memory_map", memoryMap);
        m.put("snapshots", List.copyOf(rows));
        return m;
    }

    @Override
    public void close() {
        if (codec != null) {
            codec.close();
            codec = null;
        }
    }
}
