package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.gpu.GpuTests;
import dev.eddy.io.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eddy compare}: a backend against itself is exact; cpu against vulkan (lavapipe) agrees to round-off in fp64. */
@Tag("gpu-parity")
class CompareCommandTest {
    @Test
    void cpuAgainstVulkanAgreesToRoundOffInFloat64(@TempDir Path tmp) throws Exception {
        GpuTests.needsDevice();
        Path report = tmp.resolve("compare.json");
        var o = CliTest.eddy("compare", "--backends", "cpu,vulkan", "--n", "32", "--kp", "4", "--steps", "40", "--every", "20",
                "--precision", "fp64", "--out", report.toString());
        assertEquals(0, o.code(), o.err());
        JsonNode rows = Json.MAPPER.readTree(report.toFile()).get("snapshots");
        assertEquals(2, rows.size());
        for (JsonNode r : rows) {
            assertTrue(r.get("rel_l2").asDouble() < 1e-12, r.toString());
            assertTrue(r.get("correlation").asDouble() > 1 - 1e-12, r.toString());
        }
    }

    @Test
    void aBackendAgainstItselfIsExactAndBadUsageExitsTwo(@TempDir Path tmp) throws Exception {
        Path report = tmp.resolve("self.json");
        var o = CliTest.eddy("compare", "--backends", "cpu,cpu", "--n", "32", "--kp", "4", "--steps", "10", "--every", "5",
                "--out", report.toString());
        assertEquals(0, o.code(), o.err());
        for (JsonNode r : Json.MAPPER.readTree(report.toFile()).get("snapshots")) {
            assertEquals(0.0, r.get("rel_l2").asDouble(), 0.0);
        }
        assertEquals(ExitCodes.USAGE, CliTest.eddy("compare", "--backends", "cpu").code());
        assertEquals(ExitCodes.USAGE, CliTest.eddy("compare", "--every", "0").code());
    }
}
