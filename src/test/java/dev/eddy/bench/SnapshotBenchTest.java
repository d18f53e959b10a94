package dev.eddy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.cli.CliTestAccess;
import dev.eddy.cli.ExitCodes;
import dev.eddy.gpu.GpuTests;
import dev.eddy.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eddy bench --snapshot-every}: runs on lavapipe and records the fields the H100 run is read by (the timings mean nothing here). */
@Tag("gpu-parity")
class SnapshotBenchTest {
    @Test
    void theSnapshotModeRecordsSyncAndOverlappedTimes(@TempDir Path tmp) throws Exception {
        GpuTests.needsDevice();
        var o = CliTestAccess.eddy("bench", "--backend", "vulkan", "--sizes", "32", "--precisions", "fp32", "--steps", "6",
                "--warmup", "0", "--repeats", "1", "--snapshot-every", "3", "--out", tmp.toString(), "--report",
                tmp.resolve("report").toString());
        assertEquals(ExitCodes.OK, o.code(), o.err());
        Path json;
        try (var files = Files.list(tmp)) {
            json = files.filter(f -> f.toString().endsWith("-vulkan.json")).findFirst().orElseThrow();
        }
        JsonNode doc = Json.MAPPER.readTree(json.toFile());
        // the device is named, so the benchmark report tells two GPUs behind the same kind of host apart
        String device = doc.get("device").get("name").asText();
        assertTrue(!device.isBlank());
        assertTrue(Files.readString(tmp.resolve("report").resolve("report.md")).contains(device), "the report names " + device);
        JsonNode r = doc.get("results").get(0);
        assertEquals(3, r.get("snapshot_every").asInt());
        assertEquals(6, r.get("snapshot_steps_per_round").asInt());
        for (String k : new String[] {"ms_per_step_plain", "ms_per_step_sync", "ms_per_step_overlapped", "writer_ms_per_snapshot"}) {
            assertTrue(r.get(k).asDouble() > 0, k + " = " + r.get(k));
        }
        assertTrue(r.has("hidden_ms_per_snapshot") && r.get("finite").asBoolean(), r.toString());
    }

    @Test
    void aSnapshotIntervalLongerThanTheTimedStepsIsAUsageError(@TempDir Path tmp) {
        var o = CliTestAccess.eddy("bench", "--sizes", "32", "--steps", "4", "--snapshot-every", "5", "--out", tmp.toString());
        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("--snapshot-every"), o.err());
    }
}
