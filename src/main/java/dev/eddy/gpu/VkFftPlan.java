package dev.eddy.gpu;

import dev.eddy.numerics.Precision;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.lwjgl.vulkan.VkCommandBuffer;

/**
 * A VkFFT 2D R2C/C2R plan for {@code batch} fields packed in one device buffer, in the padded
 * layout of {@link dev.eddy.numerics.Grid} (the same as CpuFft2D_F64/F32). Both directions are
 * unnormalised. {@link #append} only records; {@link StepProgram} adds the barrier VkFFT lacks
 * before its first pass and after its last, and re-binds Eddy's pipelines after it. Plans are
 * made through {@link FftPlans}, which caches them in memory and their kernels on disk.
 */
public final class VkFftPlan implements AutoCloseable {
    public static final int FORWARD = -1;
    public static final int INVERSE = +1;

    private final VulkanContext ctx;
    private final VkFftBridge bridge;
    private final DeviceBuffer buffer;
    private final int nx;
    private final int ny;
    private final int batch;
    private final Precision precision;
    private final boolean loadedFromCache;
    private final double createMillis;
    private MemorySegment plan;

    VkFftPlan(VulkanContext ctx, DeviceBuffer buffer, int nx, int ny, int batch, Precision precision, int dealiasCutoff,
              Path cacheFile) {
        ctx.requirePrecision(precision);
        this.ctx = ctx;
        this.bridge = VkFftBridge.get();
        this.buffer = buffer;
        this.nx = nx;
        this.ny = ny;
        this.batch = batch;
        this.precision = precision;
        long t0 = System.nanoTime();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment err = arena.allocate(VkFftBridge.ERR_LEN);
            MemorySegment cache = cacheFile == null ? MemorySegment.NULL : arena.allocateFrom(cacheFile.toString());
            int rc;
            try {
                rc = (int) bridge.planCreate.invokeExact(ctx.physicalDevice().address(), ctx.device().address(),
                        ctx.queue().address(), ctx.commandPool(), ctx.planFence(), nx, ny, batch,
                        precision == Precision.FP64 ? 1 : 0, dealiasCutoff, buffer.handle(), buffer.bytes(), cache, out, err, VkFftBridge.ERR_LEN);
            } catch (Throwable t) {
                throw VkFftBridge.rethrow(t);
            }
            if (rc != 0) {
                throw new GpuException("VkFFT plan " + nx + "×" + ny + " batch " + batch + " " + precision.label() + " on '"
                        + buffer.name() + "' failed (" + rc + "): " + err.getString(0));
            }
            plan = out.get(ValueLayout.ADDRESS, 0);
            try {
                loadedFromCache = (int) bridge.loadedFromCache.invokeExact(plan) == 1;
            } catch (Throwable t) {
                throw VkFftBridge.rethrow(t);
            }
        }
        createMillis = (System.nanoTime() - t0) / 1e6;
    }

    /** Bytes {@code batch} fields of nx×ny need in the padded layout. */
    public static long requiredBytes(int nx, int ny, int batch, Precision p) {
        return (long) batch * ny * (nx / 2 + 1) * 2 * p.bytes();
    }

    /** Records the transform into {@code cmd} (record only; no barrier, no submit). */
    void append(VkCommandBuffer cmd, int direction) {
        if (plan == null) {
            throw new IllegalStateException("VkFFT plan is closed");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment err = arena.allocate(VkFftBridge.ERR_LEN);
            int rc;
            try {
                rc = (int) bridge.append.invokeExact(plan, cmd.address(), direction, err, VkFftBridge.ERR_LEN);
            } catch (Throwable t) {
                throw VkFftBridge.rethrow(t);
            }
            if (rc != 0) {
                throw new GpuException("VkFFT append (" + (direction == FORWARD ? "forward" : "inverse") + ") failed (" + rc + "): "
                        + err.getString(0));
            }
        }
    }

    public DeviceBuffer buffer() {
        return buffer;
    }

    public int nx() {
        return nx;
    }

    public int ny() {
        return ny;
    }

    public int batch() {
        return batch;
    }

    public Precision precision() {
        return precision;
    }

    public boolean loadedFromCache() {
        return loadedFromCache;
    }

    /** Wall time of plan creation (kernel compile or cache load, plus VkFFT's set-up). */
    public double createMillis() {
        return createMillis;
    }

    /** Destroys the plan; the GPU must be done with every program that appended it. */
    @Override
    public void close() {
        if (plan != null && ctx.abandoned()) {
            plan = null; // the GPU may still be using its buffers (VulkanContext#drain)
        }
        if (plan != null) {
            try {
                bridge.destroy.invokeExact(plan);
            } catch (Throwable t) {
                throw VkFftBridge.rethrow(t);
            }
            plan = null;
        }
    }
}
