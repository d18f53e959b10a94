package dev.eddy.gpu;

import static dev.eddy.gpu.VkCheck.check;
import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.util.vma.Vma.*;
import static org.lwjgl.vulkan.VK10.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.util.vma.VmaAllocationCreateInfo;
import org.lwjgl.util.vma.VmaAllocationInfo;
import org.lwjgl.vulkan.VkBufferCreateInfo;

/** A persistently mapped host-visible buffer: the staging side of uploads and read-backs. */
final class HostBuffer implements AutoCloseable {
    private final VulkanContext ctx;
    private final long bytes;
    private final long buffer;
    private final long allocation;
    private final ByteBuffer mapped;

    HostBuffer(VulkanContext ctx, long bytes) {
        this.ctx = ctx;
        this.bytes = bytes;
        try (MemoryStack stack = stackPush()) {
            VkBufferCreateInfo bci = VkBufferCreateInfo.calloc(stack).sType$Default().size(bytes)
                    .usage(VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT).sharingMode(VK_SHARING_MODE_EXCLUSIVE);
            VmaAllocationCreateInfo aci = VmaAllocationCreateInfo.calloc(stack).usage(VMA_MEMORY_USAGE_AUTO_PREFER_HOST)
                    .flags(VMA_ALLOCATION_CREATE_HOST_ACCESS_RANDOM_BIT | VMA_ALLOCATION_CREATE_MAPPED_BIT);
            var pb = stack.mallocLong(1);
            PointerBuffer pa = stack.mallocPointer(1);
            VmaAllocationInfo info = VmaAllocationInfo.calloc(stack);
            check(vmaCreateBuffer(ctx.allocator(), bci, aci, pb, pa, info), "allocating staging buffer (" + bytes + " bytes)");
            buffer = pb.get(0);
            allocation = pa.get(0);
            mapped = MemoryUtil.memByteBuffer(info.pMappedData(), Math.toIntExact(bytes)).order(ByteOrder.nativeOrder());
        }
    }

    long bytes() {
        return bytes;
    }

    long handle() {
        return buffer;
    }

    /** The mapped memory (native byte order), positioned at 0. */
    ByteBuffer mapped() {
        return mapped.clear();
    }

    /** Makes host writes visible to the device (a no-op on coherent memory). */
    void flush(long size) {
        vmaFlushAllocation(ctx.allocator(), allocation, 0, size);
    }

    /** Makes device writes visible to the host (a no-op on coherent memory). */
    void invalidate(long size) {
        vmaInvalidateAllocation(ctx.allocator(), allocation, 0, size);
    }

    @Override
    public void close() {
        if (ctx.abandoned()) {
            return; // the GPU may still be using it (VulkanContext#drain)
        }
        vmaDestroyBuffer(ctx.allocator(), buffer, allocation);
    }
}
