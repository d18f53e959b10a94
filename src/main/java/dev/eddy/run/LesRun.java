package dev.eddy.run;

import dev.eddy.backend.Backend;
import dev.eddy.config.ConfigException;
import dev.eddy.config.RunConfig;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.Json;
import dev.eddy.report.ReportWriter;
import dev.eddy.report.RunPictures;
import dev.eddy.report.RunRecord;
import dev.eddy.sim.BudgetClosure;
import dev.eddy.sim.DiagnosticSample;
import dev.eddy.sim.Diagnostics;
import dev.eddy.sim.PendingSnapshot;
import dev.eddy.sim.Simulation;
import dev.eddy.sim.SimulationDivergedException;
import dev.eddy.sim.Simulations;
import dev.eddy.sim.Snapshot;
import dev.eddy.sim.StepInfo;
import dev.eddy.sim.UnhealthyRunException;
import dev.eddy.store.MetricsWriter;
import dev.eddy.store.RunFiles;
import dev.eddy.store.RunLock;
import dev.eddy.store.SnapshotStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Drives one LES run into an output directory: steps, diagnostics, snapshots, checkpoints and the
 * metrics JSON. Directory contents: {@code config.json} (the settings; re-run with {@code --config}),
 * {@code checkpoint.bin}, {@code snapshots.zarr}, with {@code --encode} {@code encode.json} and
 * {@code codes.eddyc}, with {@code --log-metrics} {@code metrics.json}, and unless {@code --no-report} the
 * pictures ({@code pictures/}), the video ({@code video.mp4} or {@code video.gif}) and {@code report.html}
 * + {@code report.md}, made at the end from the store (stages "plot", "video", "report").
 *
 * <p>One commit point: the checkpoint. The store and the code file grow as the run goes; before each
 * checkpoint both are made durable and the checkpoint, renamed into place last, records how much of each
 * belongs to its state. A restart cuts each back to those counts and says what it repaired. The run holds
 * {@link RunLock} on its directory throughout; until its first checkpoint the directory carries the
 * {@code INCOMPLETE} mark, and such a directory is started again in place.
 */
public final class LesRun {

    /**
     * @param dir      the output directory
     * @param restart  continue from {@code dir/checkpoint.bin} instead of starting
     * @param metrics  where to write the metrics JSON, or null
     * @param log      progress lines (to stderr in the CLI)
     * @param report   make the pictures, video and report at the end
     * @param progress how progress shows while stepping (the in-place line goes to stderr)
     */
    public record Options(Path dir, boolean restart, Path metrics, Consumer<String> log, boolean report,
                          Progress.Mode progress) {
        /** No report, progress as log lines. */
        public Options(Path dir, boolean restart, Path metrics, Consumer<String> log) {
            this(dir, restart, metrics, log, false, Progress.Mode.LINES);
        }
    }

    /** What a finished run did. */
    public record Result(long steps, double time, double wallSeconds, Map<String, Double> stageSeconds,
                         List<DiagnosticSample> diagnostics) {
    }

    private final RunConfig config;
    /** The caller's backend, or null: the run makes its own from the settings and closes it. */
    private final Backend backend;
    private final Options options;
    private final StageTimes times = new StageTimes();
    private final List<DiagnosticSample> diagnostics = new ArrayList<>();
    private SnapshotStore snapshots;
    private final RunSchedule schedule;
    private final HealthCheck health;
    /**
     * Snapshots are consumed (transformed, written) on a writer thread while the next steps run; off,
     * each is consumed before the run goes on (the synchronous reference of the tests and benchmark).
     */
    private boolean overlapSnapshots = true;
    /** Snapshots handed to the writer and not yet written, at most: one per snapshot staging buffer of a GPU backend. */
    public static final int SNAPSHOTS_IN_FLIGHT = 2;
    private SnapshotWriter writer;
    /** Optional: sees every snapshot (eddy run --encode); null when none. */
    private final SnapshotListener listener;
    private long lastCheckpointStep = -1;
    /** The backend's transfer ledger and memory map, kept as of the last output (the backend is closed before metrics are written). */
    private List<Map<String, Object>> transfers = List.of();
    private List<Map<String, Object>> memoryMap = List.of();
    /** How the step transforms its fields ("2d" or "fused"), for metrics.json. */
    private String transforms = "2d";
    /** The Vulkan device the run stepped on (its DeviceInfo map), or null on the CPU. */
    private Map<String, Object> device;
    private String reportError;
    /** SIGINT/SIGTERM: the loop checkpoints and stops after the current step. */
    private StopOnSignal signal;

