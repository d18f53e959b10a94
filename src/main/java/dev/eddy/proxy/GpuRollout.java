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
 * The rollout on the device (design §4): the operator is uploaded once ({@link #setOperator}, ledger
 * stage "learn") in the form that is cheaper to apply — the factors L, R of a snapshot-form fit (A = L Rᵀ,
 * two rollout_factors.comp GEMVs a step, 2dr multiply-adds) or the explicit A (one rollout_gemv.comp GEMV,
 * d²) — the initial states are copied from a device latent matrix ({@link #start(DeviceBuffer, int)}, no
 * host copy) or uploaded ({@link #start(double[])}), and {@link #run} replays one step program that holds
 * every step's dispatches with barriers between them: one submission, no host round trip between steps. The trajectory stays on the device
 * ({@link #trajectory()}, layout in {@link Rollout}) for the GPU decoder; {@link #readColumn} and
 * {@link #readColumns} are declared read-backs (stage "rollout").
 *
 * <p>Buffers: "proxy.trajectory" d·(maxSteps+1)·batch reals; "proxy.A" d² reals, or "proxy.R" and "proxy.L" d·r
 * and "proxy.u" r·batch; in the run's precision.
 */
public final class GpuRollout implements Rollout {
    /** Ledger stage of the upload of A. */
    public static final String STAGE_LEARN = "learn";
    /** Push constants of rollout_factors: seven uints (rows, cols, batch, in offset and stride, out offset and stride). */
    static final int FACTOR_PUSH_BYTES = 28;
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
    private final DeviceBuffer trajectory;
    private final ComputeKernel gemv;
    /** The operator as it is applied: explicit A (rollout_gemv) or the factors L, R (rollout_factors); made by setOperator. */
    private Operator operator;
    private DeviceBuffer explicitA;
    private ComputeKernel.Binding explicitBinding;
    private final Map<DeviceBuffer, ComputeKernel.Binding> copyBindings = new IdentityHashMap<>();
    private ComputeKernel copy;
    private StepProgram program;
    private int programSteps;
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
        DeviceBuffer z = null;
        ComputeKernel k = null;
        try {
            k = new ComputeKernel(ctx, "rollout_gemv", p, 2, PUSH_BYTES);
            z = new DeviceBuffer(ctx, "proxy.trajectory", reals * p.bytes(), "proxy", DeviceBuffer.Movement.ON_DEMAND);
            this.copy = CopyColumns.gpu(ctx, p);
        } catch (RuntimeException e) {
            for (AutoCloseable c : new AutoCloseable[] {z, k}) {
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
        this.trajectory = z;
    }

    /** The device side of one learnt operator: its buffers and descriptor sets, and how a step is recorded. */
    private interface Operator extends AutoCloseable {
        void recordStep(StepProgram.Builder b, int step);

        /** "explicit" or "factors", for the metrics. */
        String form();

        @Override
        void close();
    }

    /**
     * A, row-major d×d: one rollout_gemv dispatch per step. The buffer and its descriptor set are made on the
     * first explicit operator and kept for the next ones (a kernel's pool holds 32 sets).
     */
    private final class Explicit implements Operator {
        Explicit(LinearProxy proxy) {
            if (explicitA == null) {
                explicitA = new DeviceBuffer(ctx, "proxy.A", (long) d * d * precision.bytes(), "proxy: A, row-major d×d",
                        DeviceBuffer.Movement.ONCE_AT_START);
                explicitBinding = gemv.bind(explicitA, trajectory);
            }
            ctx.staging().uploadReals(explicitA, proxy.a(), precision, STAGE_LEARN);
        }

        @Override
        public void recordStep(StepProgram.Builder b, int step) {
            ByteBuffer push = ByteBuffer.allocateDirect(PUSH_BYTES).order(ByteOrder.nativeOrder());
            push.putInt(0, d).putInt(4, batch).putInt(8, maxSteps + 1).putInt(12, step);
            b.dispatch(explicitBinding, push, d, Math.ceilDiv(batch, RolloutKernels_F64.BATCH_TILE), 1);
            b.barrier(); // step t + 1 reads the column step t wrote
        }

        @Override
        public String form() {
            return "explicit";
        }

        @Override
        public void close() {
            // the buffer stays for the next explicit operator; GpuRollout.close() frees it
        }
    }

    /**
     * A = L Rᵀ: two rollout_factors dispatches per step, u = Rᵀ z_t into a small buffer, then z_{t+1} = L u
     * (2·d·r multiply-adds instead of d², and no d×d matrix formed on the host or held on the device).
     */
    private final class Factored implements Operator {
        private final int r;
        private final ComputeKernel kernel;
        private final DeviceBuffer right;
        private final DeviceBuffer left;
        private final DeviceBuffer u;
        private final ComputeKernel.Binding project;
        private final ComputeKernel.Binding expand;

        Factored(OperatorFactors f) {
            r = f.m();
            java.util.List<AutoCloseable> made = new java.util.ArrayList<>();
            try {
                kernel = keep(made, new ComputeKernel(ctx, "rollout_factors", precision, 3, FACTOR_PUSH_BYTES));
                // R column-major d×r is Rᵀ row-major r×d as stored; L goes down row-major d×r
                right = keep(made, new DeviceBuffer(ctx, "proxy.R", (long) d * r * precision.bytes(), "proxy: Rᵀ, r×d",
                        DeviceBuffer.Movement.ONCE_AT_START));
                left = keep(made, new DeviceBuffer(ctx, "proxy.L", (long) d * r * precision.bytes(), "proxy: L, row-major d×r",
                        DeviceBuffer.Movement.ONCE_AT_START));
                u = keep(made, new DeviceBuffer(ctx, "proxy.u", (long) r * batch * precision.bytes(), "proxy: Rᵀ z per trajectory",
                        DeviceBuffer.Movement.NEVER));
                ctx.staging().uploadReals(right, f.right(), precision, STAGE_LEARN);
                double[] lRows = new double[d * r];
                for (int c = 0; c < r; c++) {
                    for (int i = 0; i < d; i++) {
                        lRows[i * r + c] = f.left()[c * d + i];
                    }
                }
                ctx.staging().uploadReals(left, lRows, precision, STAGE_LEARN);
                project = kernel.bind(right, trajectory, u);
                expand = kernel.bind(left, u, trajectory);
            } catch (RuntimeException e) {
                for (int i = made.size() - 1; i >= 0; i--) {
                    try {
                        made.get(i).close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }

        private static <T extends AutoCloseable> T keep(java.util.List<AutoCloseable> made, T t) {
            made.add(t);
            return t;
        }

        @Override
        public void recordStep(StepProgram.Builder b, int step) {
            int stride = (maxSteps + 1) * d;
            int groupsY = Math.ceilDiv(batch, RolloutKernels_F64.BATCH_TILE);
            b.dispatch(project, factorPush(r, d, step * d, stride, 0, r), r, groupsY, 1);
            b.barrier();
            b.dispatch(expand, factorPush(d, r, 0, r, (step + 1) * d, stride), d, groupsY, 1);
            b.barrier(); // step t + 1 reads the column step t wrote, and rewrites u
        }

        private ByteBuffer factorPush(int rows, int cols, int inOffset, int inStride, int outOffset, int outStride) {
            ByteBuffer push = ByteBuffer.allocateDirect(FACTOR_PUSH_BYTES).order(ByteOrder.nativeOrder());
            push.putInt(0, rows).putInt(4, cols).putInt(8, batch).putInt(12, inOffset).putInt(16, inStride).putInt(20, outOffset)
                    .putInt(24, outStride);
            return push;
        }

        @Override
        public String form() {
            return "factors";
        }

        @Override
        public void close() {
            u.close();
            left.close();
            right.close();
            kernel.close();
        }
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
        Operator next = proxy.factorsCheaper() ? new Factored(proxy.factors().orElseThrow()) : new Explicit(proxy);
        if (program != null) {
            program.close();
            program = null;
        }
        if (operator != null) {
            operator.close();
        }
        operator = next;
    }

    /** How the operator is applied on the device: "explicit" (the GEMV with A) or "factors" (A = L Rᵀ); null before setOperator. */
    public String operatorForm() {
        return operator == null ? null : operator.form();
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
        if (operator == null) {
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
        for (int t = 0; t < steps; t++) {
            operator.recordStep(b, t);
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
        if (operator != null) {
            operator.close();
        }
        if (explicitA != null) {
            explicitA.close();
        }
        copy.close();
        gemv.close();
        trajectory.close();
    }
}
