package dev.eddy.gpu;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.opentest4j.TestAbortedException;

/**
 * Base of the GPU tests that share one Vulkan context per class. Where there is no Vulkan, each test is
 * skipped with the reason (not the class as a whole, which Maven would count as zero tests run); with
 * EDDY_REQUIRE_GPU=1 the class fails (see {@link GpuTests}).
 */
public abstract class GpuContextTest {
    protected static VulkanContext ctx;
    private static String skipped;

    @BeforeAll
    static void openContext() {
        try {
            ctx = GpuTests.context();
            skipped = null;
        } catch (TestAbortedException e) {
            skipped = e.getMessage();
        }
    }

    @BeforeEach
    void skipWithoutContext() {
        Assumptions.assumeTrue(skipped == null, () -> skipped);
    }

    @AfterAll
    static void closeContext() {
        if (ctx != null) {
            ctx.close();
            ctx = null;
        }
    }
}
