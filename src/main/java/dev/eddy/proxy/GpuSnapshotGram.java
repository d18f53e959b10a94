package dev.eddy.proxy;

import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.RealBuffers;
import dev.eddy.gpu.StepProgram;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.numerics.Precision;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The snapshot Gram G = ZᵀZ of a device latent matrix (design §4, the dual form of the fit): the latents
 * stay where the codec wrote them and only G, L² float64 numbers, crosses to the host (one declared
 * read-back, ledger stage "learn") — 13 kB for L = 41 latents, 8 MB for L = 1001, where the primal d×d
 * Grams are 20 MB at d = 1122 and 294 MB at d = 4290.
 *
 * <p>The shader is src/main/glsl/proxy/snapshot_gram.glsl (twin {@link SnapshotGramKernels_F64}). The sums
 * are float64 whenever the device has shaderFloat64, also for float32 latents (snapshot_gram_wide; why:
 * planning/proxy.md, "Gram precision"); float32 sums of float32 latents otherwise. One call is one small
 * step program: one dispatch of ⌈L/16⌉² workgroups, a barrier, the read-back; submit and wait.
 *
 * <p>Buffer: "snapshot_gram.g", L² sums, grown to the largest L asked for and kept until {@link #close()}.
 */
public final class GpuSnapshotGram implements AutoCloseable {
    /** Ledger stage of the read-back. */
    public static final String STAGE = "learn";
    /** Workgroup tile (local_size_x = local_size_y in snapshot_gram.glsl). */
    public static final int TILE = 16;
    /** Push constants: three uints (d, from, columns). */
    public static final int PUSH_BYTES = 12;
    /** Descriptor sets made before the kernel is renewed (ComputeKernel allows 32 per kernel). */
    private static final int MAX_CACHED_BINDINGS = 24;

    private final VulkanContext ctx;
    private final int d;
    private final Precision latent;
    private final Precision accumulate;
    private final Map<DeviceBuffer, ComputeKernel.Binding> bindings = new IdentityHashMap<>();
    private ComputeKernel kernel;
    private DeviceBuffer out;

    /** Latents of precision {@code p}; sums in float64 when the device has it, else float32. */
    public GpuSnapshotGram(VulkanContext ctx, int d, Precision p) {
        this(ctx, d, p, ctx.supports(Precision.FP64) ? Precision.FP64 : Precision.FP32);
    }

    /** Latents of precision {@code latent}, sums in {@code accumulate} (float64 latents need float64 sums). */
    public GpuSnapshotGram(VulkanContext ctx, int d, Precision latent, Precision accumulate) {
        if (d < 1) {
            throw new IllegalArgumentException("latent dimension must be ≥ 1, got " + d);
        }
        if (latent == Precision.FP64 && accumulate == Precision.FP32) {
            throw new IllegalArgumentException("float64 latents need float64 Gram sums");
        }
        this.ctx = ctx;
        this.d = d;
        this.latent = latent;
        this.accumulate = accumulate;
        this.kernel = newKernel();
    }

    private ComputeKernel newKernel() {
        String shader = latent == Precision.FP32 && accumulate == Precision.FP64 ? "snapshot_gram_wide" : "snapshot_gram";
        return new ComputeKernel(ctx, shader, accumulate, 2, PUSH_BYTES);
    }

    public int dimension() {
        return d;
    }

    /** Precision of the latents this Gram reads. */
    public Precision latentPrecision() {
        return latent;
    }

    /** Precision of the sums on the device. */
    public Precision accumulatePrecision() {
        return accumulate;
    }

    /**
     * G of the columns [fromColumn, fromColumn + columns) of a column-major d×· latent matrix of this Gram's
     * latent precision (column c at byte offset c·d·bytes), computed on the device and read back.
     */
    public SnapshotGram compute(DeviceBuffer latents, int fromColumn, int columns) {
        LatentColumns.check(latents, d, latent, fromColumn, columns);
        if ((long) columns * columns * accumulate.bytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(columns + " columns: the Gram would exceed one read-back");
        }
        long bytes = (long) columns * columns * accumulate.bytes();
        if (out == null || out.bytes() < bytes) {
            if (out != null) {
                out.close();
                out = null;
                kernel.close(); // its descriptor sets name the old buffer
                kernel = newKernel();
                bindings.clear();
            }
            out = new DeviceBuffer(ctx, "snapshot_gram.g", bytes, STAGE, DeviceBuffer.Movement.ON_DEMAND);
        }
        ByteBuffer push = ByteBuffer.allocateDirect(PUSH_BYTES).order(ByteOrder.nativeOrder());
        push.putInt(0, d).putInt(4, fromColumn).putInt(8, columns);
        int groups = Math.ceilDiv(columns, TILE);
        try (StepProgram program = StepProgram.builder(ctx, "snapshot-gram")
                .dispatch(binding(latents), push, groups, groups, 1)
                .readBack(out, 0, bytes, STAGE).freeze()) {
            program.run();
            double[] g = new double[columns * columns];
            RealBuffers.decode(program.readBack(out, 0), g, accumulate);
            return new SnapshotGram(d, columns, g);
        }
    }

    private ComputeKernel.Binding binding(DeviceBuffer latents) {
        ComputeKernel.Binding b = bindings.get(latents);
        if (b == null) {
            if (bindings.size() >= MAX_CACHED_BINDINGS) { // a kernel's descriptor pool is finite: start a fresh one
                kernel.close();
                kernel = newKernel();
                bindings.clear();
            }
            b = kernel.bind(latents, out);
            bindings.put(latents, b);
        }
        return b;
    }

    @Override
    public void close() {
        if (out != null) {
            out.close();
            out = null;
        }
        if (kernel != null) {
            kernel.close();
            kernel = null;
        }
    }
}
