package dev.eddy.gpu;

import static org.junit.jupiter.api.Assertions.*;

import dev.eddy.numerics.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans are cached in memory per run and their kernels on disk, keyed with batch; a second run loads them. */
@Tag("gpu-parity")
class FftPlanCacheTest extends GpuContextTest {
    @Test
    void secondRunLoadsKernelsFromDisk(@TempDir Path dir) throws Exception {
        int nx = 128;
        int ny = 128;
        Precision p = Precision.FP32;
        long bytes = VkFftPlan.requiredBytes(nx, ny, 2, p);
        try (DeviceBuffer buf = new DeviceBuffer(ctx, "fft.fields", bytes, "test", DeviceBuffer.Movement.NEVER)) {
            double compiled;
            double loaded;
            double uncached;
            try (FftPlans plans = new FftPlans(ctx, null)) {
                VkFftPlan plan = plans.plan(buf, nx, ny, 2, p);
                assertFalse(plan.loadedFromCache());
                uncached = plan.createMillis();
            }
            try (FftPlans plans = new FftPlans(ctx, dir)) {
                VkFftPlan plan = plans.plan(buf, nx, ny, 2, p);
                assertFalse(plan.loadedFromCache(), "an empty cache compiles");
                assertSame(plan, plans.plan(buf, nx, ny, 2, p), "in-memory cache: same plan for the same buffer and shape");
                compiled = plan.createMillis();
            }
            try (var files = Files.list(dir)) {
                String name = files.map(f -> f.getFileName().toString()).findFirst().orElseThrow();
                assertTrue(name.contains("128x128-b2-fp32"), name);
            }
            try (FftPlans plans = new FftPlans(ctx, dir)) {
                VkFftPlan plan = plans.plan(buf, nx, ny, 2, p);
                assertTrue(plan.loadedFromCache(), "the second run loads from disk");
                loaded = plan.createMillis();
                VkFftPlan other = plans.plan(buf, nx, ny, 1, p);
                assertFalse(other.loadedFromCache(), "another batch is another cache file");
            }
            System.out.printf(Locale.ROOT, "plan 128x128 b2 fp32: no disk cache %.0f ms, compile+save %.0f ms, load %.0f ms%n",
                    uncached, compiled, loaded);
        }
    }
}
