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
 * backend (on the device from the GPU LES's ω̂ in place, else on the CPU from the host
 * vorticity), into {@code codes.eddyc} in the run directory, appended as the run goes and committed
 * before each checkpoint, which records the count (a restart cuts the file back to it). Each
 * snapshot gets a codec report in the metrics JSON under "codec": ratio and the {@link FieldErrors} of
 * the latent-only and latent+residual decodes. Stages: "encode" (encode and code read-back),
 * "codec-report" (the two decodes and the error measures).
 */
public final class SnapshotEncoding implements SnapshotListener {

    private final Path dir;
    private final CodecSettings settings;
    private final Consumer<String> log;
    /** The codes since the last commit (at most a checkpoint interval's worth). */
    private final List<CodecFile.Snapshot> pending = new ArrayList<>();
    private CodecFile.Appender file;
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

    @Override
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
    public void begin() throws IOException {
        file = CodecFile.Appender.createInPlace(dir.resolve(RunFiles.CODES), settings);
    }

    @Override
    public void resume(long committed, Consumer<String> repaired) throws IOException {
        Path f = dir.resolve(RunFiles.CODES);
        if (!Files.exists(f)) {
            if (committed > 0) {
                throw new dev.eddy.io.CorruptFileException(f, "missing: the checkpoint committed " + committed + " records to it");
            }
            log.accept("encode: " + f + " does not exist; codes start at this restart");
            file = CodecFile.Appender.createInPlace(f, settings);
            return;
        }
        file = CodecFile.Appender.resume(f, settings, committed, repaired);
    }

    @Override
    public void snapshot(Simulation sim, double[] omega) {
        long t0 = System.nanoTime();
        SnapshotCodec.Code code = times.time("encode", () -> {
            codec.encode(sim, 0);
            return codec.code(0);
        });
        long t1 = System.nanoTime();
        pending.add(new CodecFile.Snapshot(sim.stepCount(), sim.time(), code));
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
    public long commit() throws IOException {
        for (CodecFile.Snapshot c : pending) {
            file.append(c);
        }
        pending.clear();
        return file.commit();
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
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                log.accept("encode: closing " + RunFiles.CODES + " failed: " + e.getMessage());
            }
            file = null;
        }
        if (codec != null) {
            codec.close();
            codec = null;
        }
    }
}
