package dev.eddy.store;

import dev.eddy.io.Json;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.Versions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metrics JSON of a run ({@code --log-metrics}): settings, status, per-stage timings, transfer
 * ledger, accuracy figures and diagnostics series, with the software and machine it ran on. Stages
 * add their own sections; the file is rewritten atomically each time it is saved.
 */
public final class MetricsWriter {
    private final Path file;
    private final Map<String, Object> root = new LinkedHashMap<>();

    public MetricsWriter(Path file, String command) {
        this.file = file;
        root.put("schema", "eddy-metrics/1");
        root.put("command", command);
        root.put("started", Instant.now().toString());
        root.put("software", Versions.software());
        root.put("machine", Versions.machine());
    }

    public MetricsWriter put(String key, Object value) {
        root.put(key, value);
        return this;
    }

    /** The content so far, as a JSON tree (what the report reads when it is made at the end of a run). */
    public com.fasterxml.jackson.databind.JsonNode tree() {
        return Json.MAPPER.valueToTree(root);
    }

    /** Where {@link #save} writes, or null for metrics that are only kept in memory. */
    public Path file() {
        return file;
    }

    public void save() throws IOException {
        if (file == null) {
            throw new IllegalStateException("these metrics have no file to be saved to");
        }
        root.put("written", Instant.now().toString());
        AtomicFiles.writeString(file, Json.write(root));
    }
}
