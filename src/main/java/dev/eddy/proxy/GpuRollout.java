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
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The rollout on the device (design §4): A is uploaded once ({@link #setOperator}, ledger stage
 * "learn"), the initial states are copied from a device latent matrix ({@link #start(DeviceBuffer, int)},
 * no host copy) or uploaded ({@link #start(double[])}), and {@link #run} replays one step program that
 * holds `steps` dispatches of src/main/glsl/proxy/rollout_gemv.comp with a barrier between them: one
 * submission, no host round trip between steps. The trajectory stays on the device
 * ({@link #trajectory()}, layout in {@link Rollout}) for the GPU decoder; {@link #readColumn} and
 * {@link #readColumns} are declared read-backs (stage "rollout").
 *
 * <p>Buffers: "proxy.A" d² reals, "proxy.trajectory" d·(maxSteps+1)·batch reals, in the run's precision.
 */
public final class GpuRollout implements Rollout {
    /** Ledger stage of the upload of A. */
    public static final String STAGE_LEARN = "learn";
    /** Ledger stage of initial-state uploads and trajectory read-backs. */
    public static final String STAGE_ROLLOUT = "rollout";
    /** Push constants: four uints (d, batch, stride, step). */
    public static final int PUSH_BYTES = 16;
    /** Descriptor sets made for start() sources before the copy kernel is renewed (32 per kernel). */
    private static final int MAX_CACHED_SOURCES = 24;

    private final VulkanContext ctx;
    private final int d;
    private final int batch;
    private final int maxSteps;
    private final Precision precision;
    private final DeviceBuffer operator;
    private final DeviceBuffer trajectory;
    private final ComputeKernel gemv;
    private final ComputeKernel.Binding gemvBinding;
    private final Map<DeviceBuffer, ComputeKernel.Binding> copyBindings = new IdentityHashMap<>();
    private ComputeKernel copy;
    private StepProgram program;
    private int programSteps;
    private boolean hasOperator;
    private boolean started;
    private int lastSteps;
    private double lastNanos = Double.NaN;

    public GpuRollout(VulkanContext ctx, int d, int batch, int maxSteps, Precision p) {
        if (d < 1 || (long) d * d >= 1L << 31) {
            throw new IllegalArgumentException("latent dimension must be in 1..46340, got " + d);
        }
        if (batch < 1 || maxSteps < 1) {
            throw new IllegalArgumentException("a rollout needs batch ≥ 1 and maxSteps ≥ 1, got batch " + batch + ", maxSteps " + maxSteps);
        }
        long reals = (long) d * (maxSteps + 1) * batch;
        if (reals >= 1L << 31) { // the shader indexes the trajectory with 32-bit integers
            throw new IllegalArgumentException("a trajectory of " + batch + " × " + (maxSteps + 1) + " columns of d = " + d
                    + " is " + reals + " reals, beyond the shader's 32-bit indexing; roll out fewer steps or a smaller batch");
        }
        if ((long) d * batch > CopyColumns.MAX_COUNT) {
            throw new IllegalArgumentException("d·batch = " + (long) d * batch + " initial values exceed one copy dispatch");
        }
        this.ctx = ctx;
        this.d = d;
        this.batch = batch;
        this.maxSteps = maxSteps;
        this.precision = p;
        DeviceBuffer a = null;
        DeviceBuffer z = null;
        ComputeKernel k = null;
        try {
            k = new ComputeKernel(ctx, "rollout_gemv", p, 2, PUSH_BYTES);
            a = new DeviceBuffer(ctx, "proxy.A", (long) d * d * p.bytes(), "proxy", DeviceBuffer.Movement.ONCE_AT_START);
            z = new DeviceBuffer(ctx, "proxy.trajectory", reals * p.bytes(), "proxy", DeviceBuffer.Movement.ON_DEMAND);
            this.copy = CopyColumns.gpu(ctx, p);
        } catch (RuntimeException e) {
            for (AutoCloseable c : new AutoCloseable[] {z, a, k}) {
                if (c != null) {
                    try {
                        c.close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
            }
            throw e;
        }
        this.gemv = k;
        this.operator = a;
        this.trajectory = z;
        this.gemvBinding = gemv.bind(operator, trajectory);
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public int batch() {
        return batch;
    }

    public int maxSteps() {
        return maxSteps;
    }

    public Precision precision() {
        return precision;
    }

    /** The trajectory column of step {@code step} of trajectory {@code b}: b·(maxSteps+1) + step. */
    public int column(int b, int step) {
        if (b < 0 || b >= batch || step < 0 || step > maxSteps) {
            throw new IndexOutOfBoundsException("trajectory " + b + " step " + step + " outside batch " + batch + ", maxSteps " + maxSteps);
        }
        return b * (maxSteps + 1) + step;
    }

    /** Uploads A, in the run's precision (ledger stage "learn"); once per learned operator. */
    @Override
    public void setOperator(LinearProxy proxy) {
        if (proxy.d() != d) {
            throw new IllegalArgumentException("the proxy's A is " + proxy.d() + "×" + proxy.d() + " but this rollout has d = " + d);
        }
        ctx.staging().uploadReals(operator, proxy.a(), precision, STAGE_LEARN);
        hasOperator = true;
    }

    /**
     * Copies the columns [column, column + batch) of a column-major latent matrix on the device (the
     * codec's latents, in the run's precision) to the initial states of the batch, on the device.
     */
    public void start(DeviceBuffer source, int column) {
        long columnBytes = (long) d * precision.bytes();
        long held = source.bytes() / columnBytes;
        if (column < 0 || (long) column + batch > held) {
            throw new IllegalArgumentException("source buffer '" + source.name() + "' of " + source.bytes() + " bytes holds " + held
                    + " columns of d = " + d + " " + precision.label() + " reals; the rollout needs columns [" + column + ", "
                    + ((long) column + batch) + ")");
        }
        ComputeKernel.Binding binding = copyBinding(source);
        StepProgram.Builder b = StepProgram.builder(ctx, "rollout-start");
        for (int k = 0; k < batch; k++) {
            CopyColumns.record(b, binding, source, (long) (column + k) * d, trajectory, (long) column(k, 0) * d, d);
        }
        try (StepProgram p = b.freeze()) {
            p.run();
        }
        started = true;
    }

    /** From latents on this context in place (a codec's latent matrix), else from host copies of their columns. */
    @Override
    public void start(Latents source, int column) {
        DeviceBuffer buffer = source.bufferOn(ctx);
        if (buffer != null && source.precision() == precision) {
            start(buffer, column);
            return;
        }
        double[] z0 = new double[d * batch];
        for (int k = 0; k < batch; k++) {
            System.arraycopy(source.column(column + k), 0, z0, k * d, d);
        }
        start(z0);
    }

    /** Uploads the initial states: batch columns of d, column-major (ledger stage "rollout"). */
    public void start(double[] z0) {
        if (z0.length != (long) d * batch) {
            throw new IllegalArgumentException("initial states have " + z0.length + " values, expected d·batch = " + (long) d * batch);
        }
        for (int k = 0; k < batch; k++) {
            double[] col = java.util.Arrays.copyOfRange(z0, k * d, (k + 1) * d);
            ctx.staging().upload(trajectory, (long) column(k, 0) * d * precision.bytes(), RealBuffers.encode(col, precision), STAGE_ROLLOUT);
        }
        started = true;
    }

    /**
     * Rolls every trajectory {@code steps} steps from its initial state: one submission of a program
     * with one dispatch per step (re-recorded only when the step count changes), GPU timestamps around
     * the steps when the queue has them. Running again recomputes the same columns from the same start.
     */
    @Override
    public void run(int steps) {
        if (steps < 1 || steps > maxSteps) {
            throw new IllegalArgumentException("steps must be in 1..maxSteps = " + maxSteps + ", got " + steps);
        }
        if (!hasOperator) {
            throw new IllegalStateException("setOperator() before run(): the rollout has no A");
        }
        if (!started) {
            throw new IllegalStateException("start() before run(): the rollout has no initial state");
        }
        if (program == null || programSteps != steps) {
            if (program != null) {
                program.close();
                program = null;
            }
            program = record(steps);
            programSteps = steps;
        }
        program.run();
        lastSteps = steps;
        double[] ts = program.timestampsNanos();
        lastNanos = ts.length == 2 ? ts[1] - ts[0] : Double.NaN;
    }

    private StepProgram record(int steps) {
        boolean timed = ctx.timestampValidBits() > 0;
        StepProgram.Builder b = StepProgram.builder(ctx, "rollout-" + steps);
        if (timed) {
            b.timestamp();
        }
        int groupsY = Math.ceilDiv(batch, RolloutKernels_F64.BATCH_TILE);
        for (int t = 0; t < steps; t++) {
            ByteBuffer push = ByteBuffer.allocateDirect(PUSH_BYTES).order(ByteOrder.nativeOrder());
            push.putInt(0, d).putInt(4, batch).putInt(8, maxSteps + 1).putInt(12, t);
            b.dispatch(gemvBinding, push, d, groupsY, 1);
            b.barrier(); // step t + 1 reads the column step t wrote
        }
        if (timed) {
            b.timestamp();
        }
        return b.freeze();
    }

    /** Device time of the last {@link #run}, from GPU timestamps; empty when the queue has none. */
    public OptionalDouble lastRunDeviceMillis() {
        return Double.isNaN(lastNanos) ? OptionalDouble.empty() : OptionalDouble.of(lastNanos * 1e-6);
    }

    /** Device milliseconds per proxy step of the last {@link #run} (all trajectories of the batch). */
    public OptionalDouble deviceMillisPerStep() {
        return Double.isNaN(lastNanos) ? OptionalDouble.empty() : OptionalDouble.of(lastNanos * 1e-6 / lastSteps);
    }

    /** The trajectory buffer: d·(maxSteps+1)·batch reals, layout of {@link Rollout}. */
    public DeviceBuffer trajectoryBuffer() {
        return trajectory;
    }

    /** The trajectories on the device, as latents a codec on this context decodes in place. */
    @Override
    public Latents trajectory() {
        return new Latents.Device(trajectory, d, (maxSteps + 1) * batch, precision, ctx, STAGE_ROLLOUT);
    }

    @Override
    public double deviceMillis() {
        return lastRunDeviceMillis().orElse(Double.NaN);
    }

    /** One trajectory column, read back (declared, stage "rollout"). */
    public double[] readColumn(int column) {
        return readColumns(column, 1);
    }

    /** Columns [from, from + count) of the trajectory in one declared read-back (stage "rollout"). */
    public double[] readColumns(int from, int count) {
        long columns = (long) (maxSteps + 1) * batch;
        if (from < 0 || count < 1 || (long) from + count > columns) {
            throw new IllegalArgumentException("columns [" + from + ", " + ((long) from + count) + ") outside the trajectory's " + columns);
        }
        long columnBytes = (long) d * precision.bytes();
        try (StepProgram p = StepProgram.builder(ctx, "rollout-read")
                .readBack(trajectory, from * columnBytes, count * columnBytes, STAGE_ROLLOUT).freeze()) {
            p.run();
            double[] out = new double[count * d];
            RealBuffers.decode(p.readBack(trajectory, from * columnBytes), out, precision);
            return out;
        }
    }

    private ComputeKernel.Binding copyBinding(DeviceBuffer source) {
        ComputeKernel.Binding binding = copyBindings.get(source);
        if (binding == null) {
            if (copyBindings.size() >= MAX_CACHED_SOURCES) { // a kernel's descriptor pool is finite: start a fresh one
                copy.close();
                copy = CopyColumns.gpu(ctx, precision);
                copyBindings.clear();
            }
            binding = copy.bind(source, trajectory);
            copyBindings.put(source, binding);
        }
        return binding;
    }

    @Override
    public void close() {
        if (program != null) {
            program.close();
        }
        copy.close();
        gemv.close();
        trajectory.close();
        operator.close();
    }
}
