package dev.eddy.gpu;

import static dev.eddy.gpu.VkCheck.check;
import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VkCommandBuffer;
import org.lwjgl.vulkan.VkCommandBufferBeginInfo;
import org.lwjgl.vulkan.VkFenceCreateInfo;

/**
 * Read-backs that do not hold up the queue: the snapshot copies of issue 4, which overlap the steps
 * that follow them. A {@link #request} records "barrier, copy, barrier to host" into the command
 * buffer of a free slot, submits it with that slot's own fence and returns a {@link Pending} handle at
 * once. Only {@link Pending#get()} waits, and only for that fence. Work submitted after the request,
 * such as the next steps, is ordered behind the copy because every {@link StepProgram} begins with a
 * full compute/transfer barrier. The copy therefore holds the buffer as it was when it was requested.
 *
 * <p>A slot is a host-visible staging buffer with its own command buffer and fence. With two slots
 * (double buffering), the copy of one snapshot can land while the host still decodes the one before.
 * When every slot is busy, a request first completes the oldest handle: it waits for that copy and
 * decodes it into host memory, which frees the slot. A caller that never consumes its handles
 * therefore pays in waiting, never in a deadlock or in lost data.
 *
 * <p>The ledger records each copy exactly once, when its fence is seen signalled (the bytes have
 * then crossed), under the stage named in the request.
 *
 * <p>Threads: call {@link #request} and {@link #close} from the thread that submits to the context's
 * queue and records from its command pool (Vulkan requires both to be externally synchronised).
 * {@link Pending#get()} may be called from any thread: it only waits on a fence and reads host memory.
 */
public final class ReadBackPool implements AutoCloseable {
    private final VulkanContext ctx;
    private final List<Slot> slots = new ArrayList<>();
    /** Handles whose copy has not been consumed yet, oldest first. */
    private final Deque<Pending<?>> inFlight = new ArrayDeque<>();

    private static final class Slot {
        final BufferSpec spec;
        final HostBuffer host;
        final VkCommandBuffer cmd;
        final long fence;
        /** The handle whose copy occupies the slot; null when free. */
        Pending<?> owner;
        /** The fence was signalled by an earlier copy and must be reset before the next submit. */
        boolean used;

        Slot(VulkanContext ctx, BufferSpec spec) {
            this.spec = spec;
            this.host = new HostBuffer(ctx, spec.bytes());
            try (MemoryStack stack = stackPush()) {
                var p = stack.mallocLong(1);
                check(vkCreateFence(ctx.device(), VkFenceCreateInfo.calloc(stack).sType$Default(), null, p),
                        "vkCreateFence(" + spec.name() + ")");
                this.fence = p.get(0);
            } catch (RuntimeException e) {
                host.close();
                throw e;
            }
            this.cmd = OneShot.allocate(ctx);
        }

        void close(VulkanContext ctx) {
            vkFreeCommandBuffers(ctx.device(), ctx.commandPool(), cmd);
            vkDestroyFence(ctx.device(), fence, null);
            host.close();
        }
    }

