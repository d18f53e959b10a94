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
}
