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
import dev.eddy.store.Checkpoint;
import dev.eddy.store.MetricsWriter;
import dev.eddy.store.RunFiles;
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
 * {@code checkpoint.bin}, {@code frames/}, {@code snapshots.h5}, with {@code --log-metrics}
 * {@code metrics.json}, and unless {@code --no-report} the pictures ({@code pictures/}), the video
 * ({@code video.mp4} or {@code video.gif}) and {@code report.html} + {@code report.md}, made at the end
 * from the frames (stages "plot", "video", "report").
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
    private final SnapshotStore snapshots;
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
        this.snapshots = new SnapshotStore(options.dir(), config);
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

    /** Refuses an output path that is a file, or a directory that already holds another run. */
    public static void checkOutputDirectory(Path dir, boolean restart) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException("output path " + dir + " is a file, not a directory");
        }
        boolean hasRun = Files.exists(dir.resolve(RunFiles.CONFIG)) || Files.exists(dir.resolve(RunFiles.CHECKPOINT));
        if (restart && !Files.exists(dir.resolve(RunFiles.CHECKPOINT))) {
            throw new ConfigException("cannot restart: " + dir + " has no " + RunFiles.CHECKPOINT);
        }
        if (!restart && hasRun) {
            throw new ConfigException("output directory " + dir + " already holds a run: continue it with --restart "
                    + dir + " or choose another --out");
        }
    }

    @SuppressWarnings("try") // the listener is a resource only so that it closes before the simulation does
    public Result run() throws IOException {
        Path dir = options.dir();
        checkOutputDirectory(dir, options.restart());
        Files.createDirectories(dir);
        // kept in memory even without --log-metrics: the report shows them
        MetricsWriter metrics = new MetricsWriter(options.metrics(), options.restart() ? "run --restart" : "run");
        long t0 = System.nanoTime();
        String status = "running";
        signal = new StopOnSignal();
        // closed in reverse: the writer first (waiting for its frames), the listener, the simulation, then the run's own backend
        try (Backend own = backend == null ? Backend.of(config.backend(), null, config.threads()) : null;
             Simulation sim = times.time("setup", () -> Simulations.create(config, backend != null ? backend : own));
             SnapshotListener hooked = startListener(sim, backend != null ? backend : own);
             SnapshotWriter _ = (writer = new SnapshotWriter(overlapSnapshots, SNAPSHOTS_IN_FLIGHT, times))) {
            // written once the backend is up: a run refused at set-up (no device, no fp64) leaves no
            // config.json behind that would make its directory look like a run to --restart
            AtomicFiles.writeString(dir.resolve(RunFiles.CONFIG), Json.write(config));
            config.time().warnings().forEach(LesRun::warn);
            if (options.restart()) {
                resume(sim);
            } else {
                observe(sim, new StepInfo(0, 0, 0), true);
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
            snapshots.assemble(diagnostics, Long.MAX_VALUE);
            if (listener != null) {
                listener.assemble(Long.MAX_VALUE);
            }
            throw e;
        } catch (dev.eddy.gpu.GpuDeviceLostException e) {
            // No GPU work after this (the context refuses it; closing the LES above only releases); the
            // files on disk are as of the last checkpoint, which is what a restart continues from.
            status = "device_lost";
            throw new dev.eddy.gpu.GpuDeviceLostException(e.getMessage() + "; " + (lastCheckpointStep >= 0
                    ? "the checkpoint of step " + lastCheckpointStep + " is kept: continue with eddy run --restart " + dir
                    : "no checkpoint was written yet: start the run again (into another --out, or after removing " + dir + ")"), e);
        } finally {
            if (options.metrics() != null) {
                fillMetrics(metrics, status, (System.nanoTime() - t0) * 1e-9);
                metrics.save();
            }
            signal.close();
        }
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
                boolean snap = schedule.snapshotAt(s);
                if (schedule.diagnosticsAt(s) || snap) {
                    observe(sim, info, snap);
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
        RunRecord base = new RunRecord(dir, config, null, List.copyOf(diagnostics), snapshots.frameSteps());
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

    /** Diagnostics and the health check (and optionally a snapshot) of the current state; {@code last} is the step that led to it. */
    private void observe(Simulation sim, StepInfo last, boolean snapshot) throws IOException {
        DiagnosticSample d = times.time("diagnostics", () ->
                new DiagnosticSample(sim.stepCount(), sim.time(), last.dt(), last.courant(), sim.diagnostics()));
        diagnostics.add(d);
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

    /** One snapshot to its frame file (on the writer thread when snapshots overlap the steps). */
    private void writeSnapshot(Snapshot s) throws IOException {
        double[] spectrum = Diagnostics.spectrum(new dev.eddy.numerics.Grid(config.n()), s.spectralState());
        snapshots.writeFrame(s.step(), s.time(), s.vorticity(), spectrum);
    }

    private void checkpoint(Simulation sim) throws IOException {
        // Every frame up to this step is on disk before a checkpoint names this step: a restart keeps the
        // frames up to its checkpoint and never writes them again.
        writer.drain();
        if (sim.stepCount() != lastCheckpointStep) {
            writeCheckpoint(sim);
        }
        // after the checkpoint's own read of the state, so the ledger in the metrics is the whole run's
        transfers = sim.transfers();
        memoryMap = sim.memoryMap();
    }

    private void writeCheckpoint(Simulation sim) throws IOException {
        times.time("checkpoint", () -> {
            new Checkpoint(config, sim.stepCount(), sim.time(), List.copyOf(diagnostics), sim.spectralState())
                    .write(options.dir());
            return null;
        });
        times.time("hdf5", () -> {
            snapshots.assemble(diagnostics, sim.stepCount());
            return null;
        });
        if (listener != null) {
            listener.assemble(sim.stepCount());
        }
        lastCheckpointStep = sim.stepCount();
    }

    private void resume(Simulation sim) throws IOException {
        Checkpoint cp = Checkpoint.read(options.dir());
        sim.restore(cp.state(), cp.step(), cp.time());
        diagnostics.addAll(cp.diagnostics());
        health.restore(cp.diagnostics());
        snapshots.dropFramesAfter(cp.step());
        if (listener != null) {
            listener.resume(cp.step());
        }
        AtomicFiles.deleteStaleTemporaries(options.dir());
        AtomicFiles.deleteStaleTemporaries(options.dir().resolve(RunFiles.FRAMES));
        lastCheckpointStep = cp.step();
        options.log().accept("restarting from step " + cp.step() + " (t = " + cp.time() + ")");
    }

    private void fillMetrics(MetricsWriter m, String status, double wall) {
        m.put("status", status);
        m.put("settings", config);
        m.put("output_dir", options.dir().toAbsolutePath().toString());
        m.put("wall_seconds", wall);
        m.put("steps_taken", stepsTaken);
        m.put("ms_per_step", stepsTaken == 0 ? 0 : 1e3 * times.seconds("sim") / stepsTaken);
        m.put("stage_seconds", times.asSeconds());
        m.put("transfers", transfers); // the transfer ledger: empty on the cpu backend
        m.put("memory_map", memoryMap);
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
