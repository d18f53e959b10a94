package dev.eddy.gpu.kernels;

import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.StepProgram;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.numerics.Precision;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * dst[dstOffset + k] ← src[srcOffset + k], k &lt; count: a copy of latent columns on the device (no host
 * round trip), in the layers of {@link Scale}: {@link #apply} is the Java loop (the specification; the
 * per-point math is the identity), {@link #gpu} the shader src/main/glsl/copy_columns.comp.
 * StepProgram has no buffer-to-buffer copy op; a dispatch also keeps the copy inside the program's
 * ordinary barriers.
 */
public final class CopyColumns {
    /** Threads per workgroup (local_size_x in copy_columns.comp). */
    public static final int LOCAL_SIZE = 256;
    /** Push constants: uint srcOffset, uint dstOffset, uint count. */
    public static final int PUSH_BYTES = 12;
    /** Reals one dispatch can copy (65535 workgroups, the minimum maxComputeWorkGroupCount[0] of Vulkan). */
    public static final long MAX_COUNT = 65535L * LOCAL_SIZE;

    private CopyColumns() {
    }

    public static void apply(double[] src, int srcOffset, double[] dst, int dstOffset, int count) {
        for (int k = 0; k < count; k++) {
            dst[dstOffset + k] = src[srcOffset + k];
        }
    }

    /** The shader, compiled for {@code p}. */
    public static ComputeKernel gpu(VulkanContext ctx, Precision p) {
        return new ComputeKernel(ctx, "copy_columns", p, 2, PUSH_BYTES);
    }

    /**
     * Records the copy of {@code count} reals; {@code binding} is the kernel bound to (source, destination).
     * Offsets and count are in reals of the kernel's precision and are checked against both buffers.
     */
    public static void record(StepProgram.Builder program, ComputeKernel.Binding binding, DeviceBuffer src, long srcOffset,
                              DeviceBuffer dst, long dstOffset, long count) {
        int bytes = binding.kernel().precision().bytes();
        if (count < 1 || count > MAX_COUNT) {
            throw new IllegalArgumentException("a column copy moves 1 to " + MAX_COUNT + " reals, got " + count);
        }
        checkRange(src, srcOffset, count, bytes);
        checkRange(dst, dstOffset, count, bytes);
        ByteBuffer push = ByteBuffer.allocateDirect(PUSH_BYTES).order(ByteOrder.nativeOrder());
        push.putInt(0, Math.toIntExact(srcOffset));
        push.putInt(4, Math.toIntExact(dstOffset));
        push.putInt(8, (int) count);
        program.dispatch(binding, push, (int) Math.ceilDiv(count, LOCAL_SIZE), 1, 1);
    }

    private static void checkRange(DeviceBuffer b, long offset, long count, int bytes) {
        if (offset < 0 || (offset + count) * bytes > b.bytes() || offset + count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("reals [" + offset + ", " + (offset + count) + ") are outside '" + b.name()
                    + "' (" + b.bytes() / bytes + " reals)");
        }
    }
}
