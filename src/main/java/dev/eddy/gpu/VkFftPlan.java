package dev.eddy.gpu;

import dev.eddy.numerics.Precision;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import org.lwjgl.vulkan.VkCommandBuffer;

/**
 * A VkFFT plan for {@code batch} arrays packed in one device buffer, of one {@link Kind}: a 2D R2C/C2R
 * plan in the padded layout of {@link dev.eddy.numerics.Grid} (the same as CpuFft2D_F64/F32), or a
 * column plan, a C2C transform along y alone of a compact complex array. Both directions are
 * unnormalised, and forward is e^{−2πi k·n/N} for both kinds. {@link #append} only records;
 * {@link StepProgram} adds the barrier VkFFT lacks before its first pass and after its last, and
 * re-binds Eddy's pipelines after it. Plans are made through {@link FftPlans}, which caches them in
 * memory and their kernels on disk.
 */
public final class VkFftPlan implements AutoCloseable {
    public static final int FORWARD = -1;
    public static final int INVERSE = +1;

    /** What a plan transforms, and so how its buffer is laid out (native/README.md). */
    public enum Kind {
        /**
         * 2D R2C (forward) / C2R (inverse) in place: each field is ny rows of nx reals padded to nx/2+1
         * complex values; inverse(forward(x)) = nx·ny·x.
         */
        REAL_2D {
            @Override
            public long requiredBytes(int nx, int ny, int batch, Precision p) {
                return (long) batch * ny * (nx / 2 + 1) * 2 * p.bytes();
            }

            @Override
            String describe(int nx, int ny, int batch, Precision p) {
                return batch + " field(s) of " + nx + "×" + ny + " " + p.label();
            }
        },
        /**
         * C2C along y alone: each array is ny rows of nx complex values (row stride nx), and every one of
         * the nx columns gets a transform of length ny; x is not transformed. inverse(forward(z)) = ny·z.
         */
        COLUMNS {
            @Override
            public long requiredBytes(int nx, int ny, int batch, Precision p) {
                return (long) batch * ny * nx * 2 * p.bytes();
            }

            @Override
            String describe(int nx, int ny, int batch, Precision p) {
                return batch + " array(s) of " + nx + " columns × " + ny + " rows complex " + p.label();
            }
        };

        /** Bytes {@code batch} arrays of this kind need; nx is the reals per row of a REAL_2D field, the columns of a COLUMNS array. */
        public abstract long requiredBytes(int nx, int ny, int batch, Precision p);

        /** "3 field(s) of 128×64 fp32", for messages. */
        abstract String describe(int nx, int ny, int batch, Precision p);
    }

    private final VulkanContext ctx;
    private final VkFftBridge bridge;
    private final Kind kind;
    private final DeviceBuffer buffer;
    private final int nx;
    private final int ny;
    private final int batch;
    private final Precision precision;
    private final boolean loadedFromCache;
    private final double createMillis;
    private MemorySegment plan;

    /** @param dealiasCutoff REAL_2D only (COLUMNS takes 0): see {@link FftPlans#plan(DeviceBuffer, int, int, int, Precision, int)} */
    VkFftPlan(VulkanContext ctx, Kind kind, DeviceBuffer buffer, int nx, int ny, int batch, Precision precision, int dealiasCutoff,
              Path cacheFile) {
        if (kind == Kind.COLUMNS && dealiasCutoff != 0) {
            throw new IllegalArgumentException("a column plan has no dealias cutoff, got " + dealiasCutoff);
        }
        ctx.requirePrecision(precision);
        this.ctx = ctx;
        this.bridge = VkFftBridge.get();
        this.kind = kind;
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
            int fp64 = precision == Precision.FP64 ? 1 : 0;
            int rc;
            try {
                rc = switch (kind) {
                    case REAL_2D -> (int) bridge.planCreate.invokeExact(ctx.physicalDevice().address(), ctx.device().address(),
                            ctx.queue().address(), ctx.commandPool(), ctx.planFence(), nx, ny, batch, fp64, dealiasCutoff,
                            buffer.handle(), buffer.bytes(), cache, out, err, VkFftBridge.ERR_LEN);
                    case COLUMNS -> (int) bridge.planCreateColumns.invokeExact(ctx.physicalDevice().address(), ctx.device().address(),
                            ctx.queue().address(), ctx.commandPool(), ctx.planFence(), nx, ny, batch, fp64,
                            buffer.handle(), buffer.bytes(), cache, out, err, VkFftBridge.ERR_LEN);
                };
            } catch (Throwable t) {
                throw VkFftBridge.rethrow(t);
            }
            if (rc != 0) {
                throw new GpuException("VkFFT plan for " + kind.describe(nx, ny, batch, precision) + " on '"
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

    /** Bytes {@code batch} fields of nx×ny need in the padded layout (a {@link Kind#REAL_2D} plan). */
    public static long requiredBytes(int nx, int ny, int batch, Precision p) {
        return Kind.REAL_2D.requiredBytes(nx, ny, batch, p);
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

    public Kind kind() {
        return kind;
    }

    /** The x size: reals per row of a REAL_2D field, columns of a COLUMNS array. */
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
