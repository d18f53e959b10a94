package dev.eddy.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.numerics.Precision;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Asynchronous read-backs on lavapipe: each copy holds its buffer as at the request, whatever ran after; counted once. */
@Tag("gpu-parity")
class ReadBackPoolTest {
    static final int COUNT = 4096;
    static final long BYTES = COUNT * 8L;

    static List<BufferSpec> slots(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> new BufferSpec("slot_" + i, BYTES,
                BufferSpec.Memory.HOST_VISIBLE, "test", DeviceBuffer.Movement.ON_DEMAND)).toList();
    }

    static double[] values(double seed) {
        double[] v = new double[COUNT];
        for (int i = 0; i < COUNT; i++) {
            v[i] = seed + i * 1e-3;
        }
        return v;
    }

    static double[] decode(ByteBuffer b) {
        double[] out = new double[COUNT];
        RealBuffers.decode(b, out, Precision.FP64);
        return out;
    }

    static final TransferSpec READ = new TransferSpec("snapshot", TransferLedger.Direction.DEVICE_TO_HOST, "field", 0, BYTES);

    static long copies(VulkanContext ctx, String stage) {
        return ctx.ledger().snapshot().stream().filter(m -> m.get("stage").equals(stage)).mapToLong(m -> (Long) m.get("copies")).sum();
    }

    @Test
    void aCopyHoldsTheBufferAsRequestedEvenWhenItIsOverwrittenBeforeItIsConsumed() {
        try (VulkanContext ctx = GpuTests.context();
             DeviceBuffer field = new DeviceBuffer(ctx, "field", BYTES, "test", DeviceBuffer.Movement.ON_DEMAND);
             ReadBackPool pool = new ReadBackPool(ctx, slots(2))) {
            double[] a = values(1);
            double[] b = values(2);
            double[] c = values(3);
            ctx.staging().uploadReals(field, a, Precision.FP64, "test");
            var pa = pool.request(field, READ, ReadBackPoolTest::decode);
            ctx.staging().uploadReals(field, b, Precision.FP64, "test"); // queued after the copy of a
            var pb = pool.request(field, READ, ReadBackPoolTest::decode);
            ctx.staging().uploadReals(field, c, Precision.FP64, "test");
            assertEquals(2, pool.inFlight());
            // a third request with both slots busy completes the oldest (a) first, then reuses its slot
            var pc = pool.request(field, READ, ReadBackPoolTest::decode);
            assertTrue(pa.isDone(), "the oldest copy is completed to free its slot");
            assertArrayEquals(c, pc.get(), 0.0);
            assertArrayEquals(b, pb.get(), 0.0);
            assertArrayEquals(a, pa.get(), 0.0);
            assertArrayEquals(a, pa.get(), 0.0, "get() is repeatable");
            assertEquals(0, pool.inFlight());
            assertEquals(3, copies(ctx, "snapshot"), "each copy counted once: " + ctx.ledger().snapshot());
            assertEquals(3 * BYTES, ctx.ledger().snapshot().stream().filter(m -> m.get("stage").equals("snapshot"))
                    .mapToLong(m -> (Long) m.get("bytes")).sum());
        }
    }

    @Test
    void aCopyIsConsumedOnAnotherThreadAndAnUnconsumedOneIsCountedAtClose() throws Exception {
        try (VulkanContext ctx = GpuTests.context();
             DeviceBuffer field = new DeviceBuffer(ctx, "field", BYTES, "test", DeviceBuffer.Movement.ON_DEMAND)) {
            double[] a = values(5);
            ctx.staging().uploadReals(field, a, Precision.FP64, "test");
            ReadBackPool.Pending<double[]> left;
            try (ReadBackPool pool = new ReadBackPool(ctx, slots(2))) {
                var p = pool.request(field, READ, ReadBackPoolTest::decode);
                assertArrayEquals(a, CompletableFuture.supplyAsync(p::get).get(), 0.0);
                left = pool.request(field, READ, ReadBackPoolTest::decode);
                assertEquals(1, copies(ctx, "snapshot"));
            }
            assertEquals(2, copies(ctx, "snapshot"), "closing the pool completes (and counts) the copy in flight");
            assertArrayEquals(a, left.get(), 0.0, "and its value survives the pool");
        }
    }

    @Test
    void refusesCopiesThatDoNotFitOrAreNotReadBacksOfTheBuffer() {
        try (VulkanContext ctx = GpuTests.context();
             DeviceBuffer field = new DeviceBuffer(ctx, "field", 2 * BYTES, "test", DeviceBuffer.Movement.ON_DEMAND);
             ReadBackPool pool = new ReadBackPool(ctx, slots(1))) {
            var tooBig = new TransferSpec("snapshot", TransferLedger.Direction.DEVICE_TO_HOST, "field", 0, 2 * BYTES);
            assertThrows(IllegalArgumentException.class, () -> pool.request(field, tooBig, ReadBackPoolTest::decode));
            var other = new TransferSpec("snapshot", TransferLedger.Direction.DEVICE_TO_HOST, "omega", 0, BYTES);
            assertThrows(IllegalArgumentException.class, () -> pool.request(field, other, ReadBackPoolTest::decode));
            var upload = new TransferSpec("snapshot", TransferLedger.Direction.HOST_TO_DEVICE, "field", 0, BYTES);
            assertThrows(IllegalArgumentException.class, () -> pool.request(field, upload, ReadBackPoolTest::decode));
            assertThrows(IllegalArgumentException.class, () -> new ReadBackPool(ctx, List.of(new BufferSpec("d", 8,
                    BufferSpec.Memory.DEVICE_LOCAL, "test", DeviceBuffer.Movement.NEVER))));
            assertEquals(List.of(Map.of("name", "slot_0", "bytes", BYTES, "memory", "host_visible", "lifetime", "test",
                    "movement", "on_demand")), pool.describe().stream().map(BufferSpec::describe).toList());
        }
    }
}
