package dev.eddy.sim.gpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.TestConfigs;
import dev.eddy.gpu.ContextOptions;
import dev.eddy.gpu.GpuException;
import dev.eddy.gpu.GpuTests;
import dev.eddy.sim.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** GPU faults and resource hygiene (issue 8) on lavapipe. */
class GpuResourceTest {

    @Test
    void aRunTooLargeForTheDeviceIsRefusedBeforeAllocatingAndSaysHowMuchItNeeds() {
        GpuTests.contextOrSkip().close();
        var c = TestConfigs.withBackend(TestConfigs.les(32768, Precision.FP64, 1e-4, 0.17, 1e-3, "heun"), "vulkan");
        var e = assertThrows(GpuException.class, () -> new GpuLes(c, ContextOptions.withDevice(System.getenv("EDDY_TEST_DEVICE"))).close());
        assertTrue(e.getMessage().contains("N = 32768 in fp64 needs") && e.getMessage().contains("GiB usable"), e.getMessage());
    }

    @Test
    void aBlowUpOnTheDeviceStopsTheRunAndKeepsTheLastCheckpoint(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        GpuTests.contextOrSkip().close();
        var base = TestConfigs.les(32, Precision.FP32, 0, 0, 2.0, "heun");
        var unstable = TestConfigs.withBackend(TestConfigs.withOutput(base, new dev.eddy.config.OutputSchedule(0, 1, 1),
                new dev.eddy.config.TimeControl(500, 0, 2.0, 0, "heun")), "vulkan");
        Path dir = tmp.resolve("run");
        var e = assertThrows(dev.eddy.sim.SimulationDivergedException.class,
                () -> new dev.eddy.run.LesRun(unstable, new dev.eddy.run.LesRun.Options(dir, false, dir.resolve("metrics.json"), s -> { })).run());
        assertTrue(e.getMessage().contains("smaller dt"), e.getMessage());
        var kept = dev.eddy.io.Checkpoint.read(dir);
        assertTrue(kept.step() <= e.step() && dev.eddy.sim.Diagnostics.allFinite(kept.state()),
                "checkpoint of step " + kept.step() + " must be finite and not after the blow-up at " + e.step());
        assertTrue(Files.readString(dir.resolve("metrics.json")).contains("\"status\" : \"diverged\""));
    }
}
