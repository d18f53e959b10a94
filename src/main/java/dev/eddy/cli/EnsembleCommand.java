package dev.eddy.cli;

import dev.eddy.backend.Backend;
import dev.eddy.config.ConfigException;
import dev.eddy.config.ConfigLoader;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.config.RunConfig;
import dev.eddy.io.Json;
import dev.eddy.config.BackendKind;
import dev.eddy.gpu.ContextOptions;
import dev.eddy.gpu.DevicePicker;
import dev.eddy.gpu.VulkanInstance;
import dev.eddy.run.EnsembleRun;
import dev.eddy.run.Progress;
import dev.eddy.run.SlurmJob;
import dev.eddy.store.EnsembleCheckpoint;
import dev.eddy.store.EnsemblePart;
import dev.eddy.store.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
@Command(name = "ensemble", mixinStandardHelpOptions = true, sortOptions = false, subcommands = {EnsembleScoreCommand.class, EnsembleMergeCommand.class, EnsembleExportCommand.class},
        description = {"Run an ensemble of LES members together (one batched state on the GPU, the members spread over the"
                + " threads on the CPU), each with its own seed and optionally its own ν, μ, C_s and forcing amplitude: every"
                + " combination of --seeds (or --members) and the swept lists.",
                "Writes ensemble.json, ensemble.zarr (snapshots, spectra and diagnostics with a member dimension, for xr.open_zarr),"
                        + " ensemble-checkpoint.bin, metrics.json (with --log-metrics) and report.html into --out.",
                "A member that blows up, or fails the health check with --strict, is dropped (frozen, kept) and the others go on;"
                        + " the exit code is then 3.",
                "Shared settings: the defaults, then --preset, then the flags; or --config an ensemble.json.",
                "Several GPUs: --devices all (or 0,1,…) deals the members out to the devices, one context and one thread each;"
                        + " the outputs are those of one device. A Slurm cluster: --slurm TASKS writes an array job of --members-range"
                        + " parts and a merge job (eddy ensemble merge) into --out."})
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
    @Option(names = "--devices", paramLabel = "all|I,I,…",
            description = "spread the members over several Vulkan devices (one context and one host thread each): all, or indices"
                    + " (see 'eddy devices'); each device gets an equal share of consecutive members")
    String devices;
    @Option(names = "--allow-device-repeat", description = "let --devices name a device twice: several contexts on one device (a test"
            + " aid; no faster)")
    boolean allowDeviceRepeat;
    @Option(names = "--members-range", paramLabel = "A:B", description = "run only members A to B − 1 (from 0) of the ensemble, as a part"
            + " for 'eddy ensemble merge' (what each Slurm task runs)")
    String membersRange;
    @Option(names = "--resume", description = "with --out: continue from DIR's checkpoint when it holds one of these same settings, else"
            + " start (a resubmitted batch job)")
    boolean resume;
    @Option(names = "--slurm", paramLabel = "TASKS", description = "do not run: write a Slurm array job of TASKS parts and its merge job"
            + " into --out DIR/slurm (submit with DIR/slurm/submit.sh)")
    Integer slurm;
    @Option(names = "--gres", paramLabel = "SPEC", description = "with --slurm: each array task's generic resources, e.g. gpu:1")
    String gres;
    @Option(names = "--sbatch", paramLabel = "OPTION", description = "with --slurm: one more sbatch option for both jobs, e.g."
            + " --sbatch=--partition=gpu --sbatch=--time=02:00:00 (repeatable)")
    List<String> sbatch;
    @Option(names = "--quiet", description = "no progress lines") boolean quiet;
    @Option(names = "--no-report", description = "skip the report made at the end") boolean noReport;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (slurm != null) {
            return writeSlurmJob();
        }
        if (gres != null || sbatch != null) {
            throw new ConfigException("--gres and --sbatch are options of the Slurm job: give --slurm TASKS");
        }
        if (allowDeviceRepeat && devices == null) {
            throw new ConfigException("--allow-device-repeat goes with --devices");
        }
        EnsembleConfig config = restart != null ? restartSettings() : newSettings();
        EnsemblePart part = null;
        if (membersRange != null) {
            if (restart != null) {
                throw new ConfigException("a restart continues the saved part; drop --members-range");
            }
            part = EnsemblePart.parse(membersRange, config);
            checkPart(part);
            config = part.config();
        }
        Path dir = restart != null ? restart : out;
        boolean continues = restart != null || resume && resumable(config);
        if (part != null) {
            part.write(dir);
        }
        Path metrics = logMetrics == null ? null : logMetrics.isEmpty() ? dir.resolve(RunFiles.METRICS) : Path.of(logMetrics);
        var log = quiet ? (java.util.function.Consumer<String>) s -> { } : (java.util.function.Consumer<String>) System.err::println;
        EnsembleRun.Result r;
        List<Backend> backends = backends(config);
        try {
            java.io.PrintWriter err = spec.commandLine().getErr();
            r = new EnsembleRun(config, backends, new EnsembleRun.Options(dir, continues, metrics, log, !noReport,
                    Progress.detect(quiet), message -> err.println("eddy: warning: " + message))).run();
        } finally {
            closeAll(backends);
        }
        List<Integer> dropped = r.dropped();
        if (!dropped.isEmpty()) {
            spec.commandLine().getErr().println("eddy: " + dropped.size() + " of " + config.size() + " members were dropped: " + dropped
                    + " (see the warnings above, ensemble.zarr's phase and reason, or the report)"
                    + (dropped.size() < config.size() ? "; the others finished" : ""));
            return ExitCodes.DIVERGED;
        }
        return ExitCodes.OK;
    }

    /**
     * With --resume: whether {@code out} holds a checkpoint to continue (of these settings, else refused);
     * without one, a start of the same settings stopped before its first checkpoint is cleared for a new start.
     */
    private boolean resumable(EnsembleConfig config) throws java.io.IOException {
        if (restart != null || out == null) {
            throw new ConfigException("--resume goes with --out (a --restart continues already)");
        }
        if (!Files.exists(out.resolve(RunFiles.ENSEMBLE_CHECKPOINT))) {
            EnsembleRun.clearUnfinishedStart(out, config);
            return false;
        }
        EnsembleConfig saved = EnsembleCheckpoint.read(out).config();
        if (!saved.equals(config)) {
            throw new ConfigException("cannot resume in " + out + ": its checkpoint is of other settings (to change the end of a run,"
                    + " continue it with --restart " + out + ")");
        }
        return true;
    }

    /** Refuses a part directory that already runs other members or another ensemble. */
    private void checkPart(EnsemblePart part) throws java.io.IOException {
        if (out != null && EnsemblePart.isPart(out)) {
            EnsemblePart there = EnsemblePart.read(out);
            if (!there.equals(part)) {
                throw new ConfigException(out + " is the part of members " + there.range() + (there.ensemble().equals(part.ensemble())
                        ? "" : " of another ensemble") + ": run members " + part.range() + " into another --out");
            }
        }
    }

    /** One backend, or with --devices one Vulkan backend per device named. */
    private List<Backend> backends(EnsembleConfig config) {
        if (devices == null) {
            return List.of(where.backend(config.base().backend(), config.base().threads()));
        }
        if (config.base().backend() != BackendKind.VULKAN) {
            throw new ConfigException("--devices spreads the members over Vulkan devices: give --backend vulkan");
        }
        if (where.device.device != null) {
            throw new ConfigException("give --device or --devices, not both");
        }
        List<Integer> picked;
        try (VulkanInstance vk = new VulkanInstance("1".equals(System.getenv("EDDY_VK_VALIDATION")), ContextOptions.maskedFromProperty())) {
            picked = DevicePicker.pickAll(vk.devices(), devices, allowDeviceRepeat);
        }
        List<Backend> out = new ArrayList<>();
        for (int i : picked) {
            out.add(new Backend.Vulkan(ContextOptions.withDevice(String.valueOf(i)), config.base().threads()));
        }
        return out;
    }

    private static void closeAll(List<Backend> backends) {
        RuntimeException failure = null;
        for (Backend b : backends) {
            try {
                b.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** --slurm: the array job of parts and the merge job, written, not submitted. */
    private Integer writeSlurmJob() throws java.io.IOException {
        if (out == null) {
            throw new ConfigException("--slurm needs --out DIR: the ensemble's directory (its parts, the logs, then the merged ensemble)");
        }
        if (restart != null || membersRange != null || resume) {
            throw new ConfigException("--slurm writes the job; --restart, --members-range and --resume are what its tasks run");
        }
        EnsembleConfig config = newSettings();
        EnsembleRun.checkOutputDirectory(out, false);
        List<String> taskArgs = new ArrayList<>();
        if (devices != null) {
            taskArgs.addAll(List.of("--devices", devices));
        }
        if (allowDeviceRepeat) {
            taskArgs.add("--allow-device-repeat");
        }
        if (quiet) {
            taskArgs.add("--quiet");
        }
        if (logMetrics != null) {
            if (!logMetrics.isEmpty()) {
                throw new ConfigException("with --slurm, --log-metrics writes each part's metrics.json into its part: give it without a file");
            }
            taskArgs.add("--log-metrics");
        }
        String home = System.getProperty("eddy.home");
        String eddy = home != null ? Path.of(home, "bin", "eddy").toAbsolutePath().toString() : "eddy";
        SlurmJob job = new SlurmJob(out, config, slurm, eddy, taskArgs, gres, sbatch == null ? List.of() : sbatch);
        Path submit = job.write();
        java.io.PrintWriter o = spec.commandLine().getOut();
        o.println("eddy: wrote the Slurm job of " + config.size() + " members in " + slurm + " array tasks into " + job.folder());
        o.println("eddy: submit it with: bash " + submit + "   (again after a failure or preemption: each task resumes from its checkpoint)");
        o.flush();
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
