package dev.eddy.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.eddy.config.ConfigException;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.BinaryRecord;
import dev.eddy.io.CorruptFileException;
import dev.eddy.io.Json;
import dev.eddy.sim.Simulation;
import dev.eddy.store.RunFiles;
import dev.eddy.store.ZarrStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A pipeline directory's state between starts: its settings ({@code pipeline.json}), the stage
 * checkpoints under {@code stages/} and the {@code DONE} mark. A pipeline that was killed, failed or
 * interrupted leaves no DONE: started again with the same settings, it resumes from its stage checkpoints
 * (the spin-up state and the frozen step: the spin-up is not run again; after the training window,
 * {@link WindowCheckpoint}: neither is the window); with other settings it starts
 * again in place. Either way it says so. A finished pipeline's directory is refused.
 */
final class PipelineStages {
    static final String SPINUP = "spinup.ckpt";
    static final String MAGIC = "EDDYSPIN";

    /** The state at the end of the spin-up and the step frozen from it. */
    record Spinup(long step, double time, double frozenDt, double[] state) {
    }

    record SpinupHeader(long step, double time, double frozenDt) {
    }

    private final Path dir;
    private final Consumer<String> log;
    private final boolean resumable;

    private PipelineStages(Path dir, Consumer<String> log, boolean resumable) {
        this.dir = dir;
        this.log = log;
        this.resumable = resumable;
    }

