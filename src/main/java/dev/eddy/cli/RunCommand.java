package dev.eddy.cli;

import dev.eddy.backend.Backend;
import dev.eddy.config.ConfigException;
import dev.eddy.config.ConfigLoader;
import dev.eddy.config.RunConfig;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.Json;
import dev.eddy.run.LesRun;
import dev.eddy.run.Progress;
import dev.eddy.run.RunExplanation;
import dev.eddy.run.SnapshotEncoding;
import dev.eddy.run.Checkpoint;
import dev.eddy.store.RunFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eddy run}: one LES run into an output directory. */
@Command(name = "run", header = "Run the 2D LES into a directory: snapshots, diagnostics, checkpoints, metrics and a report.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the 2D LES and write snapshots (a Zarr store), checkpoints, metrics, pictures, a video and a report into --out.",
                "Settings come from the defaults, then --preset, then --config, then the flags."})
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (new, or empty)")
    Path out;
    @Option(names = "--restart", paramLabel = "DIR",
            description = "continue the run in DIR from its checkpoint (only --steps/--end-time/--threads may change)")
    Path restart;
    @Option(names = "--preset", paramLabel = "NAME", description = "named settings from config/ (or a JSON file)")
    String preset;
    @Option(names = "--config", paramLabel = "FILE", description = "settings JSON, e.g. a previous run's config.json")
    Path configFile;

    @Mixin
    LesFlags les;
    @Option(names = "--steps", description = "number of steps") Long steps;
    @Option(names = "--end-time", paramLabel = "T", description = "simulate until time T (instead of --steps)") Double endTime;
    @Mixin
    BackendFlags where;
    @Option(names = "--snapshot-every", paramLabel = "STEPS", description = "snapshot interval in steps (0 = none)") Long snapshotEvery;
    @Option(names = "--snapshot-dt", paramLabel = "T", description = "snapshot interval in simulated time, instead of"
            + " --snapshot-every: the step before each snapshot time is clipped to land on it exactly") Double snapshotDt;
    @Option(names = "--diag-every", paramLabel = "STEPS", description = "diagnostics interval in steps") Long diagEvery;
    @Option(names = "--diag-dt", paramLabel = "T", description = "diagnostics interval in simulated time, instead of"
            + " --diag-every (landing exactly, as --snapshot-dt)") Double diagDt;
    @Option(names = "--velocity", description = "also store u, v and the stream function ψ with each snapshot")
    Boolean velocity;
    @Option(names = "--compress", paramLabel = "LEVEL", description = "zlib level 1-9 of the snapshot fields in the store"
            + " (0 = none, the default)") Integer compress;
    @Option(names = "--checkpoint-every", paramLabel = "STEPS", description = "checkpoint interval (0 = only at the end)")
    Long checkpointEvery;
    @Option(names = "--log-metrics", arity = "0..1", paramLabel = "FILE", fallbackValue = "",
            description = "write the metrics JSON (default DIR/metrics.json)")
    String logMetrics;
    @Option(names = "--quiet", description = "no progress lines") boolean quiet;
    @Option(names = "--no-report", description = "skip the pictures, video and report made at the end") boolean noReport;
    @Option(names = "--explain", description = "print the run's buffers (name, size, memory, lifetime) and every planned "
            + "host↔device copy with totals, then exit without running (no device is opened; --out is not needed)")
    boolean explain;
    @Option(names = "--explain-json", paramLabel = "FILE", description = "with --explain: also write the explanation as JSON")
    Path explainJson;

    @Spec
    CommandSpec spec;
    @Option(names = "--encode", paramLabel = "K,T[,θ]",
            description = "also encode every snapshot (latent cutoff K, tile T, threshold θ, default 0.7) into DIR/codes.eddyc,"
                    + " on the run's backend, with a codec report per snapshot in the metrics")
    String encode;
    @Option(names = "--encode-smooth", paramLabel = "σ", description = "with --encode: spectral Gaussian width of L(Z) (0 = off)")
    Double encodeSmooth;
    @Option(names = "--encode-majority", description = "with --encode: 3×3 majority smoothing of the mask") boolean encodeMajority;

    @Override
    public Integer call() throws Exception {
        if (explainJson != null && !explain) {
            throw new ConfigException("--explain-json goes with --explain");
        }
        RunConfig config;
        Path dir;
        Checkpoint resumed = null;
        dev.eddy.codec.CodecSettings savedCodec = null;
        if (restart != null) {
            if (out != null && !out.equals(restart)) {
                throw new ConfigException("--restart continues in its own directory; drop --out");
            }
            Map<String, Object> physics = physicsFlags();
            physics.remove("threads");
            if (!physics.isEmpty() || preset != null || configFile != null) {
                throw new ConfigException("a restart continues the saved settings; it cannot change " + physics.keySet()
                        + (preset != null ? " --preset" : "") + (configFile != null ? " --config" : ""));
            }
            dir = restart;
            LesRun.DirectoryState state = LesRun.checkOutputDirectory(dir, true);
            RunConfig saved;
            if (state == LesRun.DirectoryState.RUN) {
                resumed = Checkpoint.read(dir);
                saved = resumed.config();
                savedCodec = resumed.outputs().codec();
            } else {
                saved = Json.read(dir.resolve(RunFiles.CONFIG), RunConfig.class, "settings");
                savedCodec = java.nio.file.Files.exists(dir.resolve(RunFiles.ENCODE))
                        ? Json.read(dir.resolve(RunFiles.ENCODE), dev.eddy.codec.CodecSettings.class, "--encode settings") : null;
            }
            ConfigLoader loader = new ConfigLoader(saved);
            timeFlags(loader);
            loader.set("threads", where.threads());
            config = loader.build();
            if (resumed != null) {
                checkTarget(config, resumed);
            }
        } else {
            if (out == null && !explain) {
                throw new ConfigException("give --out DIR (or --restart DIR)");
            }
            dir = out;
            ConfigLoader loader = new ConfigLoader();
            if (preset != null) {
                loader.preset(preset);
            }
            if (configFile != null) {
                loader.overlay(configFile);
            }
            loader.setAll(physicsFlags());
            timeFlags(loader);
            config = loader.build();
        }
        if (explain) {
            RunExplanation e = resumed == null ? new RunExplanation(config, false, 0, 0)
                    : new RunExplanation(config, true, resumed.step(), resumed.time());
            spec.commandLine().getOut().print(e.text());
            spec.commandLine().getOut().flush();
            if (explainJson != null) {
                AtomicFiles.writeString(explainJson, Json.write(e.json()));
            }
            return ExitCodes.OK;
        }
        Path metrics = logMetrics == null ? null : logMetrics.isEmpty() ? dir.resolve(RunFiles.METRICS) : Path.of(logMetrics);
        var log = quiet ? (java.util.function.Consumer<String>) s -> { } : (java.util.function.Consumer<String>) System.err::println;
        SnapshotEncoding encoding = snapshotEncoding(config, dir, log, savedCodec); // validated here, before the run starts
        checkMetricsPath(metrics);
        try (Backend backend = where.backend(config.backend(), config.threads())) {
            new LesRun(config, backend, new LesRun.Options(dir, restart != null, metrics, log, !noReport, Progress.detect(quiet)),
                    encoding).run();
        }
        return ExitCodes.OK;
    }

    /**
     * The --encode stage, or null without --encode; bad values are usage errors. A restart continues the
     * encoding saved with the run (with or without the flag; with it, only with the same settings).
     */
    private SnapshotEncoding snapshotEncoding(RunConfig config, Path dir, java.util.function.Consumer<String> log,
                                              dev.eddy.codec.CodecSettings saved) {
        if (encode == null) {
            if (encodeSmooth != null || encodeMajority) {
                throw new ConfigException("--encode-smooth and --encode-majority need --encode K,T[,θ]");
            }
            if (saved == null) {
                return null;
            }
            log.accept("encode: continuing the run's --encode " + saved.k() + "," + saved.tile() + "," + saved.theta()
                    + " (saved with the run) into " + RunFiles.CODES);
            return new SnapshotEncoding(dir, saved, log);
        }
        var settings = SnapshotEncoding.settings(encode, encodeSmooth == null ? 0 : encodeSmooth, encodeMajority, config);
        if (saved != null && !saved.equals(settings)) {
            throw new ConfigException("--encode " + settings + " differs from the settings saved with the run (" + saved
                    + "): a restart continues the same code file; drop --encode to continue it");
        }
        return new SnapshotEncoding(dir, settings, log);
    }

    /** A restart must go further than its checkpoint: a target at or before it would change nothing but config.json. */
    static void checkTarget(RunConfig config, Checkpoint cp) {
        var t = config.time();
        if (t.steps() > 0 && t.steps() <= cp.step()) {
            throw new ConfigException("the run is already at step " + cp.step() + ": --steps must be larger to continue it");
        }
        if (t.steps() == 0 && t.endTime() <= cp.time()) {
            throw new ConfigException("the run is already at t = " + cp.time() + ": --end-time must be later to continue it");
        }
    }

    /** The metrics file must be writable before the run starts, not found unwritable at its end. */
    static void checkMetricsPath(Path metrics) {
        if (metrics == null) {
            return;
        }
        Path parent = metrics.toAbsolutePath().getParent();
        if (java.nio.file.Files.isDirectory(metrics)) {
            throw new ConfigException("--log-metrics " + metrics + " is a directory, not a file");
        }
        if (parent != null && java.nio.file.Files.exists(parent) && !java.nio.file.Files.isWritable(parent)) {
            throw new ConfigException("--log-metrics " + metrics + ": cannot write into " + parent);
        }
        if (parent != null && java.nio.file.Files.exists(parent) && !java.nio.file.Files.isDirectory(parent)) {
            throw new ConfigException("--log-metrics " + metrics + ": " + parent + " is not a directory");
        }
    }

    private Map<String, Object> physicsFlags() {
        Map<String, Object> m = new LinkedHashMap<>(les.values());
        put(m, "backend", where.backend);
        put(m, "threads", where.threads());
        if (snapshotDt != null && snapshotEvery != null) {
            throw new ConfigException("give --snapshot-every or --snapshot-dt, not both");
        }
        if (diagDt != null && diagEvery != null) {
            throw new ConfigException("give --diag-every or --diag-dt, not both");
        }
        put(m, "output.snapshotEvery", snapshotDt != null ? Long.valueOf(0) : snapshotEvery);
        put(m, "output.snapshotDt", snapshotDt != null ? snapshotDt : snapshotEvery != null ? Double.valueOf(0) : null);
        put(m, "output.diagnosticsEvery", diagEvery);
        put(m, "output.diagnosticsDt", diagDt != null ? diagDt : diagEvery != null ? Double.valueOf(0) : null);
        put(m, "output.compressLevel", compress);
        put(m, "output.velocity", velocity);
        put(m, "output.checkpointEvery", checkpointEvery);
        return m;
    }

    private void timeFlags(ConfigLoader loader) {
        timeFlags(loader, steps, endTime);
    }

    /** --steps or --end-time (not both) onto {@code loader}: one of them replaces the other. */
    static void timeFlags(ConfigLoader loader, Long steps, Double endTime) {
        if (steps != null && endTime != null) {
            throw new ConfigException("give --steps or --end-time, not both");
        }
        if (steps != null) {
            loader.set("time.steps", steps).set("time.endTime", 0.0);
        }
        if (endTime != null) {
            loader.set("time.endTime", endTime).set("time.steps", 0L);
        }
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
