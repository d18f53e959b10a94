package dev.eddy.sim.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.TestConfigs;
import dev.eddy.gpu.ContextOptions;
import dev.eddy.gpu.GpuException;
import dev.eddy.gpu.GpuTests;
import dev.eddy.gpu.GpuUnavailableException;
import dev.eddy.gpu.HostAllocationCounter;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.numerics.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** GPU faults and resource hygiene (issue 8) on lavapipe. */
@Tag("robustness")
class GpuResourceTest {

    @Test
    void oneAdvanceTakesAWholeRingOfStepsInOneSubmission() {
        GpuTests.needsDevice();
        var c = TestConfigs.withBackend(TestConfigs.les(32, Precision.FP32), "vulkan");
        try (GpuLes les = new GpuLes(c, GpuTests.options())) {
            // 1024 replays in one vkQueueSubmit: the submit info must not live on LWJGL's 64 KiB stack
            var info = les.advance(GpuLes.RING_CAPACITY, Double.POSITIVE_INFINITY);
            org.junit.jupiter.api.Assertions.assertEquals(GpuLes.RING_CAPACITY, les.stepCount());
            org.junit.jupiter.api.Assertions.assertTrue(Double.isFinite(info.maxSpeed()) && info.maxSpeed() > 0);
        }
    }

    @Test
    void aRunTooLargeForTheDeviceIsRefusedBeforeAllocatingAndSaysHowMuchItNeeds() {
        GpuTests.needsDevice();
        var c = TestConfigs.withBackend(TestConfigs.les(32768, Precision.FP64, 1e-4, 0.17, 1e-3, "heun"), "vulkan");
        var e = assertThrows(GpuException.class, () -> new GpuLes(c, GpuTests.options()).close());
        assertTrue(e.getMessage().contains("N = 32768 in fp64 needs") && e.getMessage().contains("GiB usable"), e.getMessage());
    }

    /**
     * A masked float64 is really absent: the device reports it absent, and a fp64 LES is refused before
     * it creates a single Vulkan object (the driver's allocation count does not move).
     */
    @Test
    void fp64OnADeviceWithoutFloat64IsRefusedBeforeAnyVulkanObjectIsMade() {
        GpuTests.needsDevice();
        var c = TestConfigs.withBackend(TestConfigs.les(32, Precision.FP64), "vulkan");
        var masked = new ContextOptions(System.getenv(GpuTests.TEST_DEVICE), false, java.util.Set.of(ContextOptions.FLOAT64));
        try (HostAllocationCounter counter = HostAllocationCounter.install()) {
            try (VulkanContext ctx = VulkanContext.open(masked)) {
                assertFalse(ctx.info().float64(), "a masked float64 is reported absent");
                assertFalse(ctx.supports(Precision.FP64));
                // the failed LES's close waits for the device, which costs the driver a few allocations of its own
                long before = counter.allocations();
                ctx.drain();
                long drain = counter.allocations() - before;
                before = counter.allocations();
                var e = assertThrows(GpuUnavailableException.class, () -> new GpuLes(c, dev.eddy.backend.Backend.Vulkan.on(ctx, 1)));
                assertEquals(before + drain, counter.allocations(), "Vulkan allocations made before the refusal");
                assertTrue(e.getMessage().contains("cannot run fp64 (float64 is masked"), e.getMessage());
                assertTrue(ctx.memoryMap().isEmpty() && ctx.ledger().snapshot().isEmpty(), "no buffer, no transfer");
            }
            assertEquals(0, counter.live());
        }
    }

    @Test
    void aBlowUpOnTheDeviceStopsTheRunAndKeepsTheLastCheckpoint(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        GpuTests.needsDevice();
        var base = TestConfigs.les(32, Precision.FP32, 0, 0, 2.0, "heun");
        var unstable = TestConfigs.withBackend(TestConfigs.withOutput(base, new dev.eddy.config.OutputSchedule(0, 1, 1),
                new dev.eddy.config.TimeControl(500, 0, 2.0, 0, "heun")), "vulkan");
        Path dir = tmp.resolve("run");
        var e = assertThrows(dev.eddy.sim.SimulationDivergedException.class,
                () -> new dev.eddy.run.LesRun(unstable, new dev.eddy.run.LesRun.Options(dir, false, dir.resolve("metrics.json"), s -> { })).run());
        assertTrue(e.getMessage().contains("smaller dt"), e.getMessage());
        var kept = dev.eddy.run.Checkpoint.read(dir);
        assertTrue(kept.step() <= e.step() && dev.eddy.sim.Diagnostics.allFinite(kept.state()),
                "checkpoint of step " + kept.step() + " must be finite and not after the blow-up at " + e.step());
        assertTrue(Files.readString(dir.resolve("metrics.json")).contains("\"status\" : \"diverged\""));
    }
}
