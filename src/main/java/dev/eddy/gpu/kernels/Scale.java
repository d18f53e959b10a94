package dev.eddy.gpu.kernels;

import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.StepProgram;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.numerics.Precision;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * x ← α·x: the smallest real kernel, written in the three layers every LES kernel follows —
 * {@link #scale} (per-point math; the GLSL function of the same name in src/main/glsl/scale.comp),
 * {@link #apply} (the Java loop: the specification), and {@link #gpu} (the shader as a
 * {@link ComputeKernel}; ScaleParityTest checks it against {@link #apply}).
 */
public final class Scale {
    /** Threads per workgroup (local_size_x in scale.comp). */
    public static final int LOCAL_SIZE = 256;
    /** Push constants: uint count at 0, REAL alpha at 8 (8-aligned for double in both variants). */
    public static final int PUSH_BYTES = 16;

    private Scale() {
    }

    public static double scale(double alpha, double x) {
        return alpha * x;
    }

    public static void apply(double[] x, int count, double alpha) {
        for (int i = 0; i < count; i++) {
            x[i] = scale(alpha, x[i]);
        }
    }

    /** The shader, compiled for {@code p}. */
    public static ComputeKernel gpu(VulkanContext ctx, Precision p) {
        return new ComputeKernel(ctx, "scale", p, 1, PUSH_BYTES);
    }

    /** Records x ← α·x over the first {@code count} reals of {@code x} into {@code program}. */
    public static void record(StepProgram.Builder program, ComputeKernel kernel, ComputeKernel.Binding x, int count, double alpha) {
        ByteBuffer push = ByteBuffer.allocateDirect(PUSH_BYTES).order(ByteOrder.nativeOrder());
        push.putInt(0, count);
        if (kernel.precision() == Precision.FP64) {
            push.putDouble(8, alpha);
        } else {
            push.putFloat(8, (float) alpha);
        }
        program.dispatch(x, push, Math.ceilDiv(count, LOCAL_SIZE), 1, 1);
    }

    /** Checks that {@code x} can hold {@code count} reals of the kernel's precision. */
    public static void checkFits(ComputeKernel kernel, DeviceBuffer x, int count) {
        if ((long) count * kernel.precision().bytes() > x.bytes()) {
            throw new IllegalArgumentException(count + " reals do not fit '" + x.name() + "'");
        }
    }
}
