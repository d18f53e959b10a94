package dev.eddy.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.gpu.kernels.Scale;
import dev.eddy.numerics.Precision;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** After a (injected) device loss the context submits nothing more, and closing still releases everything. */
@Tag("robustness")
class DeviceLostTest {

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aLostContextRefusesFurtherWorkAndClosesCompletely() {
        GpuTests.needsDevice();
        String before = System.setProperty(FaultInjection.PROPERTY, "device-lost@2:probe");
        try (HostAllocationCounter counter = HostAllocationCounter.install()) {
            try (VulkanContext ctx = VulkanContext.open(GpuTests.options());
                 DeviceBuffer x = new DeviceBuffer(ctx, "x", 4096, "test", DeviceBuffer.Movement.ON_DEMAND);
                 ComputeKernel k = Scale.gpu(ctx, Precision.FP32)) {
                StepProgram.Builder b = StepProgram.builder(ctx, "probe");
                Scale.record(b, k, k.bind(x), 1024, 2.0);
                try (StepProgram program = b.freeze()) {
                    program.run();
                    var e = assertThrows(GpuDeviceLostException.class, program::run);
                    assertTrue(e.getMessage().startsWith("the GPU '" + ctx.info().name() + "' was lost during vkWaitForFences(probe)"),
                            e.getMessage());
                    assertTrue(ctx.lost());
                    var again = assertThrows(GpuDeviceLostException.class,
                            () -> ctx.staging().uploadReals(x, new double[4], Precision.FP32, "test"));
                    assertTrue(again.getMessage().startsWith("not attempting upload to 'x': the GPU '"), again.getMessage());
                    assertThrows(GpuDeviceLostException.class, program::run);
                    assertEquals(1, program.runs(), "the lost run is not counted");
                }
            }
            assertEquals(0, counter.live(), "closing a lost context released every Vulkan object");
        } finally {
            if (before == null) {
                System.clearProperty(FaultInjection.PROPERTY);
            } else {
                System.setProperty(FaultInjection.PROPERTY, before);
            }
        }
    }
}
