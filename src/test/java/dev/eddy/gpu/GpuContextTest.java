package dev.eddy.gpu;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the GPU tests that share one Vulkan context per class (skipped where there is no Vulkan). */
public abstract class GpuContextTest {
    protected static VulkanContext ctx;

    @BeforeAll
    static void openContext() {
        ctx = GpuTests.context();
    }

    @AfterAll
    static void closeContext() {
        if (ctx != null) {
            ctx.close();
            ctx = null;
        }
    }
}
