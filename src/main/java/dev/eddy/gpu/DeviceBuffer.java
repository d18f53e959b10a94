package dev.eddy.gpu;

import static dev.eddy.gpu.VkCheck.check;
import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.util.vma.Vma.*;
import static org.lwjgl.vulkan.VK10.*;

import java.util.Map;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.util.vma.VmaAllocationCreateInfo;
import org.lwjgl.vulkan.VkBufferCreateInfo;

/**
 * A named device-local working buffer (storage, transfer source and destination). Host data reaches
 * it only through {@link Staging}, so every copy is in the {@link TransferLedger}. Device-local
 * because host-visible memory ran a 4096² FFT 8× slower than its bandwidth bound on an H100 (design §1).
 *
 * @param movement how the application moves it between host and device (the memory map lists it)
 */
public final class DeviceBuffer implements AutoCloseable {
    /** How a buffer moves between host and device (TornadoVM's data-transfer modes). */
    public enum Movement { ONCE_AT_START, NEVER, ON_DEMAND }

    private final VulkanContext ctx;
    private final String name;
    private final long bytes;
    private final String lifetime;
    private final Movement movement;
    private final long buffer;
    private final long allocation;
    private boolean closed;

    /** Allocates the buffer a plan describes (so a plan printed before a run is what the run allocates). */
    public DeviceBuffer(VulkanContext ctx, BufferSpec spec) {
        this(ctx, spec.name(), spec.bytes(), spec.lifetime(), spec.movement());
        if (spec.memory() != BufferSpec.Memory.DEVICE_LOCAL) {
            close();
            throw new IllegalArgumentException("buffer '" + spec.name() + "' is planned as " + spec.memory()
                    + "; a DeviceBuffer is device-local");
        }
    }

    public DeviceBuffer(VulkanContext ctx, String name, long bytes, String lifetime, Movement movement) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("buffer '" + name + "' needs a positive size, got " + bytes);
        }
        this.ctx = ctx;
        this.name = name;
        this.bytes = bytes;
        this.lifetime = lifetime;
        this.movement = movement;
        try (MemoryStack stack = stackPush()) {
            VkBufferCreateInfo bci = VkBufferCreateInfo.calloc(stack).sType$Default().size(bytes)
                    .usage(VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT)
                    .sharingMode(VK_SHARING_MODE_EXCLUSIVE);
            VmaAllocationCreateInfo aci = VmaAllocationCreateInfo.calloc(stack).usage(VMA_MEMORY_USAGE_AUTO_PREFER_DEVICE)
                    .requiredFlags(VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
            var pb = stack.mallocLong(1);
            PointerBuffer pa = stack.mallocPointer(1);
            check(vmaCreateBuffer(ctx.allocator(), bci, aci, pb, pa, null),
                    "allocating device buffer '" + name + "' (" + bytes + " bytes)");
            buffer = pb.get(0);
            allocation = pa.get(0);
        }
        ctx.register(this);
    }

    public String name() {
        return name;
    }

    public long bytes() {
        return bytes;
    }

    public String lifetime() {
        return lifetime;
    }

    public Movement movement() {
        return movement;
    }

    /** The VkBuffer handle. */
    public long handle() {
        return buffer;
    }

    /** What this buffer is, in the memory map's terms. */
    public BufferSpec spec() {
        return new BufferSpec(name, bytes, BufferSpec.Memory.DEVICE_LOCAL, lifetime, movement);
    }

    /** One line of the memory map. */
    public Map<String, Object> describe() {
        return spec().describe();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            ctx.unregister(this);
            if (ctx.abandoned()) {
                return; // the GPU may still be using it (VulkanContext#drain)
            }
            vmaDestroyBuffer(ctx.allocator(), buffer, allocation);
        }
    }
}
