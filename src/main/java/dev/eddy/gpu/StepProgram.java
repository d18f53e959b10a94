package dev.eddy.gpu;

import static dev.eddy.gpu.VkCheck.check;
import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VkCommandBuffer;
import org.lwjgl.vulkan.VkCommandBufferBeginInfo;
import org.lwjgl.vulkan.VkFenceCreateInfo;
import org.lwjgl.vulkan.VkQueryPoolCreateInfo;

/**
 * Build, freeze, run (TornadoVM's TaskGraph → ImmutableTaskGraph → ExecutionPlan): a list of
 * dispatches, FFT appends, barriers, timestamps and declared read-backs is recorded once into one
 * command buffer by {@link Builder#freeze()}, then replayed by {@link #run}, which is the only place
 * that submits and waits. Read-backs are copied into the program's own staging memory and counted in
 * the ledger at every run. The buffer starts with a full compute/transfer barrier, so consecutive
 * replays (and earlier staging copies) are ordered.
 */
public final class StepProgram implements AutoCloseable {

    /** One recorded operation. */
    private sealed interface Op permits Dispatch, Fft, Barrier, Timestamp, ReadBack {
    }

    private record Dispatch(ComputeKernel.Binding binding, ByteBuffer push, int gx, int gy, int gz) implements Op {
    }

    private record Fft(VkFftPlan plan, int direction) implements Op {
    }

    private record Barrier() implements Op {
    }

    private record Timestamp(int query) implements Op {
    }

    private record ReadBack(DeviceBuffer source, long offset, long bytes, long stagingOffset, String stage) implements Op {
    }

    /** Collects operations; records nothing until {@link #freeze()}. */
    public static final class Builder {
        private final VulkanContext ctx;
        private final String name;
        private final List<Op> ops = new ArrayList<>();
        private int timestamps;
        private long readBackBytes;

        private Builder(VulkanContext ctx, String name) {
            this.ctx = ctx;
            this.name = name;
        }

        /** A dispatch of {@code binding}'s kernel over gx×gy×gz workgroups; {@code push} is copied. */
        public Builder dispatch(ComputeKernel.Binding binding, ByteBuffer push, int gx, int gy, int gz) {
            ByteBuffer copy = null;
            if (push != null) {
                copy = ByteBuffer.allocateDirect(push.remaining()).order(ByteOrder.nativeOrder());
                copy.put(push.duplicate()).flip();
            }
            ops.add(new Dispatch(binding, copy, gx, gy, gz));
            return this;
        }

        /** An FFT of the plan's buffer, with the barriers VkFFT leaves out before and after it. */
        public Builder fft(VkFftPlan plan, int direction) {
            if (direction != VkFftPlan.FORWARD && direction != VkFftPlan.INVERSE) {
                throw new IllegalArgumentException("FFT direction must be FORWARD (-1) or INVERSE (+1), got " + direction);
            }
            ops.add(new Barrier());
            ops.add(new Fft(plan, direction));
            ops.add(new Barrier());
            return this;
        }

        /** Makes every earlier write visible to every later read (between dependent dispatches). */
        public Builder barrier() {
            ops.add(new Barrier());
            return this;
        }

        /** A GPU timestamp after all earlier work; {@link StepProgram#timestampsNanos()} reads them. */
        public Builder timestamp() {
            if (ctx.timestampValidBits() == 0) {
                throw new GpuException("the compute queue of '" + ctx.info().name() + "' has no timestamps");
            }
            ops.add(new Timestamp(timestamps++));
            return this;
        }

        /** Declares a read-back of {@code bytes} of {@code source} from {@code offset}, counted under {@code stage}. */
        public Builder readBack(DeviceBuffer source, long offset, long bytes, String stage) {
            if (offset < 0 || bytes <= 0 || offset + bytes > source.bytes()) {
                throw new IllegalArgumentException("read-back of " + bytes + " bytes at " + offset + " outside '" + source.name() + "'");
            }
            ops.add(new Barrier());
            ops.add(new ReadBack(source, offset, bytes, readBackBytes, stage));
            readBackBytes += bytes;
            return this;
        }

        /** Records the command buffer; the builder must not be used afterwards. */
        public StepProgram freeze() {
            return new StepProgram(ctx, name, List.copyOf(ops), timestamps, readBackBytes);
        }
    }

    private final VulkanContext ctx;
    private final String name;
    private final List<Op> ops;
    private final VkCommandBuffer cmd;
    private final long fence;
    private final long queryPool;
    private final int timestamps;
    private final HostBuffer readBacks;
    private long runs;

    public static Builder builder(VulkanContext ctx, String name) {
        return new Builder(ctx, name);
    }

