package dev.eddy.cli;

import dev.eddy.backend.Backend;
import dev.eddy.config.ConfigException;
import dev.eddy.config.ConfigLoader;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.config.RunConfig;
import dev.eddy.io.Json;
import dev.eddy.run.EnsembleRun;
import dev.eddy.run.Progress;
import dev.eddy.store.EnsembleCheckpoint;
import dev.eddy.store.RunFiles;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eddy ensemble}: many LES members advanced together into one output directory. */
@Command(name = "ensemble", mixinStandardHelpOptions = true, sortOptions = false, subcommands = EnsembleScoreCommand.class,
        description = {"Run an ensemble of LES members together (one batched state on the GPU, the members spread over the"
                + " threads on the CPU), each with its own seed and optionally its own ν, μ, C_s and forcing amplitude: every"
                + " combination of --seeds (or --members) and the swept lists.",
                "Writes ensemble.json, ensemble.h5 (snapshots, spectra and diagnostics with a member dimension),"
                        + " ensemble-checkpoint.bin, metrics.json (with --log-metrics) and report.html into --out.",
                "A member that blows up, or fails the health check with --strict, is dropped (frozen, kept) and the others go on;"
                        + " the exit code is then 3.",
                "Shared settings: the defaults, then --preset, then the flags; or --config an ensemble.json."})
public final class EnsembleCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (new, or empty)")
    Path out;
    @Option(names = "--restart", paramLabel = "DIR",
            description = "continue the ensemble in DIR from its checkpoint (only --steps/--end-time/--threads may change)")
    Path restart;
    @Option(names = "--preset", paramLabel = "NAME", description = "named settings from config/ for what the members share")
    String preset;
    @Option(names = "--config", paramLabel = "FILE", description = "an ensemble's settings, e.g. a previous ensemble's ensemble.json")
    Path configFile;

    @Mixin
    LesGridFlags grid;
    @Mixin
    EnsembleFlags members;
    @Option(names = "--steps", description = "number of steps") Long steps;
    @Option(names = "--end-time", paramLabel = "T", description = "simulate until time T (instead of --steps); each member lands on it")
    Double endTime;
    @Mixin
    BackendFlags where;
    @Option(names = "--snapshot-every", paramLabel = "STEPS", description = "snapshot interval (0 = none)") Long snapshotEvery;
    @Option(names = "--diag-every", paramLabel = "STEPS", description = "diagnostics interval") Long diagEvery;
    @Option(names = "--checkpoint-every", paramLabel = "STEPS", description = "checkpoint interval (0 = only at the end)")
    Long checkpointEvery;
    @Option(names = "--log-metrics", arity = "0..1", paramLabel = "FILE", fallbackValue = "",
            description = "write the metrics JSON (default DIR/metrics.json)")
    String logMetrics;
    @Option(names = "--quiet", description = "no progress lines") boolean quiet;
    @Option(names = "--no-report", description = "skip the report made at the end") boolean noReport;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        EnsembleConfig config = restart != null ? restartSettings() : newSettings();
        Path dir = restart != null ? restart : out;
        Path metrics = logMetrics == null ? null : logMetrics.isEmpty() ? dir.resolve(RunFiles.METRICS) : Path.of(logMetrics);
        var log = quiet ? (java.util.function.Consumer<String>) s -> { } : (java.util.function.Consumer<String>) System.err::println;
        EnsembleRun.Result r;
        try (Backend backend = where.backend(config.base().backend(), config.base().threads())) {
            java.io.PrintWriter err = spec.commandLine().getErr();
            r = new EnsembleRun(config, backend, new EnsembleRun.Options(dir, restart != null, metrics, log, !noReport,
                    Progress.detect(quiet), message -> err.println("eddy: warning: " + message))).run();
        }
        List<Integer> dropped = r.dropped();
        if (!dropped.isEmpty()) {
            spec.commandLine().getErr().println("eddy: " + dropped.size() + " of " + config.size() + " members were dropped: " + dropped
                    + " (see the warnings above, ensemble.h5's phase and reason, or the report)"
                    + (dropped.size() < config.size() ? "; the others finished" : ""));
            return ExitCodes.DIVERGED;
        }
        return ExitCodes.OK;
    }

    private EnsembleConfig newSettings() {
        if (out == null) {
            throw new ConfigException("give --out DIR (or --restart DIR)");
        }
        EnsembleConfig saved = null;
        ConfigLoader loader;
        if (configFile != null) {
            try {
                saved = Json.MAPPER.readValue(configFile.toFile(), EnsembleConfig.class);
            } catch (java.io.IOException e) {
                throw new ConfigException("cannot read " + configFile + " as an ensemble's settings (ensemble.json): " + e.getMessage());
            }
            loader = new ConfigLoader(saved.base());
        } else {
            loader = new ConfigLoader();
        }
        if (preset != null) {
            loader.preset(preset);
        }
        loader.setAll(sharedFlags());
        timeFlags(loader);
        RunConfig base = loader.build();
        if (saved != null && !members.given()) {
            return new EnsembleConfig(base, saved.members(), members.sharedDt || saved.sharedDt());
        }
        return members.ensemble(base);
    }

    /** The checkpoint's settings, with only the end of the run and the threads changed. */
    private EnsembleConfig restartSettings() throws java.io.IOException {
        if (out != null && !out.equals(restart)) {
            throw new ConfigException("--restart continues in its own directory; drop --out");
        }
        Map<String, Object> changed = sharedFlags();
        changed.remove("threads");
        if (!changed.isEmpty() || members.given() || members.sharedDt || preset != null || configFile != null) {
            throw new ConfigException("a restart continues the saved ensemble; it cannot change " + changed.keySet()
                    + (members.given() ? " the members" : "") + (preset != null ? " --preset" : "") + (configFile != null ? " --config" : ""));
        }
        EnsembleRun.checkOutputDirectory(restart, true);
        EnsembleConfig saved = EnsembleCheckpoint.read(restart).config();
        ConfigLoader loader = new ConfigLoader(saved.base());
        timeFlags(loader);
        loader.set("threads", where.threads());
        return saved.withBase(loader.build());
    }

    private Map<String, Object> sharedFlags() {
        Map<String, Object> m = new LinkedHashMap<>(grid.values());
        LesGridFlags.put(m, "backend", where.backend);
        LesGridFlags.put(m, "threads", where.threads());
        LesGridFlags.put(m, "output.snapshotEvery", snapshotEvery);
        LesGridFlags.put(m, "output.diagnosticsEvery", diagEvery);
        LesGridFlags.put(m, "output.checkpointEvery", checkpointEvery);
        return m;
    }

    private void timeFlags(ConfigLoader loader) {
        RunCommand.timeFlags(loader, steps, endTime);
    }
}