    /** Refuses an output path that is a file, a finished pipeline, or a non-empty directory that is no pipeline. */
    static void check(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException("output path " + dir + " is a file, not a directory");
        }
        if (!Files.isDirectory(dir)) {
            return;
        }
        if (Files.exists(dir.resolve(RunFiles.PIPELINE_DONE))) {
            throw new ConfigException("output directory " + dir + " holds a finished pipeline: choose a new --out");
        }
        if (Files.exists(dir.resolve(RunFiles.PIPELINE_SETTINGS))) {
            return; // an incomplete pipeline: resumed or started again in place
        }
        try (var entries = Files.list(dir)) {
            if (entries.anyMatch(p -> !p.getFileName().toString().equals(RunFiles.LOCK))) {
                throw new ConfigException("output directory " + dir + " is not empty: choose a new --out");
            }
        }
    }

    /** Takes over the directory (the caller holds its lock): resumable with these settings, or cleared. */
    static PipelineStages open(Path dir, PipelineSettings settings, Consumer<String> log) throws IOException {
        check(dir);
        Files.createDirectories(dir);
        Path saved = dir.resolve(RunFiles.PIPELINE_SETTINGS);
        String json = Json.write(settings);
        boolean resumable = false;
        if (Files.exists(saved)) {
            if (Files.readString(saved).equals(json)) {
                resumable = true;
                log.accept(dir + " holds this pipeline, stopped before it finished: resuming from its stage checkpoints");
            } else {
                log.accept(dir + " holds an unfinished pipeline with other settings: starting again in place");
            }
        }
        if (!resumable) {
            ZarrStore.deleteTree(dir.resolve(RunFiles.PIPELINE_STAGES));
            ZarrStore.deleteTree(dir.resolve(RunFiles.PICTURES));
            for (String f : new String[] {RunFiles.HORIZON_CSV, RunFiles.ROM, RunFiles.METRICS, RunFiles.REPORT_HTML, RunFiles.REPORT_MD}) {
                Files.deleteIfExists(dir.resolve(f));
            }
        }
        AtomicFiles.deleteStaleTemporaries(dir);
        AtomicFiles.deleteStaleTemporaries(dir.resolve(RunFiles.PIPELINE_STAGES));
        AtomicFiles.writeString(saved, json);
        Files.createDirectories(dir.resolve(RunFiles.PIPELINE_STAGES));
        return new PipelineStages(dir, log, resumable);
    }

    /** The spin-up's checkpoint, or null when the spin-up must run. */
    Spinup spinup() throws IOException {
        Path f = dir.resolve(RunFiles.PIPELINE_STAGES).resolve(SPINUP);
        if (!resumable || !Files.exists(f)) {
            return null;
        }
        BinaryRecord.Content c = BinaryRecord.read(f, MAGIC);
        SpinupHeader h;
        try {
            h = Json.MAPPER.readValue(c.header(), SpinupHeader.class);
        } catch (JsonProcessingException e) {
            throw new CorruptFileException(f, "unreadable header: " + e.getOriginalMessage());
        }
        log.accept("spin-up: taken from " + RunFiles.PIPELINE_STAGES + "/" + SPINUP + " (step " + h.step() + ", frozen dt "
                + h.frozenDt() + ")");
        return new Spinup(h.step(), h.time(), h.frozenDt(), c.values());
    }

    void saveSpinup(Simulation sim, double frozenDt, int realBytes) throws IOException {
        BinaryRecord.write(dir.resolve(RunFiles.PIPELINE_STAGES).resolve(SPINUP), MAGIC,
                Json.write(new SpinupHeader(sim.stepCount(), sim.time(), frozenDt)), realBytes, sim.spectralState());
        dev.eddy.io.FaultPoints.reach("pipeline-stage:spinup");
    }

    /**
     * The training window's checkpoint, or null when the window must run: none, or one refused as corrupt
     * (said in the log, and the spin-up checkpoint is then the one taken).
     */
    WindowCheckpoint window(int realBytes) {
        Path f = dir.resolve(RunFiles.PIPELINE_STAGES).resolve(WindowCheckpoint.FILE);
        if (!resumable || !Files.exists(f)) {
            return null;
        }
        try {
            WindowCheckpoint w = WindowCheckpoint.read(f, realBytes);
            log.accept(String.format(java.util.Locale.ROOT, "training window: taken from %s/%s (%s; LES step %d, %d latents of d = %d):"
                    + " resuming from the training window checkpoint, the spin-up and the window are not run again",
                    RunFiles.PIPELINE_STAGES, WindowCheckpoint.FILE, bytes(Files.size(f)), w.header().step(), w.header().columns(),
                    w.header().d()));
            return w;
        } catch (IOException e) {
            String why = e instanceof CorruptFileException ? "corrupt file: " + e.getMessage() : e.getClass().getSimpleName() + ": "
                    + e.getMessage();
            log.accept("training window checkpoint refused (" + why + "): falling back to the spin-up checkpoint");
            return null;
        }
    }

    /**
     * Writes the training window's checkpoint, unless the disk has not room for it (then it says so and the
     * pipeline goes on: a kill after the window would resume from the spin-up).
     */
    void saveWindow(WindowCheckpoint.Header h, double[] state, double[] latents, dev.eddy.codec.SnapshotCodec.Code last,
                    int realBytes) throws IOException {
        Path stagesDir = dir.resolve(RunFiles.PIPELINE_STAGES);
        long estimate = WindowCheckpoint.reals(state.length, h.d(), h.columns(), last.alpha().length, last.packed().length) * realBytes
                + 64 + 24L * h.band().length;
        long free = Files.getFileStore(stagesDir).getUsableSpace();
        if (free < estimate) {
            log.accept(String.format(java.util.Locale.ROOT, "training window checkpoint NOT written: it needs about %s and %s has %s free;"
                    + " a pipeline stopped from here on resumes from the spin-up", bytes(estimate), stagesDir, bytes(free)));
            return;
        }
        long size = WindowCheckpoint.write(stagesDir.resolve(WindowCheckpoint.FILE), h, state, latents, last, realBytes);
        log.accept(String.format(java.util.Locale.ROOT, "training window checkpoint: %s/%s, %s (LES state %d reals, latents %d×%d,"
                + " the last code, residual products %d×%d)", RunFiles.PIPELINE_STAGES, WindowCheckpoint.FILE, bytes(size),
                state.length, h.d(), h.columns(), h.columns(), h.maxLag() + 1));
        dev.eddy.io.FaultPoints.reach("pipeline-stage:window-saved");
    }

    private static String bytes(long b) {
        return b < 1 << 20 ? String.format(java.util.Locale.ROOT, "%.1f KiB", b / 1024.0)
                : String.format(java.util.Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024.0));
    }

    /** Marks the pipeline finished: its directory is then refused as an --out. */
    void done() throws IOException {
        AtomicFiles.writeString(dir.resolve(RunFiles.PIPELINE_DONE), "finished\n");
    }
}
