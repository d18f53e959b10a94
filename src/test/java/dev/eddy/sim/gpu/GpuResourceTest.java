package dev.eddy.sim.gpu;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.TestConfigs;
import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.ContextOptions;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.GpuException;
import dev.eddy.gpu.GpuTests;
import dev.eddy.gpu.VulkanContext;
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

    /** Resident memory of this process in KiB (Linux). */
    static long rssKiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    @Test
    void twoHundredContextsOpenAndCloseWithoutLeaking() throws Exception {
        GpuTests.contextOrSkip().close();
        long after20 = 0;
        for (int i = 0; i < 200; i++) {
            try (VulkanContext ctx = VulkanContext.open(ContextOptions.withDevice(System.getenv("EDDY_TEST_DEVICE")));
                 DeviceBuffer b = new DeviceBuffer(ctx, "probe", 1 << 20, "test", DeviceBuffer.Movement.NEVER);
                 ComputeKernel k = new ComputeKernel(ctx, "les_spectral_fields", Precision.FP32, 2, Push.size(Precision.FP32, 1, 3))) {
                k.bind(b, b);
            }
            if (i == 19) {
                System.gc();
                after20 = rssKiB();
            }
        }
        System.gc();
        long grown = rssKiB() - after20;
        // 180 further cycles, each creating an instance, a device, a 1 MiB buffer and a pipeline: a leak of
        // any of them would grow the process by > 180 MiB; allow 48 MiB for allocator and JIT noise.
        assertTrue(grown < 48 * 1024, "resident memory grew by " + grown + " KiB over 180 context cycles");
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
