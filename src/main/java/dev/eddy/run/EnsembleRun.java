package dev.eddy.run;

import dev.eddy.backend.Backend;
import dev.eddy.config.ConfigException;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.Json;
import dev.eddy.numerics.Grid;
import dev.eddy.sim.BudgetClosure;
import dev.eddy.sim.DiagnosticSample;
import dev.eddy.sim.Diagnostics;
import dev.eddy.sim.Ensemble;
import dev.eddy.sim.EnsembleSample;
import dev.eddy.sim.EnsembleSnapshot;
import dev.eddy.sim.Ensembles;
import dev.eddy.sim.FlowDiagnostics;
import dev.eddy.sim.MemberStatus;
import dev.eddy.sim.StepInfo;
import dev.eddy.sim.UnhealthyRunException;
import dev.eddy.store.EnsembleCheckpoint;
import dev.eddy.store.EnsembleStore;
import dev.eddy.store.MetricsWriter;
import dev.eddy.store.RunFiles;
import dev.eddy.store.ZarrEnsembleStore;
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
 * Drives an ensemble into an output directory: the members step together ({@link Ensemble}), and the run
 * takes diagnostics, snapshots and checkpoints of all of them at the ensemble's steps, on the single
 * run's schedule ({@link RunSchedule}: an ensemble step is one step of every running member). Each member
 * has its own health check; a member that blows up, or fails the check under {@code --strict}, is dropped
 * (frozen, its state and outputs kept) and the others go on; the log says which and why. With an end time
 * and a dt per member, each member finishes at its own step.
 *
 * <p>Directory: {@code ensemble.json} (the settings; re-run with {@code --config}),
 * {@code ensemble-checkpoint.bin} (every member's exact state: {@code --restart} continues bit for bit),
 * {@code ensemble.zarr} (through the {@link EnsembleStore}: appended as it goes, committed before each
 * checkpoint), with
 * {@code --log-metrics} {@code metrics.json}, and unless {@code --no-report} {@code report.html} with the
 * ensemble's mean and spread.
 */
public final class EnsembleRun {

    /**
     * @param dir      the output directory
     * @param restart  continue from {@code dir}'s checkpoint instead of starting
     * @param metrics  where to write the metrics JSON, or null
     * @param log      progress and member lines (stderr in the CLI)
     * @param report   make the report at the end
     * @param progress how progress shows while stepping
     * @param warn     the warnings (a member dropped, unhealthy, …): shown even when {@code log} is quiet
     */
    public record Options(Path dir, boolean restart, Path metrics, Consumer<String> log, boolean report, Progress.Mode progress,
                          Consumer<String> warn) {
        /** Warnings to stderr as "eddy: warning: …". */
        public Options(Path dir, boolean restart, Path metrics, Consumer<String> log, boolean report, Progress.Mode progress) {
            this(dir, restart, metrics, log, report, progress, message -> System.err.println("eddy: warning: " + message));
        }
    }

    /**
     * What a finished ensemble did.
     *
     * @param steps       the ensemble's steps
     * @param members     each member's final status
     * @param memberSteps the steps the members took in this run, all members together
     */
    public record Result(long steps, List<MemberStatus> members, long memberSteps, double wallSeconds, Map<String, Double> stageSeconds,
                         List<EnsembleSample> diagnostics) {
        /** The members dropped (blown up, or unhealthy under --strict). */
        public List<Integer> dropped() {
            List<Integer> out = new ArrayList<>();
            for (int m = 0; m < members.size(); m++) {
                if (members.get(m).phase() == MemberStatus.Phase.DROPPED) {
                    out.add(m);
                }
            }
            return out;
        }
    }

    private final EnsembleConfig config;
    /** The devices (one Vulkan backend each) or the one backend; empty: one made from the settings. */
    private final List<Backend> backends;
    private final Options options;
    private final Grid grid;
    private final StageTimes times = new StageTimes();
    private final List<EnsembleSample> diagnostics = new ArrayList<>();
    private final RunSchedule schedule;
    private final HealthCheck[] health;
    private ZarrEnsembleStore store;
    private SnapshotWriter writer;
    private long step;
    private long memberSteps;
    private long lastCheckpointStep = -1;
    private List<Map<String, Object>> transfers = List.of();
    private List<Map<String, Object>> memoryMap = List.of();
    /** SIGINT/SIGTERM: the loop checkpoints and stops after the current step. */
    private StopOnSignal signal;

    /** An ensemble on {@code backend} (the caller's, who closes it; null: one made from the settings and closed at the end). */
    public EnsembleRun(EnsembleConfig config, Backend backend, Options options) {
        this(config, backend == null ? List.of() : List.of(backend), options);
    }

    /**
     * An ensemble spread over {@code backends} (the caller's, who closes them): several Vulkan devices, one
     * context and one host thread each ({@link Ensembles#create(EnsembleConfig, List)}); the outputs are
     * those of one device.
     */
    public EnsembleRun(EnsembleConfig config, List<? extends Backend> backends, Options options) {
        this.config = config;
        this.backends = List.copyOf(backends);
        this.options = options;
        this.grid = new Grid(config.base().n());
        if (config.base().output().snapshotDt() > 0 || config.base().output().diagnosticsDt() > 0) {
            throw new dev.eddy.config.ConfigException("an ensemble takes its outputs in steps (--snapshot-every, --diag-every):"
                    + " its members keep their own times");
        }
        this.schedule = new RunSchedule(config.base());
        this.droppedSeen = new boolean[config.size()];
        this.health = new HealthCheck[config.size()];
        for (int m = 0; m < health.length; m++) {
            String who = describe(config, m);
            health[m] = new HealthCheck(config.base().health(), message -> warn(who + ": " + brief(message)));
        }
    }

    private void warn(String message) {
        options.warn().accept(message);
    }

    /** "member 3 (seed 4, ν 0.001, μ 0, C_s 0.26, A 0.5)": a member and what sets it apart. */
    public static String describe(EnsembleConfig config, int m) {
        EnsembleConfig.Member s = config.members().get(m);
        return "member " + m + " (seed " + s.seed() + ", ν " + s.nu() + ", μ " + s.mu() + ", C_s " + s.cs()
                + (config.forced() ? ", A " + s.forcingAmplitude() : "") + ")";
    }

    /** Refuses an output path that is a file, or a directory that already holds another run. */
    public static void checkOutputDirectory(Path dir, boolean restart) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException("output path " + dir + " is a file, not a directory");
        }
        if (restart && !Files.exists(dir.resolve(RunFiles.ENSEMBLE_CHECKPOINT))) {
            throw new ConfigException("cannot restart: " + dir + " has no " + RunFiles.ENSEMBLE_CHECKPOINT);
        }
        boolean hasRun = Files.exists(dir.resolve(RunFiles.ENSEMBLE_CONFIG)) || Files.exists(dir.resolve(RunFiles.ENSEMBLE_CHECKPOINT))
                || Files.exists(dir.resolve(RunFiles.CONFIG)) || Files.exists(dir.resolve(RunFiles.CHECKPOINT));
        if (!restart && hasRun) {
            throw new ConfigException("output directory " + dir + " already holds a run: continue an ensemble with --restart "
                    + dir + " or choose another --out");
        }
    }

    /**
     * Before {@code --resume} starts {@code dir} again: a start of the same settings that was stopped
     * before its first checkpoint left its settings and perhaps snapshots, which a new start replaces.
     * Refuses a directory of other settings.
     */
    public static void clearUnfinishedStart(Path dir, EnsembleConfig config) throws IOException {
        Path settings = dir.resolve(RunFiles.ENSEMBLE_CONFIG);
        if (!Files.exists(settings) || Files.exists(dir.resolve(RunFiles.ENSEMBLE_CHECKPOINT))) {
            return;
        }
        if (!Json.MAPPER.readValue(settings.toFile(), EnsembleConfig.class).equals(config)) {
            throw new ConfigException("cannot resume in " + dir + ": it holds the start of another ensemble (its " + RunFiles.ENSEMBLE_CONFIG
                    + " differs from these settings)");
        }
        dev.eddy.store.ZarrStore.deleteTree(ZarrEnsembleStore.path(dir));
        Files.delete(settings);
    }

    public Result run() throws IOException {
        Path dir = options.dir();
        checkOutputDirectory(dir, options.restart());
        Files.createDirectories(dir);
        MetricsWriter metrics = new MetricsWriter(options.metrics(), options.restart() ? "ensemble --restart" : "ensemble");
        long t0 = System.nanoTime();
        String status = "running";
        signal = new StopOnSignal();
        Ensemble ensemble = null;
        try (Backend own = backends.isEmpty() ? Backend.of(config.base().backend(), null, config.base().threads()) : null;
             Ensemble e = times.time("setup", () -> Ensembles.create(config, own != null ? List.of(own) : backends));
             SnapshotWriter _ = (writer = new SnapshotWriter(true, LesRun.SNAPSHOTS_IN_FLIGHT, times))) {
            ensemble = e;
            AtomicFiles.writeString(dir.resolve(RunFiles.ENSEMBLE_CONFIG), Json.write(config));
            config.base().time().warnings().forEach(this::warn);
            options.log().accept(String.format(Locale.ROOT, "ensemble: %d members of N = %d in %s on %s (%s dt)", config.size(),
                    grid.n(), config.base().precision().label(), e.name(), config.sharedDt() ? "one shared" : "each member's own"));
            if (options.restart()) {
                resume(e);
            } else {
                store = ZarrEnsembleStore.create(dir, config);
                observe(e, new StepInfo[config.size()], true);
            }
            loop(e);
            checkpoint(e);
            if (signal.requested()) {
                status = "interrupted";
                throw signal.interrupted(step, dir);
            }
            status = "completed";
            if (options.report()) {
                report(e);
            }
            double wall = (System.nanoTime() - t0) * 1e-9;
            List<MemberStatus> finalStatus = statuses(e);
            options.log().accept(String.format(Locale.ROOT, "done: %d ensemble steps, %d member-steps in %.2f s (%.4g ms per member-step"
                            + " in the solver, %.4g member-steps/s); %d of %d members dropped; output in %s", step, memberSteps, wall,
                    msPerMemberStep(), 1e3 / msPerMemberStep(), finalStatus.stream().filter(s -> s.phase() == MemberStatus.Phase.DROPPED)
                            .count(), config.size(), dir));
            return new Result(step, finalStatus, memberSteps, wall, times.asSeconds(), List.copyOf(diagnostics));
        } catch (dev.eddy.gpu.GpuDeviceLostException e) {
            status = "device_lost";
            throw new dev.eddy.gpu.GpuDeviceLostException(e.getMessage() + "; " + (lastCheckpointStep >= 0
                    ? "the checkpoint of step " + lastCheckpointStep + " is kept: continue with eddy ensemble --restart " + dir
                    : "no checkpoint was written yet: start the ensemble again"), e);
        } finally {
            if (options.metrics() != null) {
                fillMetrics(metrics, status, (System.nanoTime() - t0) * 1e-9, ensemble);
                metrics.save();
            }
            signal.close();
        }
    }

    private double msPerMemberStep() {
        return memberSteps == 0 ? 0 : 1e3 * times.seconds("sim") / memberSteps;
    }

    private List<MemberStatus> statuses(Ensemble e) {
        List<MemberStatus> out = new ArrayList<>();
        for (int m = 0; m < config.size(); m++) {
            out.add(e.status(m));
        }
        return out;
    }

    private void loop(Ensemble e) throws IOException {
        var t = config.base().time();
        Progress progress = new Progress(options.progress(), System.err, options.log(), t.steps(), t.endTime(), System::nanoTime);
        progress.update(step, leadTime(e, false), leadTime(e, true), memberSteps, running(e), config.size());
        try {
            finishMembersAtTheEnd(e);
            while (!signal.requested() && running(e) > 0) {
                // the leading member keeps a batched advance short of the end; near it, single steps land each member on it
                int count = schedule.stepsToNextEvent(step, leadTime(e, true), e.maxAdvance());
                double[] maxDt = new double[config.size()];
                for (int m = 0; m < maxDt.length; m++) {
                    maxDt[m] = schedule.maxDt(count, e.status(m).time());
                }
                long before = totalMemberSteps(e);
                StepInfo[] info = times.time("sim", () -> e.advance(count, maxDt));
                memberSteps += totalMemberSteps(e) - before;
                step += count;
                reportDrops(e, info);
                finishMembersAtTheEnd(e);
                boolean snap = schedule.snapshotAt(step, Double.NaN); // outputs in steps (checked at construction)
                if (schedule.diagnosticsAt(step, Double.NaN) || snap) {
                    observe(e, info, snap);
                }
                if (schedule.checkpointAt(step)) {
                    checkpoint(e);
                }
                progress.update(step, leadTime(e, false), leadTime(e, true), memberSteps, running(e), config.size());
            }
        } finally {
            progress.finish();
        }
    }

    private long totalMemberSteps(Ensemble e) {
        long s = 0;
        for (int m = 0; m < config.size(); m++) {
            s += e.status(m).step();
        }
        return s;
    }

    private int running(Ensemble e) {
        int r = 0;
        for (int m = 0; m < config.size(); m++) {
            r += e.status(m).running() ? 1 : 0;
        }
        return r;
    }

    /** The largest (or smallest) simulated time of the running members (of all members when none runs). */
    private double leadTime(Ensemble e, boolean largest) {
        double t = largest ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        double any = 0;
        for (int m = 0; m < config.size(); m++) {
            MemberStatus s = e.status(m);
            any = s.time();
            if (s.running()) {
                t = largest ? Math.max(t, s.time()) : Math.min(t, s.time());
            }
        }
        return Double.isInfinite(t) ? any : t;
    }

    /** Members that reached the end of the run (their own, with their own dt) stop there. */
    private void finishMembersAtTheEnd(Ensemble e) {
        for (int m = 0; m < config.size(); m++) {
            MemberStatus s = e.status(m);
            if (s.running() && !schedule.continues(s.step(), s.time())) {
                e.stop(m, MemberStatus.Phase.FINISHED, "reached the end of the run");
            }
        }
    }

    /** Says which members the last advance dropped (the device found their speed not finite). */
    private void reportDrops(Ensemble e, StepInfo[] info) {
        for (int m = 0; m < config.size(); m++) {
            MemberStatus s = e.status(m);
            if (s.phase() == MemberStatus.Phase.DROPPED && info[m] == null && !droppedSeen[m]) {
                droppedSeen[m] = true;
                warn(describe(config, m) + ": dropped at step " + s.step() + String.format(Locale.ROOT, " (t = %.6g)", s.time())
                        + ": the field blew up (" + s.reason() + "); it is frozen there and the other members go on");
            }
        }
    }

    /** The members whose drop the log has told. */
    private final boolean[] droppedSeen;

    /** Every member's diagnostics and health check (and optionally a snapshot of all members) at this ensemble step. */
    private void observe(Ensemble e, StepInfo[] last, boolean snapshot) throws IOException {
        FlowDiagnostics[] flow = times.time("diagnostics", e::diagnostics);
        List<DiagnosticSample> samples = new ArrayList<>();
        for (int m = 0; m < config.size(); m++) {
            MemberStatus s = e.status(m);
            StepInfo i = last[m] != null ? last[m] : new StepInfo(0, 0, 0);
            DiagnosticSample d = new DiagnosticSample(s.step(), s.time(), i.dt(), i.courant(), flow[m]);
            samples.add(d);
            if (!s.running()) {
                continue;
            }
            if (!d.flow().finite()) {
                drop(e, m, "energy = " + d.energy() + ", enstrophy = " + d.enstrophy() + ": the field blew up");
                continue;
            }
            try {
                health[m].check(d);
            } catch (UnhealthyRunException u) {
                drop(e, m, u.getMessage());
            }
        }
        diagnostics.add(new EnsembleSample(step, samples));
        if (snapshot) {
            EnsembleSnapshot.Pending p = e.requestSnapshot(); // overlapped: the writer waits for the copy while the next steps run
            long at = step;
            writer.submit(() -> writeSnapshot(at, p.get()));
        }
    }

    private void drop(Ensemble e, int m, String why) {
        droppedSeen[m] = true;
        e.stop(m, MemberStatus.Phase.DROPPED, why);
        warn(describe(config, m) + ": dropped at step " + e.status(m).step() + ": " + brief(why) + "; it is frozen there and the other"
                + " members go on");
    }

    /** Whether the health check's advice was told once: later members' warnings give their figures only. */
    private boolean adviceTold;

    /** A health message in full the first time, then without the advice (an ensemble of hundreds would repeat it hundreds of times). */
    private String brief(String message) {
        int advice = message.indexOf(": grid-scale");
        if (advice < 0) {
            return message;
        }
        if (adviceTold) {
            return message.substring(0, advice) + " (see the first such warning)";
        }
        adviceTold = true;
        return message;
    }

    /** One snapshot of every member into the store (on the writer thread). */
    private void writeSnapshot(long at, EnsembleSnapshot s) throws IOException {
        double[][] omega = new double[s.members()][];
        double[][] spectra = new double[s.members()][];
        for (int m = 0; m < s.members(); m++) {
            omega[m] = s.vorticity(m);
            spectra[m] = Diagnostics.spectrum(grid, s.spectralStates()[m]);
        }
        store.write(new EnsembleStore.Frame(at, s.steps(), s.times(), omega, spectra));
    }

    private void checkpoint(Ensemble e) throws IOException {
        writer.drain(); // every frame up to this step is on disk before a checkpoint names it
        if (step != lastCheckpointStep) {
            double[][] states = new double[config.size()][];
            for (int m = 0; m < states.length; m++) {
                states[m] = e.spectralState(m);
            }
            List<MemberStatus> status = statuses(e);
            // the store first (its chunks and metadata forced), then the checkpoint that counts what of it is committed
            long snapshots = times.time("store", () -> store.commit(diagnostics, status));
            dev.eddy.io.FaultPoints.reach("ensemble-store-committed");
            times.time("checkpoint", () -> {
                new EnsembleCheckpoint(config, step, status, List.copyOf(diagnostics), states, snapshots).write(options.dir());
                return null;
            });
            dev.eddy.io.FaultPoints.reach("ensemble-checkpoint-committed");
            lastCheckpointStep = step;
        }
        transfers = e.transfers();
        memoryMap = e.memoryMap();
    }

    private void resume(Ensemble e) throws IOException {
        EnsembleCheckpoint cp = EnsembleCheckpoint.read(options.dir());
        List<MemberStatus> status = new ArrayList<>();
        for (MemberStatus s : cp.status()) {
            // a member that finished at the old end goes on when the new end lies further
            boolean goesOn = s.phase() == MemberStatus.Phase.FINISHED && schedule.continues(s.step(), s.time());
            status.add(goesOn ? new MemberStatus(s.step(), s.time(), MemberStatus.Phase.RUNNING, null) : s);
        }
        e.restore(cp.states(), status);
        diagnostics.addAll(cp.diagnostics());
        for (int m = 0; m < config.size(); m++) {
            int member = m;
            health[m].restore(cp.diagnostics().stream().map(s -> s.members().get(member)).toList());
            droppedSeen[m] = status.get(m).phase() == MemberStatus.Phase.DROPPED;
        }
        List<String> repaired = new ArrayList<>();
        store = ZarrEnsembleStore.resume(options.dir(), config, cp.snapshots(), cp.diagnostics(), cp.status(), repaired::add);
        repaired.forEach(r -> options.log().accept("repaired: " + r));
        AtomicFiles.deleteStaleTemporaries(options.dir());
        step = cp.step();
        lastCheckpointStep = cp.step();
        options.log().accept("restarting the ensemble from step " + cp.step());
    }

    private void report(Ensemble e) {
        try {
            dev.eddy.viz.Headless.ensure();
            times.time("report", () -> {
                dev.eddy.report.EnsembleReport.write(options.dir(), config, statuses(e), diagnostics, store);
                return null;
            });
            options.log().accept("report: " + options.dir().resolve(RunFiles.REPORT_HTML));
        } catch (RuntimeException | IOException | Error x) {
            // the ensemble's outputs are complete; the report is a convenience that can fail on a node without fonts
            System.err.println("eddy: warning: the ensemble finished, but its report could not be made (" + x.getClass().getSimpleName()
                    + ": " + x.getMessage() + ")");
        }
    }

    private void fillMetrics(MetricsWriter m, String status, double wall, Ensemble e) {
        m.put("status", status);
        m.put("settings", config);
        m.put("output_dir", options.dir().toAbsolutePath().toString());
        m.put("wall_seconds", wall);
        m.put("ensemble_steps", step);
        m.put("member_steps", memberSteps);
        m.put("ms_per_member_step", msPerMemberStep());
        m.put("member_steps_per_second", memberSteps == 0 ? 0 : memberSteps / Math.max(1e-12, times.seconds("sim")));
        m.put("stage_seconds", times.asSeconds());
        m.put("transfers", transfers);
        m.put("memory_map", memoryMap);
        List<Map<String, Object>> members = new ArrayList<>();
        for (int k = 0; k < config.size(); k++) {
            int member = k;
            List<DiagnosticSample> series = diagnostics.stream().map(s -> s.members().get(member)).toList();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("member", k);
            row.put("settings", config.members().get(k));
            if (e != null) {
                row.put("status", e.status(k));
            }
            row.put("health", health[k].summary());
            row.put("budget_closure", Map.of("energy", BudgetClosure.energy(series), "enstrophy", BudgetClosure.enstrophy(series)));
            members.add(row);
        }
        m.put("members", members);
    }
}
