package dev.eddy.sim.gpu;

import dev.eddy.backend.Backend;
import dev.eddy.config.RunConfig;
import dev.eddy.gpu.BufferSpec;
import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.ContextOptions;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.FftPlans;
import dev.eddy.gpu.Owned;
import dev.eddy.gpu.Push;
import dev.eddy.gpu.RealBuffers;
import dev.eddy.gpu.StepProgram;
import dev.eddy.gpu.TransferSpec;
import dev.eddy.gpu.VkFftPlan;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.DiagnosticSums;
import dev.eddy.sim.FlowDiagnostics;
import dev.eddy.sim.InitialCondition;
import dev.eddy.sim.PendingSnapshot;
import dev.eddy.sim.Simulation;
import dev.eddy.sim.SimulationDivergedException;
import dev.eddy.sim.StepInfo;
import dev.eddy.sim.cpu.LesKernels_F64;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The LES on the Vulkan engine: the operations of {@link dev.eddy.sim.LesStep}, recorded once by a
 * {@link GpuLesRecorder} into a {@link StepProgram} and replayed. ω̂, the stage fields, the work fields
 * and the step record stay on the device; dt is computed there (les_cfl_dt) and logged, with max|u| and
 * the Courant number, in a device ring buffer that the host reads back once per {@link #advance} call.
 * What the host sees of the state (copies, snapshots, restores) is {@link GpuLesState}'s.
 *
 * <p>Host↔device traffic: the initial state (and forcing) once; per {@link #advance}, the ring entries
 * of the steps taken; per diagnostics request, the row maxima and the sums' totals; per snapshot or
 * checkpoint, ω̂, at most once per state. Every buffer and every copy is planned by {@link GpuLesLayout}
 * (what {@code eddy run --explain} prints).
 */
public final class GpuLes implements Simulation {
    /** Steps one {@link #advance} may take before its ring entries are read back. */
    public static final int RING_CAPACITY = GpuLesLayout.RING_CAPACITY;

    private final RunConfig config;
    private final GpuLesLayout layout;
    private final Grid grid;
    private final Precision precision;
    private final Backend.Vulkan backend;
    /** Whether {@link #close} closes {@link #backend}: only a backend this LES opened for itself. */
    private final boolean ownsBackend;
    private final VulkanContext ctx;
    private final Owned owned = new Owned();
    private final Map<String, DeviceBuffer> buffers = new LinkedHashMap<>();
    private final DeviceBuffer omega;
    private final DeviceBuffer ring;
    private final DeviceBuffer step;
    private final DeviceBuffer rowMax;
    private final DeviceBuffer diagRows;
    private final GpuLesState state;
    private final StepProgram stepProgram;
    private final StepProgram diagnosticsProgram;
    private final StepProgram ringProgram;
    private final StepProgram profiledStep;
    private final List<String> profileLabels = new ArrayList<>();

    private long steps;
    private double time;
    private long ringRead;
    private double limit = Double.POSITIVE_INFINITY;
    private StepInfo last = new StepInfo(0, 0, 0);

    /** A GPU LES on a backend of its own, opened with {@code options} and closed with the LES. */
    public GpuLes(RunConfig config, ContextOptions options) {
        this(config, new Backend.Vulkan(options, config.threads()), true);
    }

    /** A GPU LES on a shared backend (the codec and proxy of a pipeline read its state in place); the caller closes the backend. */
    public GpuLes(RunConfig config, Backend.Vulkan backend) {
        this(config, backend, false);
    }

    private GpuLes(RunConfig config, Backend.Vulkan backend, boolean ownsBackend) {
        this.config = config;
        this.layout = new GpuLesLayout(config);
        this.grid = new Grid(config.n());
        this.precision = config.precision();
        this.backend = backend;
        this.ownsBackend = ownsBackend;
        VulkanContext context;
        try {
            context = backend.context();
        } catch (RuntimeException e) {
            if (ownsBackend) {
                backend.close();
            }
            throw e;
        }
        this.ctx = context;
        try {
            ctx.requirePrecision(precision); // before anything is allocated or compiled
            layout.checkMemoryBudget(ctx.info());
            FftPlans plans = own(FftPlans.withDefaultCache(ctx));
            int n = grid.n();
            omega = buffer(layout.omega);
            DeviceBuffer stageInput = buffer(layout.stageInput);
            DeviceBuffer stages = buffer(layout.stages);
            DeviceBuffer work = buffer(layout.work);
            DeviceBuffer forcing = buffer(layout.forcing);
            rowMax = buffer(layout.rowMax);
            step = buffer(layout.step);
            ring = buffer(layout.ring);
            diagRows = buffer(layout.diagRows);
            state = own(new GpuLesState(ctx, grid, precision, layout, omega));

            double[] f = InitialCondition.forcing(grid, config.forcing());
            GpuLesRecorder recorder = new GpuLesRecorder(config, layout, f != null, new GpuLesRecorder.Parts(
                    kernel("les_spectral_fields", 2, Push.size(precision, 1, 3)),
                    kernel("les_physical_products", 2, Push.size(precision, 1, 3)),
                    kernel("les_explicit_term", 3, Push.size(precision, 0, 5)),
                    kernel("les_lawson_combine", 4, Push.size(precision, 11, 4)),
                    kernel("les_cfl_dt", 3, Push.size(precision, 3, 2)),
                    kernel("les_diagnostics", 4, Push.size(precision, 0, 5)),
                    plans.plan(work, n, n, layout.spectralFields, precision),
                    plans.plan(work, n, n, layout.productFields, precision),
                    omega, stageInput, stages, work, forcing, rowMax, step, ring, diagRows));

            // The step, recorded twice: plain, and (where the queue has timestamps) with a timestamp after
            // every operation, for the per-operation profile of profileStep().
            StepProgram.Builder b = StepProgram.builder(ctx, "les-step");
            recorder.step(b, null);
            stepProgram = own(b.freeze());
            if (ctx.timestampValidBits() > 0) {
                StepProgram.Builder pb = StepProgram.builder(ctx, "les-step-profiled").timestamp();
                recorder.step(pb, profileLabels);
                profiledStep = own(pb.freeze());
            } else {
                profiledStep = null;
            }
            StepProgram.Builder diagnostics = StepProgram.builder(ctx, "les-diagnostics");
            recorder.diagnostics(diagnostics);
            for (TransferSpec t : layout.diagnosticsReadBacks) {
                readBack(diagnostics, t);
            }
            diagnosticsProgram = own(diagnostics.freeze());
            ringProgram = own(readBack(StepProgram.builder(ctx, "les-ring"), layout.ringReadBack).freeze());

            var initial = layout.initialUploads;
            upload(ctx, initial.get(0), omega, RealBuffers.encode(InitialCondition.vorticity(grid, config.initial()), precision));
            upload(ctx, initial.get(1), forcing, RealBuffers.encode(f != null ? f : new double[grid.fieldLength()], precision));
            upload(ctx, initial.get(2), step, RealBuffers.encode(new double[] {0, 0, Double.MAX_VALUE}, precision));
            upload(ctx, initial.get(3), ring, ByteBuffer.allocateDirect(8));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        return owned.add(resource);
    }

    private DeviceBuffer buffer(BufferSpec spec) {
        DeviceBuffer b = own(new DeviceBuffer(ctx, spec));
        buffers.put(spec.name(), b);
        return b;
    }

    private ComputeKernel kernel(String name, int storageBuffers, int pushBytes) {
        return own(new ComputeKernel(ctx, name, precision, storageBuffers, pushBytes));
    }

    /** Declares a planned read-back in a program (the plan names the buffer; it must be this one). */
    private StepProgram.Builder readBack(StepProgram.Builder b, TransferSpec t) {
        DeviceBuffer source = buffers.get(t.buffer());
        requireBuffer(t, source);
        return b.readBack(source, t.offset(), t.bytes(), t.stage());
    }

    /** A planned synchronous upload; the data must be exactly the planned size, so the plan cannot drift from the copy. */
    static void upload(VulkanContext ctx, TransferSpec t, DeviceBuffer dst, ByteBuffer data) {
        requireBuffer(t, dst);
        if (data.remaining() != t.bytes()) {
            throw new IllegalStateException("planned " + t + " but " + data.remaining() + " bytes are ready");
        }
        ctx.staging().upload(dst, t.offset(), data, t.stage());
    }

    static void requireBuffer(TransferSpec t, DeviceBuffer b) {
        if (b == null || !t.buffer().equals(b.name())) {
            throw new IllegalStateException("transfer " + t + " planned on another buffer than " + (b == null ? "none" : b.name()));
        }
    }

    @Override
    public List<Map<String, Object>> transfers() {
        return ctx.ledger().snapshot();
    }

    /**
     * The buffers as allocated, with their sizes, memory and lifetimes (the memory map): the device
     * buffers, then the host-visible staging (snapshot slots, program read-backs, the context's
     * synchronous staging), in the order of {@link GpuLesLayout#buffers()}.
     */
    @Override
    public List<Map<String, Object>> memoryMap() {
        List<Map<String, Object>> out = new ArrayList<>();
        buffers.values().forEach(b -> out.add(b.describe()));
        state.snapshotReadBacks().describe().forEach(b -> out.add(b.describe()));
        out.add(allocated(layout.ringStaging, ringProgram.readBackBytes()));
        out.add(allocated(layout.diagnosticsStaging, diagnosticsProgram.readBackBytes()));
        out.add(allocated(layout.contextStaging, ctx.staging().hostBytes()));
        return out;
    }

    /** A planned host buffer's line with the size its owner actually allocated. */
    private static Map<String, Object> allocated(BufferSpec planned, long bytes) {
        return new BufferSpec(planned.name(), bytes, planned.memory(), planned.lifetime(), planned.movement()).describe();
    }

    public VulkanContext context() {
        return ctx;
    }

    /**
     * ω̂ for a reader on {@code context}: the unnormalised forward transform of ω in the {@link Grid}
     * layout, in the run's precision, at rest between {@link #advance} calls (each waits for its steps). A
     * snapshot's copy may still be reading it then; other readers are unaffected, and a writer must start
     * with a barrier, as every {@link StepProgram} does. Null on another context.
     */
    @Override
    public DeviceBuffer deviceState(VulkanContext context) {
        return context == ctx ? omega : null;
    }

    @Override
    public RunConfig config() {
        return config;
    }

    @Override
    public Grid grid() {
        return grid;
    }

    @Override
    public String name() {
        return "vulkan-" + precision.label();
    }

    @Override
    public StepInfo step(double maxDt) {
        return advance(1, maxDt);
    }

    @Override
    public int maxAdvance() {
        return layout.maxAdvance();
    }

    /**
     * Replays the step program {@code count} times in one submission, then reads back the ring
     * entries of those steps (dt, max|u| and the Courant number of each) to keep the time and catch a
     * blow-up.
     */
    @Override
    public StepInfo advance(int count, double maxDt) {
        if (count < 1 || count > RING_CAPACITY) {
            throw new IllegalArgumentException("advance takes 1.." + RING_CAPACITY + " steps, got " + count);
        }
        if (maxDt != limit) {
            // the dt limit (end-time clipping) lives in the step record: one small upload when it changes
            upload(ctx, layout.dtLimitUpload, step, RealBuffers.encode(new double[] {Double.isInfinite(maxDt) ? Double.MAX_VALUE : maxDt},
                    precision));
            limit = maxDt;
        }
        state.changes(); // from here on, even if the run fails
        stepProgram.run(count);
        return consumeRing(count);
    }

    /** Reads the ring entries of the {@code count} steps just taken: their dt (for the time) and max|u| (for blow-ups). */
    private StepInfo consumeRing(int count) {
        ringProgram.run();
        ByteBuffer r = ringProgram.readBack(ring, layout.ringReadBack.offset());
        long total = Integer.toUnsignedLong(r.getInt(0));
        if (total != ringRead + count) {
            throw new IllegalStateException("ring buffer holds " + total + " steps, expected " + (ringRead + count));
        }
        for (long k = ringRead; k < total; k++) {
            long entry = 8 + GpuLesLayout.RING_ENTRY * (k % RING_CAPACITY) * precision.bytes();
            double dt = real(r, entry);
            double speed = real(r, entry + precision.bytes());
            double courant = real(r, entry + 2L * precision.bytes());
            if (!Double.isFinite(speed)) {
                throw new SimulationDivergedException(steps, time, "max|u| = " + speed + " (the state after this step was"
                        + " computed on the device; the last checkpoint predates it)");
            }
            steps++;
            time += dt;
            last = new StepInfo(dt, speed, courant);
        }
        ringRead = total;
        return last;
    }

    /**
     * Takes one real step through the profiled recording and returns the GPU time of each operation
     * in ms, in order (timestamps after each; an FFT's time includes its barriers). Empty where the
     * queue has no timestamps.
     */
    @Override
    public Map<String, Double> profileStep() {
        Map<String, Double> out = new LinkedHashMap<>();
        if (profiledStep == null) {
            return out;
        }
        state.changes();
        profiledStep.run();
        consumeRing(1);
        double[] ns = profiledStep.timestampsNanos();
        for (int i = 0; i < profileLabels.size(); i++) {
            out.put(profileLabels.get(i), (ns[i + 1] - ns[i]) * 1e-6);
        }
        out.put("total", ns[ns.length - 1] * 1e-6);
        return out;
    }

    private double real(ByteBuffer b, long offset) {
        return precision == Precision.FP64 ? b.getDouble((int) offset) : b.getFloat((int) offset);
    }

    private double[] reals(ByteBuffer b, int count) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = real(b, (long) i * precision.bytes());
        }
        return out;
    }

    @Override
    public long stepCount() {
        return steps;
    }

    @Override
    public double time() {
        return time;
    }

    @Override
    public double[] spectralState() {
        return state.spectral().clone();
    }

    /**
     * Submits a copy of ω̂ into a free snapshot staging buffer and returns at once. The next
     * {@link #advance} is ordered behind the copy on the queue, so the snapshot holds this step's state;
     * {@link PendingSnapshot#get()} waits for the copy only, then transforms on the calling thread.
     */
    @Override
    public PendingSnapshot requestSnapshot() {
        return state.requestSnapshot(steps, time);
    }

    @Override
    public void restore(double[] s, long step, double time) {
        if (s.length != grid.fieldLength()) {
            throw new IllegalArgumentException("state of " + s.length + " reals does not fit N = " + grid.n());
        }
        state.restore(s);
        this.steps = step;
        this.time = time;
    }

    @Override
    public double[] vorticity() {
        return GpuLesState.hostVorticity(grid, state.spectral());
    }

    /** The diagnostics of the current state, reduced on the device: the row maxima and the totals of the sums cross. */
    @Override
    public FlowDiagnostics diagnostics() {
        diagnosticsProgram.run();
        int n = grid.n();
        double[] rowMaxima = reals(diagnosticsProgram.readBack(rowMax, layout.diagnosticsReadBacks.get(0).offset()),
                LesKernels_F64.ROW_MAXIMA * n);
        double[] totals = reals(diagnosticsProgram.readBack(diagRows, layout.diagnosticsReadBacks.get(1).offset()),
                DiagnosticSums.COUNT);
        return FlowDiagnostics.of(grid, config.physics(), totals, LesKernels_F64.gridMaxima(rowMaxima, n));
    }

    @Override
    public void close() {
        if (ctx != null) {
            ctx.drain(); // tolerates a lost device: what it holds is released all the same
        }
        try {
            owned.close();
        } finally {
            if (ownsBackend) {
                backend.close();
            }
        }
    }
}
