package dev.eddy.gpu;

import static org.lwjgl.system.MemoryUtil.*;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.lwjgl.vulkan.VkAllocationCallbacks;
import org.lwjgl.vulkan.VkAllocationFunction;
import org.lwjgl.vulkan.VkFreeFunction;
import org.lwjgl.vulkan.VkReallocationFunction;

/**
 * A leak-finding aid: Vulkan allocation callbacks that count the host memory the loader and the driver
 * allocate for the instances opened while it is installed. They are given to vkCreateInstance only;
 * the loader and Mesa's drivers (lavapipe included) allocate for the instance's devices and every child
 * object (buffers, memory, pipelines, fences, command buffers, …) through the instance's callbacks when
 * a create call passes none, as Eddy's do. So once every context opened under it is closed, {@link #live()}
 * is 0 unless some Vulkan object was not destroyed. (Other drivers may use their own heap; then the
 * counts are only the loader's.) One counter at a time; close it after the contexts opened under it.
 */
public final class HostAllocationCounter implements AutoCloseable {
    private static volatile HostAllocationCounter installed;

    private final ConcurrentHashMap<Long, Long> sizes = new ConcurrentHashMap<>();
    private final AtomicLong allocations = new AtomicLong();
    private final VkAllocationFunction allocate;
    private final VkReallocationFunction reallocate;
    private final VkFreeFunction free;
    private final VkAllocationCallbacks callbacks;

    private HostAllocationCounter() {
        allocate = VkAllocationFunction.create((user, size, alignment, scope) -> allocate(size, alignment));
        reallocate = VkReallocationFunction.create((user, original, size, alignment, scope) -> {
            if (original == NULL) {
                return allocate(size, alignment);
            }
            if (size == 0) {
                release(original);
                return NULL;
            }
            long p = allocate(size, alignment);
            if (p != NULL) {
                memCopy(original, p, Math.min(size, sizes.getOrDefault(original, 0L)));
                release(original);
            }
            return p;
        });
        free = VkFreeFunction.create((user, memory) -> release(memory));
        callbacks = VkAllocationCallbacks.calloc().pfnAllocation(allocate).pfnReallocation(reallocate).pfnFree(free);
    }

    /** Installs a counter for the instances opened from now until it is closed. */
    public static synchronized HostAllocationCounter install() {
        if (installed != null) {
            throw new IllegalStateException("a HostAllocationCounter is already installed");
        }
        installed = new HostAllocationCounter();
        return installed;
    }

    /** The callbacks a new instance is to use, or null (the driver's own allocator). */
    static VkAllocationCallbacks current() {
        HostAllocationCounter c = installed;
        return c == null ? null : c.callbacks;
    }

    private long allocate(long size, long alignment) {
        // Vulkan alignments are powers of two; aligned_alloc also wants at least a pointer's alignment
        long p = nmemAlignedAlloc(Math.max(alignment, 16), Math.max(size, 1));
        if (p != NULL) {
            sizes.put(p, size);
            allocations.incrementAndGet();
        }
        return p;
    }

    private void release(long p) {
        if (p != NULL) {
            sizes.remove(p);
            nmemAlignedFree(p);
        }
    }

    /** Host allocations made through the callbacks and not yet freed. */
    public long live() {
        return sizes.size();
    }

    /** Their bytes. */
    public long liveBytes() {
        return sizes.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Allocations made since installation (frees do not lower it). */
    public long allocations() {
        return allocations.get();
    }

    /** Uninstalls; the instances opened under it must be closed (their callbacks are freed here). */
    @Override
    public synchronized void close() {
        synchronized (HostAllocationCounter.class) {
            if (installed == this) {
                installed = null;
            }
        }
        callbacks.free();
        allocate.free();
        reallocate.free();
        free.free();
    }
}
