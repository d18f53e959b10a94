package dev.eddy.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.gpu.kernels.Scale;
import dev.eddy.numerics.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 8: 200 GPU contexts opened and closed in one process leak nothing. Each cycle does what a run
 * does with a context — a device buffer, a compute pipeline and its descriptor set, a VkFFT plan, a
 * recorded program with a timestamp and a read-back, a staging upload, a submission — and closes it.
 * Two measures: the driver's live host allocations (exact: every Vulkan object the loader or lavapipe
 * made for the instance, counted through {@link HostAllocationCounter}) must be back to 0 after every
 * cycle; and the process's resident memory, which also sees what bypasses the callbacks (VkFFT's
 * mallocs, LLVM's compiled pipelines, the 1 MiB buffer's storage), must stay flat after warm-up.
 */
@Tag("robustness")
class ContextLeakTest {

    /** Resident memory of this process in KiB (Linux). */
    static long rssKiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    /** One context's life; returns the driver's live allocations while it was open. */
    private static long cycle(HostAllocationCounter counter, Path planCache) {
        int n = 16;
        try (VulkanContext ctx = VulkanContext.open(GpuTests.options());
             DeviceBuffer x = new DeviceBuffer(ctx, "probe", 1 << 20, "test", DeviceBuffer.Movement.ON_DEMAND);
             DeviceBuffer fields = new DeviceBuffer(ctx, "fft", VkFftPlan.requiredBytes(n, n, 1, Precision.FP32), "test",
                     DeviceBuffer.Movement.NEVER);
             ComputeKernel k = Scale.gpu(ctx, Precision.FP32);
             FftPlans plans = new FftPlans(ctx, planCache)) {
            ctx.staging().uploadReals(x, new double[256], Precision.FP32, "test");
            StepProgram.Builder b = StepProgram.builder(ctx, "leak-probe");
            if (ctx.timestampValidBits() > 0) {
                b.timestamp();
            }
            Scale.record(b, k, k.bind(x), 256, 2.0);
            b.fft(plans.plan(fields, n, n, 1, Precision.FP32), VkFftPlan.FORWARD);
            b.readBack(x, 0, 1024, "test");
            try (StepProgram program = b.freeze()) {
                program.run();
            }
            return counter.live();
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void twoHundredContextsOpenAndCloseWithoutLeaking(@org.junit.jupiter.api.io.TempDir Path planCache) throws Exception {
        GpuTests.needsDevice();
        long rssAfterWarmUp = 0;
        try (HostAllocationCounter counter = HostAllocationCounter.install()) {
            for (int i = 0; i < 200; i++) {
                long whileOpen = cycle(counter, planCache);
                // the counter must see the context's objects, or a 0 below would prove nothing
                assertTrue(whileOpen > 10, "only " + whileOpen + " host allocations counted while a context was open");
                assertEquals(0, counter.live(), "cycle " + i + ": " + counter.live() + " driver host allocations ("
                        + counter.liveBytes() + " bytes) outlived their context");
                if (i == 19) {
                    System.gc();
                    rssAfterWarmUp = rssKiB();
                }
            }
        }
        System.gc();
        long grown = rssKiB() - rssAfterWarmUp;
        // 180 cycles after warm-up, each with an instance, a device, 1 MiB + a few KiB of buffers, a pipeline
        // and an FFT plan: a leak of the 1 MiB buffer alone would add 180 MiB; 48 MiB is allocator and JIT noise
        assertTrue(grown < 48 * 1024, "resident memory grew by " + grown + " KiB over 180 context cycles");
    }
}
