package dev.eddy.gpu.kernels;

import static org.junit.jupiter.api.Assertions.*;

import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.GpuTests;
import dev.eddy.gpu.StepProgram;
import dev.eddy.numerics.Precision;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** copy_columns.comp against its Java twin CopyColumns.apply, and its range checks. */
@Tag("gpu-parity")
class CopyColumnsParityTest extends dev.eddy.gpu.GpuContextTest {
    @ParameterizedTest
    @EnumSource(Precision.class)
    void copiesTheSameRealsAsTheJavaTwin(Precision p) {
        GpuTests.needs(ctx, p);
        double[] src = new Random(5).doubles(700, -1, 1).toArray();
        double[] dst = new Random(6).doubles(900, -1, 1).toArray();
        if (p == Precision.FP32) { // the twin sees the values the float32 buffers hold
            for (int i = 0; i < src.length; i++) {
                src[i] = (float) src[i];
            }
            for (int i = 0; i < dst.length; i++) {
                dst[i] = (float) dst[i];
            }
        }
        try (DeviceBuffer s = new DeviceBuffer(ctx, "copy.src", (long) src.length * p.bytes(), "test", DeviceBuffer.Movement.ONCE_AT_START);
             DeviceBuffer t = new DeviceBuffer(ctx, "copy.dst", (long) dst.length * p.bytes(), "test", DeviceBuffer.Movement.ON_DEMAND);
             ComputeKernel k = CopyColumns.gpu(ctx, p)) {
            ctx.staging().uploadReals(s, src, p, "test");
            ctx.staging().uploadReals(t, dst, p, "test");
            ComputeKernel.Binding b = k.bind(s, t);
            StepProgram.Builder builder = StepProgram.builder(ctx, "copy-test");
            CopyColumns.record(builder, b, s, 37, t, 300, 513); // 513: not a multiple of the workgroup
            try (StepProgram program = builder.freeze()) {
                program.run();
            }
            double[] got = new double[dst.length];
            ctx.staging().downloadReals(t, got, p, "test");
            CopyColumns.apply(src, 37, dst, 300, 513);
            assertArrayEquals(dst, got, "the copy and everything around it");
            assertThrows(IllegalArgumentException.class, () -> CopyColumns.record(StepProgram.builder(ctx, "x"), b, s, 200, t, 0, 501),
                    "source range past the end");
            assertThrows(IllegalArgumentException.class, () -> CopyColumns.record(StepProgram.builder(ctx, "x"), b, s, 0, t, 400, 501),
                    "destination range past the end");
        }
    }
}
