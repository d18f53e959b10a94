package dev.eddy.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.config.ConfigException;
import dev.eddy.config.RunConfig;
import dev.eddy.io.CorruptFileException;
import dev.eddy.io.Json;
import dev.eddy.sim.DiagnosticSample;
import dev.eddy.store.RunFiles;
import dev.eddy.store.SnapshotStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a report is made from: a run directory's settings, diagnostics and snapshots (from its store)
 * and (when the run logged them) metrics. At the end of {@code eddy run} the metrics come from memory;
 * {@code eddy report} reads them from {@code metrics.json}, and without that file says that stage
 * timings were not recorded.
 *
 * @param metrics the metrics JSON tree, or null when the run did not log metrics
 */
public record RunRecord(Path dir, RunConfig config, JsonNode metrics, List<DiagnosticSample> diagnostics,
                        List<Long> frameSteps) {

    public static RunRecord load(Path dir, Path metricsFile) throws IOException {
        Path cfg = dir.resolve(RunFiles.CONFIG);
        if (!Files.isRegularFile(cfg)) {
            throw new java.nio.file.NoSuchFileException(cfg + " (is " + dir + " an Eddy run directory?)");
        }
        RunConfig config;
        try {
            config = Json.MAPPER.readValue(cfg.toFile(), RunConfig.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CorruptFileException(cfg, "unreadable settings: " + e.getOriginalMessage());
        }
        if (Files.exists(dir.resolve(RunFiles.PIPELINE_SETTINGS))) {
            throw new ConfigException(dir + " is a pipeline directory: its report (report.html) is made by eddy pipeline itself;"
                    + " eddy report reads run directories (eddy run --out)");
        }
        JsonNode metrics = null;
        if (metricsFile != null && Files.isRegularFile(metricsFile)) {
            try {
                metrics = Json.MAPPER.readTree(metricsFile.toFile());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new CorruptFileException(metricsFile, "not valid JSON (" + e.getOriginalMessage()
                        + "); move it away to make the report without it");
            }
            if (metrics == null || !metrics.isObject()) {
                throw new CorruptFileException(metricsFile, "is not a metrics JSON object");
            }
        }
        if (!Files.isDirectory(dir.resolve(RunFiles.SNAPSHOTS))) {
            throw new java.nio.file.NoSuchFileException(dir.resolve(RunFiles.SNAPSHOTS) + " (the run has not written its store yet)");
        }
        SnapshotStore.Reader store = SnapshotStore.open(dir);
        return new RunRecord(dir, config, metrics, store.diagnostics(), store.steps());
    }

    public double[] series(java.util.function.ToDoubleFunction<DiagnosticSample> f) {
        return diagnostics.stream().mapToDouble(f).toArray();
    }
}