    /** A run on a backend of its own, made from the settings (the default device) and closed at the end. */
    public LesRun(RunConfig config, Options options) {
        this(config, null, options, null);
    }

    /**
     * A run on {@code backend} (the caller's, who closes it; null: one made from the settings and closed
     * at the end) whose snapshots a {@link SnapshotListener} also sees (null: none); the run closes the listener.
     */
    public LesRun(RunConfig config, Backend backend, Options options, SnapshotListener listener) {
        this.config = config;
        this.backend = backend;
        this.options = options;
        this.listener = listener;
        this.schedule = new RunSchedule(config);
        this.health = new HealthCheck(config.health(), LesRun::warn);
    }

    private static void warn(String message) {
        System.err.println("eddy: warning: " + message);
    }

    /** Whether snapshots overlap the following steps (the default) or are written before the run goes on. */
    public LesRun overlapSnapshots(boolean on) {
        this.overlapSnapshots = on;
        return this;
    }

    /** What an output directory holds, as far as a run is concerned. */
    public enum DirectoryState {
        /** Missing, or nothing of a run in it. */
        NEW,
        /** A run that never reached its first checkpoint (killed early, failed at set-up, blown up at step 0). */
        INCOMPLETE,
        /** A run with a checkpoint: continue it with --restart. */
        RUN
    }

