package dev.eddy.proxy;

import dev.eddy.backend.Latents;
import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.RealBuffers;
import dev.eddy.gpu.StepProgram;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.gpu.kernels.CopyColumns;
import dev.eddy.numerics.Precision;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Gram accumulated on the device (design §4): the latents stay where the codec wrote them, and
 * only the d×d matrices cross to the host, once, when {@link #gram()} or {@link #blocks()} reads them.
 *
 * <p>The update is the shader src/main/glsl/proxy/gram_update.glsl (twin {@link GramKernels_F64}). The
 * sums are kept in float64 whenever the device has shaderFloat64, also for float32 latents (the
 * gram_update_wide variant): accumulated in float32 they lose about as much as the float32 latents
 * themselves carry, and the ridge solve divides by the small eigenvalues of X Xᵀ (measured in
 * planning/proxy.md, "Gram precision"). Float64 latents need float64 sums.
 *
 * <p>The last latent of each call is carried in a one-column device buffer, so that the next call (or
 * {@link #add}) forms the pair that straddles the two; the pair that straddles a {@link #split()} is the
 * first of the new block. Each call runs one small step program (submit and wait); nothing crosses to the
 * host except the uploaded latents of {@link #add} (ledger stage "learn") and the declared read-back of
 * the Grams (stage "learn").
 */
public final class GpuGram implements GramAccumulator {
    /** Ledger stage of the uploads and read-backs. */
    public static final String STAGE = "learn";
    /** Workgroup tile (local_size_x = local_size_y in gram_update.glsl). */
    public static final int TILE = 16;
    /** Push constants: five uints (d, xCol, yCol, pairs, overwrite). */
    public static final int PUSH_BYTES = 20;
    /** Descriptor sets made before the kernels are renewed (ComputeKernel allows 32 per kernel). */
    private static final int MAX_CACHED_BINDINGS = 24;

    private record Key(DeviceBuffer x, DeviceBuffer y, int block) {
    }

    private final class Block {
        final DeviceBuffer xx;
        final DeviceBuffer yx;
        final DeviceBuffer yyRow;
        long pairs;

        Block(int index) {
            long matrix = (long) d * d * accumulate.bytes();
            xx = new DeviceBuffer(ctx, "gram.xx." + index, matrix, STAGE, DeviceBuffer.Movement.ON_DEMAND);
            yx = new DeviceBuffer(ctx, "gram.yx." + index, matrix, STAGE, DeviceBuffer.Movement.ON_DEMAND);
            yyRow = new DeviceBuffer(ctx, "gram.yy." + index, (long) d * accumulate.bytes(), STAGE, DeviceBuffer.Movement.ON_DEMAND);
        }

        void close() {
            xx.close();
            yx.close();
            yyRow.close();
        }
    }

    private final VulkanContext ctx;
    private final int d;
    private final Precision latent;
    private final Precision accumulate;
    private final DeviceBuffer carry;
    private final List<Block> blocks = new ArrayList<>();
    private final Map<Key, ComputeKernel.Binding> updateBindings = new HashMap<>();
    private final Map<DeviceBuffer, ComputeKernel.Binding> copyBindings = new HashMap<>();
    private ComputeKernel update;
    private ComputeKernel copy;
    private DeviceBuffer upload;
    private boolean hasCarry;

    /** Latents of precision {@code p}; sums in float64 when the device has it, else float32. */
    public GpuGram(VulkanContext ctx, int d, Precision p) {
        this(ctx, d, p, ctx.supports(Precision.FP64) ? Precision.FP64 : Precision.FP32);
    }

    /**
     * Latents of precision {@code latent}, sums in {@code accumulate} (float64 latents need float64
     * sums; float32 sums of float32 latents are the fallback for devices without shaderFloat64).
     */
    public GpuGram(VulkanContext ctx, int d, Precision latent, Precision accumulate) {
        if (d < 1 || 2L * d * d * accumulate.bytes() + (long) d * accumulate.bytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("latent dimension d = " + d + " is out of range: the read-back of a Gram block (2d² + d "
                    + accumulate.label() + " reals) must stay under 2 GiB");
        }
        if (latent == Precision.FP64 && accumulate == Precision.FP32) {
            throw new IllegalArgumentException("float64 latents need float64 Gram sums");
        }
        this.ctx = ctx;
        this.d = d;
        this.latent = latent;
        this.accumulate = accumulate;
        try {
            this.update = newUpdateKernel();
            this.copy = CopyColumns.gpu(ctx, latent);
            this.carry = new DeviceBuffer(ctx, "gram.carry", (long) d * latent.bytes(), STAGE, DeviceBuffer.Movement.NEVER);
            blocks.add(new Block(0));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private ComputeKernel newUpdateKernel() {
        String shader = latent == Precision.FP32 && accumulate == Precision.FP64 ? "gram_update_wide" : "gram_update";
        return new ComputeKernel(ctx, shader, accumulate, 5, PUSH_BYTES);
    }

    @Override
    public int dimension() {
        return d;
    }

    /** Precision of the latents this Gram reads. */
    public Precision latentPrecision() {
        return latent;
    }

    /** Precision of the Gram sums on the device. */
    public Precision accumulatePrecision() {
        return accumulate;
    }

    /** Column {@code column} of {@code latents}: in place when they live on this device in the latents' precision. */
    @Override
    public void add(Latents latents, int column) {
        DeviceBuffer buffer = latents.bufferOn(ctx);
        if (buffer != null && latents.precision() == latent) {
            addColumns(buffer, column, 1);
        } else {
            add(latents.column(column));
        }
    }

    /**
     * Appends the columns [fromColumn, fromColumn + count) of a column-major d×m latent matrix of this
     * Gram's latent precision (column c at byte offset c·d·bytes), in order, without a host copy. The
     * first column pairs with the latent carried from the previous call, if any.
     */
    public void addColumns(DeviceBuffer latents, int fromColumn, int count) {
        LatentColumns.check(latents, d, latent, fromColumn, count);
        Block block = blocks.get(blocks.size() - 1);
        long pairsBefore = block.pairs;
        StepProgram.Builder b = StepProgram.builder(ctx, "gram-update");
        if (hasCarry) { // the pair (carried latent, first new column)
            b.dispatch(updateBinding(carry, latents), push(0, fromColumn, 1, block.pairs == 0), groups(), groups(), 1);
            b.barrier();
            block.pairs++;
        }
        if (count > 1) { // the pairs inside the new columns
            b.dispatch(updateBinding(latents, latents), push(fromColumn, fromColumn + 1, count - 1, block.pairs == 0),
                    groups(), groups(), 1);
            b.barrier();
            block.pairs += count - 1;
        }
        CopyColumns.record(b, copyBinding(latents), latents, (long) (fromColumn + count - 1) * d, carry, 0, d);
        try (StepProgram program = b.freeze()) {
            program.run();
        } catch (RuntimeException e) {
            block.pairs = pairsBefore;
            throw e;
        }
        hasCarry = true;
    }

    /** Uploads one latent (ledger stage "learn") and appends it. */
    @Override
    public void add(double[] z) {
        if (z.length != d) {
            throw new IllegalArgumentException("latent has " + z.length + " values, the Gram has d = " + d);
        }
        if (upload == null) {
            upload = new DeviceBuffer(ctx, "gram.upload", (long) d * latent.bytes(), STAGE, DeviceBuffer.Movement.ON_DEMAND);
        }
        ctx.staging().uploadReals(upload, z, latent, STAGE);
        addColumns(upload, 0, 1);
    }

    @Override
    public void split() {
        blocks.add(new Block(blocks.size()));
    }

    @Override
    public long pairs() {
        return blocks.stream().mapToLong(b -> b.pairs).sum();
    }

    /**
     * Reads the Grams back: per block that has pairs, one declared read-back (stage "learn") of X Xᵀ, Y Xᵀ
     * and the d row sums of Σ y² (one program per block, so the host staging holds one block at a time);
     * Σ|y|² is finished on the host in row order.
     */
    @Override
    public List<Gram> blocks() {
        List<Gram> out = new ArrayList<>(blocks.size());
        for (Block block : blocks) {
            if (block.pairs == 0) {
                out.add(Gram.zero(d));
                continue;
            }
            try (StepProgram program = StepProgram.builder(ctx, "gram-read")
                    .readBack(block.xx, 0, block.xx.bytes(), STAGE)
                    .readBack(block.yx, 0, block.yx.bytes(), STAGE)
                    .readBack(block.yyRow, 0, block.yyRow.bytes(), STAGE).freeze()) {
                program.run();
                double[] xx = new double[d * d];
                double[] yx = new double[d * d];
                double[] yyRow = new double[d];
                RealBuffers.decode(program.readBack(block.xx, 0), xx, accumulate);
                RealBuffers.decode(program.readBack(block.yx, 0), yx, accumulate);
                RealBuffers.decode(program.readBack(block.yyRow, 0), yyRow, accumulate);
                out.add(new Gram(d, xx, yx, CpuGram.sumInOrder(yyRow), block.pairs));
            }
        }
        return out;
    }

    private int groups() {
        return Math.ceilDiv(d, TILE);
    }

    private ByteBuffer push(int xCol, int yCol, int pairs, boolean overwrite) {
        ByteBuffer p = ByteBuffer.allocateDirect(PUSH_BYTES).order(ByteOrder.nativeOrder());
        p.putInt(0, d).putInt(4, xCol).putInt(8, yCol).putInt(12, pairs).putInt(16, overwrite ? 1 : 0);
        return p;
    }

    private ComputeKernel.Binding updateBinding(DeviceBuffer x, DeviceBuffer y) {
        Block block = blocks.get(blocks.size() - 1);
        Key key = new Key(x, y, blocks.size() - 1);
        ComputeKernel.Binding binding = updateBindings.get(key);
        if (binding == null) {
            if (updateBindings.size() >= MAX_CACHED_BINDINGS) { // a kernel's descriptor pool is finite: start a fresh one
                update.close();
                update = newUpdateKernel();
                updateBindings.clear();
            }
            binding = update.bind(x, y, block.xx, block.yx, block.yyRow);
            updateBindings.put(key, binding);
        }
        return binding;
    }

    private ComputeKernel.Binding copyBinding(DeviceBuffer source) {
        ComputeKernel.Binding binding = copyBindings.get(source);
        if (binding == null) {
            if (copyBindings.size() >= MAX_CACHED_BINDINGS) {
                copy.close();
                copy = CopyColumns.gpu(ctx, latent);
                copyBindings.clear();
            }
            binding = copy.bind(source, carry);
            copyBindings.put(source, binding);
        }
        return binding;
    }

    @Override
    public void close() {
        for (Block b : blocks) {
            b.close();
        }
        blocks.clear();
        if (upload != null) {
            upload.close();
        }
        if (carry != null) {
            carry.close();
        }
        if (copy != null) {
            copy.close();
        }
        if (update != null) {
            update.close();
        }
    }
}
