package dev.eddy.gpu;

import static dev.eddy.gpu.VkCheck.check;
import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import dev.eddy.numerics.Precision;
import java.nio.ByteBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VkBufferCopy;
import org.lwjgl.vulkan.VkCommandBuffer;

/**
 * Synchronous host↔device copies through one reusable host-visible staging buffer (grown on
 * demand). Every copy is written into the context's {@link TransferLedger} with its stage label.
 * For the hot path, declare read-backs inside a {@link StepProgram} instead.
 */
public final class Staging implements AutoCloseable {
    private final VulkanContext ctx;
    private final OneShot oneShot;
    private HostBuffer host;

    Staging(VulkanContext ctx) {
        this.ctx = ctx;
        this.oneShot = new OneShot(ctx);
    }

    /** Copies {@code src} (position..limit) into {@code dst} at {@code dstOffset}. */
    public void upload(DeviceBuffer dst, long dstOffset, ByteBuffer src, String stage) {
        long n = src.remaining();
        checkRange(dst, dstOffset, n);
        HostBuffer h = hostOf(n);
        h.mapped().put(src.duplicate());
        h.flush(n);
        oneShot.run(cmd -> {
            Barriers.computeAndTransfer(cmd);
            copy(cmd, h.handle(), 0, dst.handle(), dstOffset, n);
            Barriers.computeAndTransfer(cmd);
        }, "upload to '" + dst.name() + "'");
        ctx.ledger().record(stage, TransferLedger.Direction.HOST_TO_DEVICE, dst.name(), n);
    }

    /** Copies {@code dst.remaining()} bytes of {@code src} from {@code srcOffset} into {@code dst}. */
    public void download(DeviceBuffer src, long srcOffset, ByteBuffer dst, String stage) {
        long n = dst.remaining();
        checkRange(src, srcOffset, n);
        HostBuffer h = hostOf(n);
        oneShot.run(cmd -> {
            Barriers.computeAndTransfer(cmd);
            copy(cmd, src.handle(), srcOffset, h.handle(), 0, n);
            Barriers.toHost(cmd);
        }, "download from '" + src.name() + "'");
        h.invalidate(n);
        dst.put(h.mapped().limit(Math.toIntExact(n)));
        ctx.ledger().record(stage, TransferLedger.Direction.DEVICE_TO_HOST, src.name(), n);
    }

    /** Uploads reals, converted to the buffer's precision, to the start of {@code dst}. */
    public void uploadReals(DeviceBuffer dst, double[] values, Precision p, String stage) {
        upload(dst, 0, RealBuffers.encode(values, p), stage);
    }

    /** Downloads {@code out.length} reals of precision {@code p} from the start of {@code src}. */
    public void downloadReals(DeviceBuffer src, double[] out, Precision p, String stage) {
        ByteBuffer b = RealBuffers.allocate(out.length, p);
        download(src, 0, b, stage);
        RealBuffers.decode(b.flip(), out, p);
    }

    static void copy(VkCommandBuffer cmd, long src, long srcOffset, long dst, long dstOffset, long n) {
        try (MemoryStack stack = stackPush()) {
            VkBufferCopy.Buffer region = VkBufferCopy.calloc(1, stack).srcOffset(srcOffset).dstOffset(dstOffset).size(n);
            vkCmdCopyBuffer(cmd, src, dst, region);
        }
    }

    private static void checkRange(DeviceBuffer b, long offset, long n) {
        if (offset < 0 || n <= 0 || offset + n > b.bytes()) {
            throw new IllegalArgumentException("copy of " + n + " bytes at " + offset + " does not fit buffer '"
                    + b.name() + "' of " + b.bytes() + " bytes");
        }
    }

    private HostBuffer hostOf(long n) {
        if (host == null || host.bytes() < n) {
            if (host != null) {
                host.close();
            }
            host = new HostBuffer(ctx, hostBytesFor(n));
        }
        return host;
    }

    /**
     * The size of the staging buffer once the largest copy so far was {@code largestCopy} bytes: at
     * least 1 MiB, so the many small copies (dt limit, ring reset) never reallocate it.
     */
    public static long hostBytesFor(long largestCopy) {
        return Math.max(largestCopy, 1L << 20);
    }

    /** The bytes of host-visible memory this staging path holds now (0 before its first copy). */
    public long hostBytes() {
        return host == null ? 0 : host.bytes();
    }

    @Override
    public void close() {
        if (host != null) {
            host.close();
        }
        oneShot.close();
    }
}