    /**
     * Refuses an output path that is a file, a directory that already holds another run (or the outputs
     * of an older Eddy), and a restart of a directory with nothing to continue; says what the directory holds.
     */
    public static DirectoryState checkOutputDirectory(Path dir, boolean restart) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException("output path " + dir + " is a file, not a directory");
        }
        DirectoryState state = Files.exists(dir.resolve(RunFiles.CHECKPOINT)) ? DirectoryState.RUN
                : Files.exists(dir.resolve(RunFiles.CONFIG)) ? DirectoryState.INCOMPLETE : DirectoryState.NEW;
        if (state == DirectoryState.NEW) {
            for (String legacy : new String[] {RunFiles.LEGACY_FRAMES, RunFiles.LEGACY_SNAPSHOTS, RunFiles.SNAPSHOTS, RunFiles.CODES}) {
                if (Files.exists(dir.resolve(legacy))) {
                    throw new ConfigException("output directory " + dir + " holds " + legacy + " but no run this Eddy can continue"
                            + " (no " + RunFiles.CONFIG + "; an older Eddy's or another tool's outputs?): choose another --out");
                }
            }
        }
        if (restart && state == DirectoryState.NEW) {
            throw new ConfigException("cannot restart: " + dir + " has no " + RunFiles.CHECKPOINT + " and no " + RunFiles.CONFIG);
        }
        if (!restart && state == DirectoryState.RUN) {
            throw new ConfigException("output directory " + dir + " already holds a run: continue it with --restart "
                    + dir + " or choose another --out");
        }
        return state;
    }

    /** Removes what an incomplete run left (nothing in it was committed), keeping the lock and the settings. */
    private static void clearIncomplete(Path dir) throws IOException {
        dev.eddy.store.ZarrStore.deleteTree(dir.resolve(RunFiles.SNAPSHOTS));
        dev.eddy.store.ZarrStore.deleteTree(dir.resolve(RunFiles.PICTURES));
        for (String f : new String[] {RunFiles.CODES, RunFiles.METRICS, RunFiles.REPORT_HTML, RunFiles.REPORT_MD}) {
            Files.deleteIfExists(dir.resolve(f));
        }
        AtomicFiles.deleteStaleTemporaries(dir);
    }

    @SuppressWarnings("try") // the listener is a resource only so that it closes before the simulation does
    public Result run() throws IOException {
        Path dir = options.dir();
        dev.eddy.sim.cpu.HostMemory.requireCpuLes(config); // before anything is written
        try (RunLock lock = RunLock.acquire(dir, "run", options.log())) {
            return runLocked(dir);
        }
    }

    private Result runLocked(Path dir) throws IOException {
        DirectoryState state = checkOutputDirectory(dir, options.restart());
        boolean resume = state == DirectoryState.RUN;
        if (state == DirectoryState.INCOMPLETE) {
            options.log().accept(dir + " holds a run that stopped before its first checkpoint (nothing was committed):"
                    + " starting it again in place from step 0");
            clearIncomplete(dir);
        }
        // kept in memory even without --log-metrics: the report shows them. A restart of a run that logged
        // metrics updates its file even without the flag, so that it never describes an earlier end.
        Path metricsFile = options.metrics() != null ? options.metrics()
                : resume && Files.exists(dir.resolve(RunFiles.METRICS)) ? dir.resolve(RunFiles.METRICS) : null;
        MetricsWriter metrics = new MetricsWriter(metricsFile, resume ? "run --restart" : "run");
        long t0 = System.nanoTime();
        String status = "running";
        signal = new StopOnSignal();
        // closed in reverse: the writer first (waiting for its frames), the listener, the simulation, then the run's own backend
        try (Backend own = backend == null ? Backend.of(config.backend(), null, config.threads()) : null;
             Simulation sim = times.time("setup", () -> Simulations.create(config, backend != null ? backend : own));
             SnapshotListener hooked = startListener(sim, backend != null ? backend : own);
             SnapshotWriter _ = (writer = new SnapshotWriter(overlapSnapshots, SNAPSHOTS_IN_FLIGHT, times))) {
            config.time().warnings().forEach(LesRun::warn);
            Backend on = backend != null ? backend : own;
            device = on.deviceInfo();
            on.softwareDeviceWarning().ifPresent(LesRun::warn);
            if (resume) {
                resume(sim);
            } else {
                begin();
                observe(sim, new StepInfo(0, 0, 0), true, true);
            }
            loop(sim);
            checkpoint(sim);
            if (signal.requested()) {
                status = "interrupted";
                throw signal.interrupted(sim.stepCount(), dir);
            }
            status = "completed";
            if (options.report()) {
                try {
                    report(metrics, status, t0);
                } catch (RuntimeException | IOException | Error e) {
                    // The simulation's outputs are complete; pictures are a convenience that can fail on a
                    // node without fonts (AWT: "Fontconfig head is null", seen on the H100 test host).
                    reportError = e.getClass().getSimpleName() + ": " + e.getMessage();
                    System.err.println("eddy: warning: the run finished, but its pictures/report could not be made ("
                            + reportError + "); make them elsewhere with: eddy report " + dir);
                }
            }
            double wall = (System.nanoTime() - t0) * 1e-9;
            options.log().accept(String.format(java.util.Locale.ROOT,
                    "done: %d steps to t = %.4g in %.2f s (%.3f ms/step in the solver); output in %s",
                    sim.stepCount(), sim.time(), wall, 1e3 * times.seconds("sim") / Math.max(1, stepsTaken), dir));
            return new Result(sim.stepCount(), sim.time(), wall, times.asSeconds(), List.copyOf(diagnostics));
        } catch (SimulationDivergedException | UnhealthyRunException e) {
            status = e instanceof UnhealthyRunException ? "unhealthy" : "diverged";
            // what led to the blow-up stays visible in the store; the checkpoint (if any) predates it, and
            // a restart would cut the store back to it
            if (snapshots != null) {
                writer.drain();
                snapshots.commit();
            }
            throw e;
        } catch (dev.eddy.gpu.GpuDeviceLostException e) {
            // No GPU work after this (the context refuses it; closing the LES above only releases); the
            // files on disk are as of the last checkpoint, which is what a restart continues from.
            status = "device_lost";
            throw new dev.eddy.gpu.GpuDeviceLostException(e.getMessage() + "; " + (lastCheckpointStep >= 0
                    ? "the checkpoint of step " + lastCheckpointStep + " is kept: continue with eddy run --restart " + dir
                    : "no checkpoint was written yet: start it again in place with eddy run --restart " + dir), e);
        } finally {
            try {
                if (metricsFile != null) {
                    fillMetrics(metrics, status, (System.nanoTime() - t0) * 1e-9);
                    metrics.save();
                }
            } finally {
                // always, even when the metrics cannot be saved: a hook left waiting would hold the JVM's exit
                // for 120 s and then claim a signal that never came (issue 18.6)
                signal.close();
            }
        }
    }

    /** A new run: its settings, the incomplete mark, an empty store (and code file), in that order. */
    private void begin() throws IOException {
        Path dir = options.dir();
        AtomicFiles.writeString(dir.resolve(RunFiles.INCOMPLETE), "This run has not reached its first checkpoint yet. If it is"
                + " not running (see .eddy.lock), start it again in place with: eddy run --restart " + dir + "\n");
        AtomicFiles.writeString(dir.resolve(RunFiles.CONFIG), Json.write(config));
        if (listener != null) {
            AtomicFiles.writeString(dir.resolve(RunFiles.ENCODE), Json.write(listener.settings()));
            listener.begin();
        }
        snapshots = SnapshotStore.create(dir, config, config.output().compressLevel());
    }

    /** Starts the listener on the new simulation; the try-with-resources of run() closes it before the simulation. */
    private SnapshotListener startListener(Simulation sim, Backend on) throws IOException {
        if (listener != null) {
            listener.start(sim, on, times);
        }
        return listener;
    }

    private long stepsTaken;

    private void loop(Simulation sim) throws IOException {
        var t = config.time();
        Progress progress = new Progress(options.progress(), System.err, options.log(), t.steps(), t.endTime(),
                System::nanoTime);
        progress.update(sim.stepCount(), sim.time(), 0, 0); // starts the clock
        try {
            while (!signal.requested() && schedule.continues(sim.stepCount(), sim.time())) {
                int count = schedule.stepsToNextEvent(sim.stepCount(), sim.time(), sim.maxAdvance());
                double maxDt = schedule.maxDt(count, sim.time());
                StepInfo info = times.time("sim", () -> sim.advance(count, maxDt));
                stepsTaken += count;
                long s = sim.stepCount();
                boolean snap = schedule.snapshotAt(s, sim.time());
                boolean diag = schedule.diagnosticsAt(s, sim.time());
                if (diag || snap) {
                    observe(sim, info, snap, diag);
                }
                if (schedule.checkpointAt(s)) {
                    checkpoint(sim);
                }
                progress.update(s, sim.time(), info.dt(), info.maxSpeed());
            }
        } finally {
            progress.finish();
        }
    }

    /** Pictures, video and report from the frames on disk; each is its own stage. */
    private void report(MetricsWriter metrics, String status, long t0) throws IOException {
        dev.eddy.viz.Headless.ensure();
        Path dir = options.dir();
        RunRecord base = new RunRecord(dir, config, null, List.copyOf(diagnostics), SnapshotStore.open(dir).steps());
        var pictures = times.time("plot", () -> RunPictures.plots(base));
        var video = times.time("video", () -> RunPictures.video(base, options.log()));
        fillMetrics(metrics, status, (System.nanoTime() - t0) * 1e-9);
        RunRecord full = new RunRecord(dir, config, metrics.tree(), base.diagnostics(), base.frameSteps());
        times.time("report", () -> {
            ReportWriter.write(full, pictures, video);
            return null;
        });
        options.log().accept("report: " + dir.resolve(RunFiles.REPORT_HTML) + " (pictures in " + dir.resolve(RunFiles.PICTURES)
                + (video != null ? ", video " + video.file() : "") + ")");
    }

    /**
     * Diagnostics and the health check (and optionally a snapshot) of the current state; {@code last} is
     * the step that led to it. The sample joins the series only at a diagnostics time ({@code record}), so
     * the series keeps its cadence; a snapshot's own state is still checked for a blow-up.
     */
    private void observe(Simulation sim, StepInfo last, boolean snapshot, boolean record) throws IOException {
        DiagnosticSample d = times.time("diagnostics", () ->
                new DiagnosticSample(sim.stepCount(), sim.time(), last.dt(), last.courant(), sim.diagnostics()));
        if (record || !d.flow().finite()) {
            diagnostics.add(d);
            snapshots.appendDiagnostics(d);
        }
        if (!d.flow().finite()) {
            throw new SimulationDivergedException(d.step(), d.time(), "energy = " + d.energy() + ", enstrophy = "
                    + d.enstrophy());
        }
        health.check(d);
        if (snapshot) {
            // overlapped: the copy is only started here; the writer waits for it while the next steps run.
            // With --encode the snapshot is read at once: the codec's report needs ω of this step on the host.
            PendingSnapshot p = overlapSnapshots && listener == null ? sim.requestSnapshot()
                    : PendingSnapshot.completed(new Snapshot(sim.stepCount(), sim.time(), sim.spectralState(), sim.vorticity()));
            writer.submit(p, this::writeSnapshot);
            if (listener != null) {
                listener.snapshot(sim, p.get().vorticity());
            }
        }
    }

    /** The host spectra of each snapshot (made on the writer thread at its first snapshot). */
    private dev.eddy.sim.SpectralTransfer transfer;

    /** One snapshot to its frame file (on the writer thread when snapshots overlap the steps). */
    private void writeSnapshot(Snapshot s) throws IOException {
        dev.eddy.numerics.Grid grid = new dev.eddy.numerics.Grid(config.n());
        double[] spectrum = Diagnostics.spectrum(grid, s.spectralState());
        if (transfer == null) {
            transfer = new dev.eddy.sim.SpectralTransfer(grid, config.threads());
        }
        snapshots.appendSnapshot(s.step(), s.time(), s.vorticity(), spectrum,
                transfer.of(s.spectralState(), config.output().velocity()));
    }

    private void checkpoint(Simulation sim) throws IOException {
        // Every snapshot up to this step is in the store before a checkpoint names this step.
        writer.drain();
        if (sim.stepCount() != lastCheckpointStep) {
            writeCheckpoint(sim);
        }
        // after the checkpoint's own read of the state, so the ledger in the metrics is the whole run's
        transfers = sim.transfers();
        memoryMap = sim.memoryMap();
        transforms = sim.transforms();
    }

    /**
     * The commit: the store and the code file made durable first, then the checkpoint that counts them,
     * renamed into place last. A kill before the rename leaves the previous checkpoint, whose counts a
     * restart cuts the outputs back to; a kill after it leaves a consistent directory.
     */
    private void writeCheckpoint(Simulation sim) throws IOException {
        SnapshotStore.Counts counts = times.time("store", snapshots::commit);
        dev.eddy.io.FaultPoints.reach("store-committed");
        long codes = listener != null ? listener.commit() : 0;
        dev.eddy.io.FaultPoints.reach("codes-committed");
        times.time("checkpoint", () -> {
            new Checkpoint(config, sim.stepCount(), sim.time(), new Checkpoint.Outputs(counts.snapshots(), counts.diagnostics(),
                    codes, listener != null ? listener.settings() : null), sim.spectralState()).write(options.dir());
            return null;
        });
        dev.eddy.io.FaultPoints.reach("checkpoint-committed");
        Files.deleteIfExists(options.dir().resolve(RunFiles.INCOMPLETE));
        lastCheckpointStep = sim.stepCount();
    }

    private void resume(Simulation sim) throws IOException {
        Path dir = options.dir();
        Checkpoint cp = Checkpoint.read(dir);
        sim.restore(cp.state(), cp.step(), cp.time());
        AtomicFiles.writeString(dir.resolve(RunFiles.CONFIG), Json.write(config)); // the new target (--steps/--end-time)
        List<String> repaired = new ArrayList<>();
        AtomicFiles.deleteStaleTemporaries(dir);
        snapshots = SnapshotStore.resume(dir, config, cp.outputs().store(), repaired::add);
        List<DiagnosticSample> earlier = SnapshotStore.open(dir).diagnostics();
        diagnostics.addAll(earlier);
        health.restore(earlier);
        if (listener != null) {
            listener.resume(cp.outputs().codes(), repaired::add);
        }
        Files.deleteIfExists(dir.resolve(RunFiles.INCOMPLETE));
        lastCheckpointStep = cp.step();
        options.log().accept("restarting from step " + cp.step() + " (t = " + cp.time() + ")");
        if (!repaired.isEmpty()) {
            options.log().accept("repaired (outputs written after the checkpoint, before the run stopped): "
                    + String.join("; ", repaired));
        }
    }

    private void fillMetrics(MetricsWriter m, String status, double wall) {
        m.put("status", status);
        m.put("settings", config);
        m.put("output_dir", options.dir().toAbsolutePath().toString());
        m.put("wall_seconds", wall);
        m.put("steps_taken", stepsTaken);
        m.put("ms_per_step", stepsTaken == 0 ? 0 : 1e3 * times.seconds("sim") / stepsTaken);
        m.put("stage_seconds", times.asSeconds());
        m.put("device", device); // null on the cpu backend
        m.put("transfers", transfers); // the transfer ledger: empty on the cpu backend
        m.put("memory_map", memoryMap);
        m.put("les_transforms", transforms);
        if (reportError != null) {
            m.put("report_error", reportError);
        }
        m.put("health", health.summary());
        m.put("budget_closure", Map.of("energy", BudgetClosure.energy(diagnostics), "enstrophy", BudgetClosure.enstrophy(diagnostics)));
        m.put("diagnostics", DiagnosticSample.columns(diagnostics));
        if (listener != null) {
            m.put(listener.name(), listener.metrics());
        }
    }
}
