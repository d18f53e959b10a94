package dev.eddy.gpu.kernels;

import static org.junit.jupiter.api.Assertions.*;

import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.GpuTests;
import dev.eddy.gpu.RealBuffers;
import dev.eddy.gpu.StepProgram;
import dev.eddy.gpu.TransferLedger;
import dev.eddy.numerics.Precision;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** scale.comp against its Java twin Scale.apply, through the whole path: pipeline, push constants, replay, ledger. */
@Tag("gpu-parity")
class ScaleParityTest extends dev.eddy.gpu.GpuContextTest {
    @ParameterizedTest
    @EnumSource(Precision.class)
    void replayedProgramMatchesJavaTwin(Precision p) {
        GpuTests.needs(ctx, p);
        int count = 1000; // not a multiple of the workgroup size: the bounds check matters
        double[] x = new Random(7).doubles(count + 24, -1, 1).toArray();
        double alpha = 1.25;
        int replays = 3;
        try (DeviceBuffer buf = new DeviceBuffer(ctx, "scale.x", (long) x.length * p.bytes(), "test", DeviceBuffer.Movement.ONCE_AT_START);
             ComputeKernel kernel = Scale.gpu(ctx, p)) {
            long before = ctx.ledger().totalBytes(TransferLedger.Direction.DEVICE_TO_HOST);
            ctx.staging().uploadReals(buf, x, p, "test.upload");
            assertEquals(java.util.List.of(buf.describe()), ctx.memoryMap(), "the memory map lists the live buffer");
            StepProgram.Builder b = StepProgram.builder(ctx, "scale-test").timestamp();
            Scale.record(b, kernel, kernel.bind(buf), count, alpha);
            b.timestamp();
            b.readBack(buf, 0, (long) x.length * p.bytes(), "test.readback");
            try (StepProgram program = b.freeze()) {
                program.run(replays - 1);
                program.run();
                double[] gpu = new double[x.length];
                RealBuffers.decode(program.readBack(buf, 0), gpu, p);

                double[] expect = x.clone();
                if (p == Precision.FP32) { // the twin in the device's precision: round the input as the upload does
                    for (int i = 0; i < expect.length; i++) {
                        expect[i] = (float) expect[i];
                    }
                }
                for (int r = 0; r < replays; r++) {
                    Scale.apply(expect, count, alpha);
                }
                double tol = p == Precision.FP32 ? 1e-6 : 0;
                for (int i = 0; i < x.length; i++) {
                    assertEquals(expect[i], gpu[i], tol * Math.abs(expect[i]), "element " + i);
                }
                assertEquals(replays, program.runs());
                double[] ts = program.timestampsNanos();
                assertTrue(ts.length == 2 && ts[1] >= ts[0], java.util.Arrays.toString(ts));
            }
            long after = ctx.ledger().totalBytes(TransferLedger.Direction.DEVICE_TO_HOST);
            assertEquals((long) replays * x.length * p.bytes(), after - before, "every replay's read-back is in the ledger");
        }
    }
}