    /**
     * One slot per spec; each spec must be host-visible, and its size is the largest copy that slot takes.
     * The specs are what the memory map lists for this pool (see {@link #describe()}).
     */
    public ReadBackPool(VulkanContext ctx, List<BufferSpec> slotSpecs) {
        if (slotSpecs.isEmpty()) {
            throw new IllegalArgumentException("a read-back pool needs at least one slot");
        }
        this.ctx = ctx;
        try {
            for (BufferSpec spec : slotSpecs) {
                if (spec.memory() != BufferSpec.Memory.HOST_VISIBLE) {
                    throw new IllegalArgumentException("read-back slot '" + spec.name() + "' must be host-visible, not "
                            + spec.memory());
                }
                slots.add(new Slot(ctx, spec));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Starts copying {@code bytes} of {@code source} from {@code offset} to the host and returns without
     * waiting. {@code decode} turns the copied bytes (a read-only view, native order, valid only during the
     * call) into the handle's value; it runs once, on the thread that first calls {@link Pending#get()}.
     */
    public <T> Pending<T> request(DeviceBuffer source, TransferSpec transfer, Function<ByteBuffer, T> decode) {
        if (!transfer.buffer().equals(source.name()) || transfer.direction() != TransferLedger.Direction.DEVICE_TO_HOST) {
            throw new IllegalArgumentException("transfer " + transfer + " is not a read-back of '" + source.name() + "'");
        }
        if (transfer.offset() + transfer.bytes() > source.bytes()) {
            throw new IllegalArgumentException("read-back of " + transfer.bytes() + " bytes at " + transfer.offset()
                    + " outside '" + source.name() + "' (" + source.bytes() + " bytes)");
        }
        Slot slot = acquire(transfer.bytes());
        Pending<T> pending = new Pending<>(this, slot, transfer, source.name(), decode);
        synchronized (this) {
            slot.owner = pending; // acquire() reserved the slot; now it belongs to this handle
        }
        String what = "read-back of '" + source.name() + "' into " + slot.spec.name();
        try (MemoryStack stack = stackPush()) {
            if (slot.used) {
                check(vkResetFences(ctx.device(), slot.fence), "vkResetFences(" + what + ")");
            }
            check(vkResetCommandBuffer(slot.cmd, 0), "vkResetCommandBuffer(" + what + ")");
            check(vkBeginCommandBuffer(slot.cmd, VkCommandBufferBeginInfo.calloc(stack).sType$Default()
                    .flags(VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT)), "vkBeginCommandBuffer(" + what + ")");
            // after every earlier write of the source (the steps before the request) ...
            Barriers.computeAndTransfer(slot.cmd);
            Staging.copy(slot.cmd, source.handle(), transfer.offset(), slot.host.handle(), 0, transfer.bytes());
            // ... and visible to the host once the fence signals
            Barriers.toHost(slot.cmd);
            check(vkEndCommandBuffer(slot.cmd), "vkEndCommandBuffer(" + what + ")");
            OneShot.submit(ctx, slot.cmd, slot.fence, 1, what);
        } catch (RuntimeException e) {
            synchronized (this) {
                slot.owner = null;
                slot.used = true; // the fence state is unknown after a failed submit: reset it before reuse
            }
            throw e;
        }
        synchronized (this) {
            slot.used = true;
            inFlight.addLast(pending);
        }
        return pending;
    }

    /** A free slot large enough for {@code bytes}, completing the oldest outstanding copy while there is none. */
    private Slot acquire(long bytes) {
        while (true) {
            Pending<?> oldest = null;
            synchronized (this) {
                boolean fits = false;
                for (Slot s : slots) {
                    if (s.spec.bytes() >= bytes) {
                        fits = true;
                        if (s.owner == null) {
                            s.owner = Pending.RESERVED;
                            return s;
                        }
                    }
                }
                if (!fits) {
                    throw new IllegalArgumentException("no read-back slot takes " + bytes + " bytes (largest: "
                            + slots.stream().mapToLong(s -> s.spec.bytes()).max().orElse(0) + ")");
                }
                oldest = inFlight.peekFirst();
            }
            if (oldest == null) {
                throw new IllegalStateException("every read-back slot is reserved, none in flight (a request failed mid-way?)");
            }
            oldest.complete(); // frees its slot; a decode failure stays with that handle and is thrown by its get()
        }
    }

    private synchronized void release(Slot slot, Pending<?> pending) {
        if (slot.owner == pending) {
            slot.owner = null;
        }
        inFlight.remove(pending);
    }

    /** The slots' staging buffers, as the memory map lists them. */
    public List<BufferSpec> describe() {
        return slots.stream().map(s -> s.spec).toList();
    }

    /** Handles not yet consumed (for tests and the memory-leak check of a run's end). */
    public synchronized int inFlight() {
        return inFlight.size();
    }

    /**
     * Completes every outstanding copy (so each is in the ledger, and a late {@link Pending#get()} still
     * returns its value), then frees the slots.
     */
    @Override
    public void close() {
        List<Pending<?>> left;
        synchronized (this) {
            left = new ArrayList<>(inFlight);
        }
        for (Pending<?> p : left) {
            p.complete();
        }
        for (Slot s : slots) {
            s.close(ctx);
        }
        slots.clear();
    }

    /** The result of one {@link #request}: the copied bytes, decoded once, on the first {@link #get()}. */
    public static final class Pending<T> {
        /** Marks a slot taken between {@link #acquire} and the creation of its handle. */
        private static final Pending<Object> RESERVED = new Pending<>(null, null, null, null, null);

        private final ReadBackPool pool;
        private final Slot slot;
        private final TransferSpec transfer;
        private final String source;
        private final Function<ByteBuffer, T> decode;
        private boolean done;
        private T value;
        private RuntimeException failure;

        private Pending(ReadBackPool pool, Slot slot, TransferSpec transfer, String source, Function<ByteBuffer, T> decode) {
            this.pool = pool;
            this.slot = slot;
            this.transfer = transfer;
            this.source = source;
            this.decode = decode;
        }

        /** Waits for the copy (only the first call waits), decodes it and returns the value. */
        public T get() {
            complete();
            synchronized (this) {
                if (failure != null) {
                    throw new GpuException("read-back of '" + source + "' failed: " + failure.getMessage(), failure);
                }
                return value;
            }
        }

        /** Whether the copy has arrived (without waiting): {@link #get()} would then not wait for the device. */
        public synchronized boolean isDone() {
            if (done) {
                return true;
            }
            int r = vkGetFenceStatus(pool.ctx.device(), slot.fence);
            if (r != VK_SUCCESS && r != VK_NOT_READY) {
                check(r, "vkGetFenceStatus(read-back of '" + source + "')");
            }
            return r == VK_SUCCESS;
        }

        private synchronized void complete() {
            if (done) {
                return;
            }
            try {
                OneShot.await(pool.ctx, slot.fence, 1, "read-back of '" + source + "'");
                slot.host.invalidate(transfer.bytes());
                pool.ctx.ledger().record(transfer.stage(), TransferLedger.Direction.DEVICE_TO_HOST, source, transfer.bytes());
                ByteBuffer bytes = slot.host.mapped().slice(0, Math.toIntExact(transfer.bytes())).asReadOnlyBuffer()
                        .order(ByteOrder.nativeOrder());
                value = decode.apply(bytes);
            } catch (RuntimeException e) {
                failure = e;
            } finally {
                done = true;
                pool.release(slot, this);
            }
        }
    }
}