    private StepProgram(VulkanContext ctx, String name, List<Op> ops, int timestamps, long readBackBytes) {
        this.ctx = ctx;
        this.name = name;
        this.ops = ops;
        this.timestamps = timestamps;
        this.cmd = OneShot.allocate(ctx);
        this.readBacks = readBackBytes > 0 ? new HostBuffer(ctx, readBackBytes) : null;
        try (MemoryStack stack = stackPush()) {
            var p = stack.mallocLong(1);
            check(vkCreateFence(ctx.device(), VkFenceCreateInfo.calloc(stack).sType$Default(), null, p), "vkCreateFence(" + name + ")");
            fence = p.get(0);
            if (timestamps > 0) {
                check(vkCreateQueryPool(ctx.device(), VkQueryPoolCreateInfo.calloc(stack).sType$Default()
                        .queryType(VK_QUERY_TYPE_TIMESTAMP).queryCount(timestamps), null, p), "vkCreateQueryPool(" + name + ")");
                queryPool = p.get(0);
            } else {
                queryPool = VK_NULL_HANDLE;
            }
            record(stack);
        }
    }

    private void record(MemoryStack stack) {
        check(vkBeginCommandBuffer(cmd, VkCommandBufferBeginInfo.calloc(stack).sType$Default()
                .flags(VK_COMMAND_BUFFER_USAGE_SIMULTANEOUS_USE_BIT)), "vkBeginCommandBuffer(" + name + ")");
        if (queryPool != VK_NULL_HANDLE) {
            vkCmdResetQueryPool(cmd, queryPool, 0, timestamps);
        }
        Barriers.computeAndTransfer(cmd);
        for (Op op : ops) {
            switch (op) {
                case Dispatch d -> d.binding().kernel().record(cmd, d.binding(), d.push(), d.gx(), d.gy(), d.gz());
                case Fft f -> f.plan().append(cmd, f.direction());
                case Barrier b -> Barriers.computeAndTransfer(cmd);
                case Timestamp t -> vkCmdWriteTimestamp(cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, queryPool, t.query());
                case ReadBack r -> Staging.copy(cmd, r.source().handle(), r.offset(), readBacks.handle(), r.stagingOffset(), r.bytes());
            }
        }
        if (readBacks != null) {
            Barriers.toHost(cmd);
        }
        check(vkEndCommandBuffer(cmd), "vkEndCommandBuffer(" + name + ")");
    }

    /** Submits the program once and waits for it. */
    public void run() {
        run(1);
    }

    /**
     * Submits the program {@code times} times back to back (one vkQueueSubmit) and waits once at the
     * end; read-backs then hold the last replay's values.
     */
    public void run(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be ≥ 1");
        }
        OneShot.submitAndWait(ctx, cmd, fence, times, name);
        runs += times;
        if (readBacks != null) {
            readBacks.invalidate(readBacks.bytes());
            for (Op op : ops) {
                if (op instanceof ReadBack r) {
                    for (int i = 0; i < times; i++) {
                        ctx.ledger().record(r.stage(), TransferLedger.Direction.DEVICE_TO_HOST, r.source().name(), r.bytes());
                    }
                }
            }
        }
    }

    /** The bytes of the read-back of {@code source} at {@code offset} after the last run (a read-only view). */
    public ByteBuffer readBack(DeviceBuffer source, long offset) {
        for (Op op : ops) {
            if (op instanceof ReadBack r && r.source() == source && r.offset() == offset) {
                ByteBuffer all = readBacks.mapped();
                return all.slice(Math.toIntExact(r.stagingOffset()), Math.toIntExact(r.bytes())).asReadOnlyBuffer()
                        .order(ByteOrder.nativeOrder());
            }
        }
        throw new IllegalArgumentException("program '" + name + "' declares no read-back of '" + source.name() + "' at " + offset);
    }

    /** The timestamps of the last run, in nanoseconds from the first one (wraps of the counter are masked). */
    public double[] timestampsNanos() {
        if (timestamps == 0) {
            return new double[0];
        }
        try (MemoryStack stack = stackPush()) {
            var raw = stack.mallocLong(timestamps);
            check(vkGetQueryPoolResults(ctx.device(), queryPool, 0, timestamps, raw, 8,
                    VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT), "vkGetQueryPoolResults(" + name + ")");
            int bits = ctx.timestampValidBits();
            long mask = bits >= 64 ? -1L : (1L << bits) - 1;
            double period = ctx.info().timestampPeriodNs();
            double[] out = new double[timestamps];
            for (int i = 0; i < timestamps; i++) {
                out[i] = ((raw.get(i) - raw.get(0)) & mask) * period;
            }
            return out;
        }
    }

    public String name() {
        return name;
    }

    /** The host-visible staging memory this program's declared read-backs land in (0 without read-backs). */
    public long readBackBytes() {
        return readBacks == null ? 0 : readBacks.bytes();
    }

    public long runs() {
        return runs;
    }

    @Override
    public void close() {
        if (ctx.abandoned()) {
            return; // the GPU may still be using it (VulkanContext#drain)
        }
        if (queryPool != VK_NULL_HANDLE) {
            vkDestroyQueryPool(ctx.device(), queryPool, null);
        }
        if (readBacks != null) {
            readBacks.close();
        }
        vkDestroyFence(ctx.device(), fence, null);
        vkFreeCommandBuffers(ctx.device(), ctx.commandPool(), cmd);
    }
}
