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
 * (the spin-up state and the frozen step: the spin-up is not run again); with other settings it starts
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

    /** Marks the pipeline finished: its directory is then refused as an --out. */
    void done() throws IOException {
        AtomicFiles.writeString(dir.resolve(RunFiles.PIPELINE_DONE), "finished\n");
    }
}
