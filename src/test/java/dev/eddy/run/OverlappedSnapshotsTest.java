package dev.eddy.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.TestConfigs;
import dev.eddy.config.OutputSchedule;
import dev.eddy.config.RunConfig;
import dev.eddy.config.TimeControl;
import dev.eddy.gpu.GpuTests;
import dev.eddy.io.Json;
import dev.eddy.numerics.Precision;
import dev.eddy.store.RunFiles;
import dev.eddy.store.SnapshotStore;
import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Snapshots consumed on the writer thread while the next steps run give the same files, bit for bit,
 * as snapshots consumed before the run goes on, on every backend; on the GPU the state of a snapshot
 * step crosses once (the checkpoint at that step reuses the snapshot's copy).
 */
@Tag("gpu-parity")
class OverlappedSnapshotsTest {

    static RunConfig config(String backend, Precision p) {
        RunConfig c = TestConfigs.les(32, p, 1e-3, 0.17, 0.02, "heun");
        // snapshots every 3 steps (some at checkpoint steps: 30 is both), diagnostics every 2, checkpoints every 10
        c = TestConfigs.withOutput(c, new OutputSchedule(3, 2, 10), new TimeControl(31, 0, 0.02, 0.5, "heun"));
        return TestConfigs.withBackend(c, backend);
    }

    static JsonNode run(RunConfig c, Path dir, boolean overlap) throws Exception {
        new LesRun(c, new LesRun.Options(dir, false, dir.resolve("metrics.json"), s -> { })).overlapSnapshots(overlap).run();
        return Json.MAPPER.readTree(dir.resolve("metrics.json").toFile());
    }

    static long copies(JsonNode metrics, String stage) {
        long n = 0;
        for (JsonNode t : metrics.get("transfers")) {
            if (t.get("stage").asText().equals(stage)) {
                n += t.get("copies").asLong();
            }
        }
        return n;
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"cpu, FP64", "vulkan, FP64", "vulkan, FP32"})
    void overlappedSnapshotsAreTheSynchronousOnesBitForBit(String backend, Precision p, @TempDir Path tmp) throws Exception {
        if (backend.equals("vulkan")) {
            GpuTests.needsDevice();
        }
        RunConfig c = config(backend, p);
        Path sync = tmp.resolve("sync");
        Path overlapped = tmp.resolve("overlapped");
        JsonNode ms = run(c, sync, false);
        JsonNode mo = run(c, overlapped, true);

        var ra = SnapshotStore.open(sync);
        var rb = SnapshotStore.open(overlapped);
        List<Long> steps = ra.steps();
        assertEquals(List.of(0L, 3L, 6L, 9L, 12L, 15L, 18L, 21L, 24L, 27L, 30L), steps);
        assertEquals(steps, rb.steps());
        for (int s = 0; s < steps.size(); s++) {
            var a = ra.frame(s);
            var b = rb.frame(s);
            assertEquals(a.time(), b.time(), 0.0, "time of frame " + s);
            assertArrayEquals(a.omega(), b.omega(), 0.0, "ω of frame " + s);
            assertArrayEquals(a.spectrum(), b.spectrum(), 0.0, "spectrum of frame " + s);
        }
        assertArrayEquals(Checkpoint.read(sync).state(), Checkpoint.read(overlapped).state(), 0.0);
        assertTrue(mo.get("stage_seconds").has("snapshots"), mo.get("stage_seconds").toString());

        if (backend.equals("vulkan")) {
            // overlapped: one copy per snapshot; checkpoints read the state only where no snapshot was taken (10, 20, the end at 31)
            assertEquals(steps.size(), copies(mo, "snapshot"), mo.get("transfers").toString());
            assertEquals(3, copies(mo, "state"), mo.get("transfers").toString());
            // synchronous: every read goes through the synchronous path, still once per state
            assertEquals(0, copies(ms, "snapshot"));
            assertEquals(steps.size() + 3, copies(ms, "state"), ms.get("transfers").toString());
        } else {
            assertTrue(mo.get("transfers").isEmpty());
        }
        assertTrue(Files.isRegularFile(overlapped.resolve("checkpoint.bin")));
    }
}
