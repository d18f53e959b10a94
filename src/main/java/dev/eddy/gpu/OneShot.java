package dev.eddy.gpu;

import static dev.eddy.gpu.VkCheck.check;
import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import java.util.function.Consumer;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VkCommandBuffer;
import org.lwjgl.vulkan.VkCommandBufferAllocateInfo;
import org.lwjgl.vulkan.VkCommandBufferBeginInfo;
import org.lwjgl.vulkan.VkFenceCreateInfo;
import org.lwjgl.vulkan.VkSubmitInfo;

/** A reusable command buffer + fence for small synchronous jobs (staging copies): record, submit, wait. */
final class OneShot implements AutoCloseable {
    private final VulkanContext ctx;
    private final VkCommandBuffer cmd;
    private final long fence;

    OneShot(VulkanContext ctx) {
        this.ctx = ctx;
        this.cmd = allocate(ctx);
        try (MemoryStack stack = stackPush()) {
            var pf = stack.mallocLong(1);
            check(vkCreateFence(ctx.device(), VkFenceCreateInfo.calloc(stack).sType$Default(), null, pf), "vkCreateFence");
            fence = pf.get(0);
        }
    }

    static VkCommandBuffer allocate(VulkanContext ctx) {
        try (MemoryStack stack = stackPush()) {
            PointerBuffer pc = stack.mallocPointer(1);
            check(vkAllocateCommandBuffers(ctx.device(), VkCommandBufferAllocateInfo.calloc(stack).sType$Default()
                    .commandPool(ctx.commandPool()).level(VK_COMMAND_BUFFER_LEVEL_PRIMARY).commandBufferCount(1), pc),
                    "vkAllocateCommandBuffers");
            return new VkCommandBuffer(pc.get(0), ctx.device());
        }
    }

    void run(Consumer<VkCommandBuffer> record, String what) {
        try (MemoryStack stack = stackPush()) {
            check(vkResetCommandBuffer(cmd, 0), "vkResetCommandBuffer(" + what + ")");
            check(vkBeginCommandBuffer(cmd, VkCommandBufferBeginInfo.calloc(stack).sType$Default()
                    .flags(VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT)), "vkBeginCommandBuffer(" + what + ")");
            record.accept(cmd);
            check(vkEndCommandBuffer(cmd), "vkEndCommandBuffer(" + what + ")");
            submitAndWait(ctx, cmd, fence, 1, what);
        }
    }

    /**
     * Submits {@code cmd} {@code times} times in one vkQueueSubmit, then waits on {@code fence} and resets it.
     * The wait is bounded ({@link WaitLimit}); a lost device or a wait past the limit is a
     * {@link GpuDeviceLostException}, after which the context takes no more submissions.
     */
    static void submitAndWait(VulkanContext ctx, VkCommandBuffer cmd, long fence, int times, String what) {
        long t0 = System.nanoTime();
        submit(ctx, cmd, fence, times, what);
        await(ctx, fence, times, what);
        ctx.waitLimit().observe(System.nanoTime() - t0, times);
        check(vkResetFences(ctx.device(), fence), "vkResetFences(" + what + ")");
    }

    /**
     * Submits {@code cmd} {@code times} times in one vkQueueSubmit and returns at once; {@code fence}
     * (unsignalled) signals when all of them are done. The caller waits on it ({@link #await}) and resets it.
     */
    static void submit(VulkanContext ctx, VkCommandBuffer cmd, long fence, int times, String what) {
        ctx.requireUsable(what);
        FaultInjection.Fault fault = ctx.faults().next(what);
        try (MemoryStack stack = stackPush()) {
            // One VkSubmitInfo listing the buffer `times` times (8 bytes each): a VkSubmitInfo per replay
            // (72 bytes) overflowed LWJGL's 64 KiB stack at 1000 replays (the pipeline's spin-up, on the H100).
            PointerBuffer replays = stack.mallocPointer(times);
            for (int i = 0; i < times; i++) {
                replays.put(i, cmd);
            }
            VkSubmitInfo.Buffer submits = VkSubmitInfo.calloc(1, stack);
            submits.get(0).sType$Default().pCommandBuffers(replays);
            // an injected hang withholds the submission, so the fence never signals
            int r = fault == FaultInjection.Fault.HANG ? VK_SUCCESS : vkQueueSubmit(ctx.queue(), submits, fence);
            if (r == VK_ERROR_DEVICE_LOST) {
                throw ctx.deviceLost("vkQueueSubmit(" + what + ")");
            }
            check(r, "vkQueueSubmit(" + what + ")");
            ctx.submitted();
        }
    }

    /** Waits for {@code fence} of a submission of {@code times} replays, within the context's wait limit. */
    static void await(VulkanContext ctx, long fence, int times, String what) {
        long limit = ctx.waitLimit().nanos(times);
        int r = ctx.faults().waitResult(vkWaitForFences(ctx.device(), fence, true, limit));
        if (r == VK_TIMEOUT) {
            throw ctx.timedOut(what, times, fence, limit);
        }
        if (r == VK_ERROR_DEVICE_LOST) {
            throw ctx.deviceLost("vkWaitForFences(" + what + ")");
        }
        check(r, "vkWaitForFences(" + what + ")");
    }

    @Override
    public void close() {
        if (ctx.abandoned()) {
            return;
        }
        vkDestroyFence(ctx.device(), fence, null);
        vkFreeCommandBuffers(ctx.device(), ctx.commandPool(), cmd);
    }
}
