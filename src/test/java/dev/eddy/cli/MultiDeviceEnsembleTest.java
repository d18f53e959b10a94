package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.gpu.GpuTests;
import dev.eddy.io.Json;
import dev.eddy.store.EnsembleCheckpoint;
import dev.eddy.store.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ensemble over several devices, on lavapipe: two contexts on its one device ({@code --devices 0,0
 * --allow-device-repeat}) advanced at the same time, one thread each, write the store of one device,
 * byte for byte; and the refusals of --devices.
 */
@Tag("gpu-parity")
class MultiDeviceEnsembleTest {
    /** Five members (two on the first context, three on the second) of N = 32 in fp32. */
    static final String[] CASE = {"ensemble", "--n", "32", "--kp", "4", "--seeds", "1..5", "--snapshot-every", "10", "--diag-every", "5",
            "--steps", "30", "--checkpoint-every", "20", "--backend", "vulkan", "--precision", "fp32", "--no-report", "--quiet"};

    @Test
    void twoContextsWriteTheStoreOfOneDevice(@TempDir Path tmp) throws Exception {
        GpuTests.needsDevice();
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        var a = CliTest.eddy(EnsembleCliTest.args(CASE, "--out", one.toString()));
        assertEquals(ExitCodes.OK, a.code(), a.err());
        var b = CliTest.eddy(EnsembleCliTest.args(CASE, "--out", two.toString(), "--devices", "0,0", "--allow-device-repeat", "--log-metrics"));
        assertEquals(ExitCodes.OK, b.code(), b.err());
        for (String file : List.of(RunFiles.ENSEMBLE, RunFiles.ENSEMBLE_CHECKPOINT, RunFiles.ENSEMBLE_CONFIG)) {
            SameBytes.assertSame(one, two, file);
        }
        assertEquals(30, EnsembleCheckpoint.read(two).step());
        JsonNode metrics = Json.MAPPER.readTree(two.resolve(RunFiles.METRICS).toFile());
        Set<Integer> devices = new TreeSet<>();
        metrics.get("memory_map").forEach(row -> devices.add(row.get("device").asInt()));
        assertEquals(Set.of(0, 1), devices, "each context holds its share of the members' buffers");
    }

    @Test
    void badDeviceListsAreRefusedInOneLine(@TempDir Path tmp) {
        GpuTests.needsDevice();
        String out = tmp.resolve("e").toString();
        assertRefused(ExitCodes.USAGE, "names device 0 twice", "--out", out, "--devices", "0,0");
        assertRefused(ExitCodes.RUNTIME, "no Vulkan device matches '9'", "--out", out, "--devices", "0,9");
        assertRefused(ExitCodes.USAGE, "--devices takes all or device indices", "--out", out, "--devices", "first");
        assertRefused(ExitCodes.USAGE, "give --device or --devices, not both", "--out", out, "--devices", "all", "--device", "0");
        assertRefused(ExitCodes.USAGE, "a shared dt needs every member in one device state", "--out", out, "--devices", "0,0",
                "--allow-device-repeat", "--shared-dt");
        assertRefused(ExitCodes.USAGE, "--allow-device-repeat goes with --devices", "--out", out, "--allow-device-repeat");
        var cpu = CliTest.eddy("ensemble", "--n", "32", "--seeds", "1..2", "--steps", "2", "--out", out, "--devices", "all", "--quiet");
        assertEquals(ExitCodes.USAGE, cpu.code(), cpu.err());
        assertTrue(cpu.err().contains("give --backend vulkan"), cpu.err());
    }

    private static void assertRefused(int code, String says, String... more) {
        var r = CliTest.eddy(EnsembleCliTest.args(CASE, more));
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().contains(says), r.err());
        assertEquals(1, r.err().strip().lines().filter(l -> l.startsWith("eddy:")).count(), "one line: " + r.err());
    }
}
