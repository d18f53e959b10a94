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
    @Option(names = "--encode", preprocessor = LegacyEncodeValue.class,
            description = "also encode every snapshot into DIR/codes.eddyc (settings: the codec flags below; giving any of"
                    + " them turns encoding on too), on the run's backend, with a codec report per snapshot in the metrics")
    boolean encode;
    /** The value of {@code --encode K,T[,θ]}, the spelling before issue 17, kept one release as a deprecated alias; or null. */
    String legacyEncode;
    @Mixin
    CodecFlags codec;
    @Option(names = "--encode-smooth", paramLabel = "σ", hidden = true, description = "deprecated: --smooth")
    Double encodeSmooth;
    @Option(names = "--encode-majority", hidden = true, description = "deprecated: --majority") boolean encodeMajority;

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
     * The encoding stage, or null when the run does not encode; bad values are usage errors. --encode or any
     * codec flag turns it on. A restart continues the encoding saved with the run (with or without the
     * flags; a codec flag left out keeps the saved value, one given must equal it).
     */
    private SnapshotEncoding snapshotEncoding(RunConfig config, Path dir, java.util.function.Consumer<String> log,
                                              dev.eddy.codec.CodecSettings saved) {
        var settings = askedCodec(config, saved);
        if (settings == null) {
            if (saved == null) {
                return null;
            }
            log.accept("encode: continuing the run's encoding (" + describe(saved) + ", saved with the run) into " + RunFiles.CODES);
            return new SnapshotEncoding(dir, saved, log);
        }
        if (saved != null && !saved.equals(settings)) {
            throw new ConfigException("the codec flags ask for " + describe(settings) + ", which differs from the settings saved"
                    + " with the run (" + describe(saved) + "): a restart continues the same code file; drop the codec flags"
                    + " to continue it");
        }
        return new SnapshotEncoding(dir, settings, log);
    }

    /**
     * The codec settings the command line asks for, or null when it gives neither --encode nor a codec
     * flag: the flags over the saved settings on a restart, else over the defaults. The spellings of
     * before issue 17 (--encode K,T[,θ], --encode-smooth, --encode-majority) still work, each with a
     * one-line deprecation warning.
     */
    private dev.eddy.codec.CodecSettings askedCodec(RunConfig config, dev.eddy.codec.CodecSettings saved) {
        var given = CodecFlags.given(spec);
        String legacy = legacyEncode;
        if (!encode && given.isEmpty() && encodeSmooth == null && !encodeMajority) {
            return null;
        }
        // picocli has put the defaults in the flags not given; on a restart those take the saved values instead
        int k = saved != null && !given.contains("--k") ? saved.k() : codec.k;
        int tile = saved != null && !given.contains("--tile") ? saved.tile() : codec.tile;
        double theta = saved != null && !given.contains("--theta") ? saved.theta() : codec.theta;
        double sigma = saved != null && !given.contains("--smooth") ? saved.sigma() : codec.sigma;
        boolean majority = saved != null && !given.contains("--majority") ? saved.majority() : codec.majority;
        if (legacy != null) {
            if (given.contains("--k") || given.contains("--tile") || given.contains("--theta")) {
                throw new ConfigException("give the codec settings either as --k/--tile/--theta or in the deprecated"
                        + " --encode K,T[,θ], not both");
            }
            var old = SnapshotEncoding.settings(legacy, 0, false, config); // checks K,T[,θ] as before
            boolean withTheta = legacy.split(",", -1).length == 3;
            deprecated("--encode " + legacy, "--k " + old.k() + " --tile " + old.tile() + (withTheta ? " --theta " + old.theta() : ""));
            k = old.k();
            tile = old.tile();
            theta = withTheta ? old.theta() : theta;
        }
        if (encodeSmooth != null) {
            if (given.contains("--smooth")) {
                throw new ConfigException("give --smooth or the deprecated --encode-smooth, not both");
            }
            deprecated("--encode-smooth", "--smooth");
            sigma = encodeSmooth;
        }
        if (encodeMajority) {
            deprecated("--encode-majority", "--majority");
            majority = true;
        }
        return new dev.eddy.codec.CodecSettings(config.n(), k, tile, theta, sigma, majority, config.precision());
    }

    /**
     * {@code --encode} is a switch; a value after it that is not an option (run takes no positional
     * parameters) is the old {@code --encode K,T[,θ]}, taken aside for {@link #askedCodec} to check and warn.
     */
    static final class LegacyEncodeValue implements picocli.CommandLine.IParameterPreprocessor {
        @Override
        public boolean preprocess(java.util.Stack<String> args, CommandSpec command, picocli.CommandLine.Model.ArgSpec arg,
                                  Map<String, Object> info) {
            if (!args.isEmpty() && !args.peek().startsWith("-") && command.userObject() instanceof RunCommand run) {
                run.legacyEncode = args.pop(); // "--encode 6,8" and "--encode=6,8" alike
                arg.setValue(true);
                return true; // the switch is set and its value consumed here
            }
            return false; // a plain switch: picocli sets it
        }
    }

    /** One line on stderr: the old spelling works for this release, and what to write instead. */
    private void deprecated(String old, String now) {
        spec.commandLine().getErr().println("eddy run: warning: " + old + " is deprecated and goes in the next release; write "
                + now + " (the codec flags of encode and pipeline)");
        spec.commandLine().getErr().flush();
    }

    static String describe(dev.eddy.codec.CodecSettings s) {
        return "--k " + s.k() + " --tile " + s.tile() + " --theta " + s.theta() + (s.sigma() > 0 ? " --smooth " + s.sigma() : "")
                + (s.majority() ? " --majority" : "");
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
