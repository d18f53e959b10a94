package dev.eddy.gpu;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** Opens a Vulkan context for a test, or skips the test (only) when this machine has no Vulkan. */
public final class GpuTests {
    private GpuTests() {
    }

    public static VulkanContext contextOrSkip() {
        try {
            return VulkanContext.open(ContextOptions.withDevice(System.getenv("EDDY_TEST_DEVICE")));
        } catch (GpuUnavailableException e) {
            Assumptions.abort("no Vulkan device, GPU test skipped: " + e.getMessage());
            throw e;
        }
    }

    /** A plan cache shared by the test runs of this checkout (kept under target/, so mvn clean empties it). */
    public static FftPlans plans(VulkanContext ctx) {
        return new FftPlans(ctx, Path.of("target", "vkfft-test-cache"));
    }
}
