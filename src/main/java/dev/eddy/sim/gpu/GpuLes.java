package dev.eddy.sim.gpu;

import dev.eddy.gpu.Push;
import dev.eddy.config.RunConfig;
import dev.eddy.gpu.BufferSpec;
import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.ContextOptions;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.FftPlans;
import dev.eddy.gpu.ReadBackPool;
import dev.eddy.gpu.RealBuffers;
import dev.eddy.gpu.StepProgram;
import dev.eddy.gpu.TransferSpec;
import dev.eddy.gpu.VkFftPlan;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.numerics.ButcherTableau;
import dev.eddy.sim.DiagnosticSums;
import dev.eddy.sim.FlowDiagnostics;
import dev.eddy.numerics.Grid;
import dev.eddy.sim.InitialCondition;
import dev.eddy.sim.PendingSnapshot;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.Simulation;
import dev.eddy.sim.SimulationDivergedException;
import dev.eddy.sim.Snapshot;
import dev.eddy.sim.StepInfo;
import dev.eddy.numerics.CpuFft2D_F64;
import dev.eddy.sim.cpu.LesKernels_F64;
import dev.eddy.numerics.Parallel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The LES on the Vulkan engine: the same Lawson Runge–Kutta step as {@link dev.eddy.sim.cpu.CpuLes_F64},
 * built from the GLSL twins of its kernels ({@code src/main/glsl/les}) and two batched VkFFT calls per
 * stage, recorded once into a {@link StepProgram} and replayed. ω̂, the stage fields, the work fields
 * and the step record stay on the device; dt is computed there (les_cfl_dt) and logged, with max|u|,
 * in a device ring buffer that the host reads back once per {@link #advance} call.
 *
 * <p>Host↔device traffic: the initial state (and forcing) once; per {@link #advance}, the ring entries
 * of the steps taken; per diagnostics request, three reals and one real per row; per snapshot or
 * checkpoint, ω̂, at most once per state. Every buffer and every copy is planned by
 * {@link GpuLesLayout} (what {@code eddy run --explain} prints). A snapshot ({@link #requestSnapshot})
 * is copied into one of two host-visible staging buffers without waiting, so the next {@link #advance}
 * runs while the host consumes it.
 */
public final class GpuLes implements Simulation {
    /** Steps one {@link #advance} may take before its ring entries are read back. */
    public static final int RING_CAPACITY = GpuLesLayout.RING_CAPACITY;

    private final RunConfig config;
    private final GpuLesLayout layout;
    private final Grid grid;
    private final Precision precision;
    private final ButcherTableau tableau;
    private final boolean sgs;
    private final int spectralFields;
    private final int productFields;
    private final VulkanContext ctx;
    /** Whether {@link #close} closes {@link #ctx}: false when the context is shared with other stages. */
    private final boolean ownsContext;
    private final FftPlans plans;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final Map<String, DeviceBuffer> buffers = new LinkedHashMap<>();
    private final DeviceBuffer omega;
    private final DeviceBuffer ring;
    private final DeviceBuffer step;
    private final DeviceBuffer rowMax;
    private final DeviceBuffer diagRows;
    private final DeviceBuffer forcing;
    private final StepProgram stepProgram;
    private final StepProgram diagnosticsProgram;
    private final StepProgram ringProgram;
    private final StepProgram profiledStep;
    private final ReadBackPool snapshotReadBacks;
    private final List<String> profileLabels = new ArrayList<>();

    /** Records one LES step into a builder; with labels, a timestamp (and its label) after each operation. */
    @FunctionalInterface
    private interface StepRecorder {
        void record(StepProgram.Builder b, List<String> labels);
    }

    private static void mark(StepProgram.Builder b, List<String> labels, String label) {
        if (labels != null) {
            b.timestamp();
            labels.add(label);
        }
    }
    private long steps;
    private double time;
    private long ringRead;
    private double limit = Double.POSITIVE_INFINITY;
    private StepInfo last = new StepInfo(0, 0, 0);
    /**
     * The last host copy of ω̂, valid until the state changes: a step that takes a snapshot and a
     * checkpoint asks for ω̂ three times (ω, its spectrum, the checkpoint), and it crosses once.
     * Shared with snapshots; never modified (callers get copies).
     */
    private double[] hostState;
    /** Counts changes of the device state (steps, restores): a host copy or snapshot is of one version. */
    private long stateVersion;
    /** The last snapshot requested; its copy serves a later {@link #spectralState()} of the same version. */
    private GpuSnapshot lastSnapshot;

    /** A GPU LES on a context of its own, opened with {@code options} and closed with the LES. */
    public GpuLes(RunConfig config, ContextOptions options) {
        this(config, VulkanContext.open(options), true);
    }

    /**
     * A GPU LES on a context shared with other stages (the codec and proxy of a pipeline read its
     * {@link #omegaBuffer()} in place); the caller closes the context after this LES.
     */
    public GpuLes(RunConfig config, VulkanContext shared) {
        this(config, shared, false);
    }

    private GpuLes(RunConfig config, VulkanContext context, boolean ownsContext) {
        this.config = config;
        this.layout = new GpuLesLayout(config);
        this.grid = new Grid(config.n());
        this.precision = config.precision();
        this.tableau = config.time().tableau();
        this.sgs = config.physics().hasSgs();
        this.spectralFields = layout.spectralFields;
        this.productFields = layout.productFields;
        this.ctx = context;
        this.ownsContext = ownsContext;
        try {
            ctx.requirePrecision(precision); // before anything is allocated or compiled
            checkMemoryBudget();
            this.plans = own(FftPlans.withDefaultCache(ctx));
            int n = grid.n();
            int s = tableau.stages();
            omega = buffer(layout.omega);
            DeviceBuffer stageInput = buffer(layout.stageInput);
            DeviceBuffer stages = buffer(layout.stages);
            DeviceBuffer work = buffer(layout.work);
            forcing = buffer(layout.forcing);
            rowMax = buffer(layout.rowMax);
            step = buffer(layout.step);
            ring = buffer(layout.ring);
            diagRows = buffer(layout.diagRows);
            snapshotReadBacks = own(new ReadBackPool(ctx, layout.snapshotSlots));

            ComputeKernel spectral = kernel("les_spectral_fields", 2, Push.size(precision, 1, 3));
            ComputeKernel physical = kernel("les_physical_products", 2, Push.size(precision, 1, 3));
            ComputeKernel explicit = kernel("les_explicit_term", 3, Push.size(precision, 0, 5));
            ComputeKernel combine = kernel("les_lawson_combine", 4, Push.size(precision, 11, 4));
            ComputeKernel cfl = kernel("les_cfl_dt", 3, Push.size(precision, 3, 2));
            ComputeKernel diagnosticsKernel = kernel("les_diagnostics", 4, Push.size(precision, 0, 5));

            VkFftPlan inverse = plans.plan(work, n, n, spectralFields, precision);
            VkFftPlan forward = plans.plan(work, n, n, productFields, precision);

            double scale = 1.0 / ((double) n * n);
            double csDelta = config.physics().cs() * grid.spacing();
            int len = grid.fieldLength();
            int gx = (grid.halfX() + 15) / 16;
            int gy = (n + 15) / 16;
            double[] f = InitialCondition.forcing(grid, config.forcing());
            int hasForcing = f != null ? 1 : 0;
            ByteBuffer spectralPush = Push.of(precision).real(scale).i(n).i(len).i(sgs ? 1 : 0).build();
            ByteBuffer physicalPush = Push.of(precision).real(csDelta * csDelta).i(n).i(len).i(sgs ? 1 : 0).build();
            double dtMax = config.time().dt();
            ByteBuffer cflPush = Push.of(precision).real(dtMax).real(config.time().cfl()).real(grid.dealiasCutoff()).i(n)
                    .i(RING_CAPACITY).build();

            ComputeKernel.Binding spectralFromOmega = spectral.bind(omega, work);
            ComputeKernel.Binding spectralFromStage = spectral.bind(stageInput, work);
            ComputeKernel.Binding physicalBinding = physical.bind(work, rowMax);
            ComputeKernel.Binding explicitBinding = explicit.bind(work, forcing, stages);
            ComputeKernel.Binding toStage = combine.bind(omega, stages, stageInput, step);
            ComputeKernel.Binding toOmega = combine.bind(omega, stages, omega, step);
            ComputeKernel.Binding cflBinding = cfl.bind(rowMax, step, ring);

            // The step, recorded twice: plain, and (where the queue has timestamps) with a timestamp
            // after every operation, for the per-operation profile of profileStep().
            StepRecorder recorder = (b, labels) -> {
                for (int t = 0; t < s; t++) {
                    String st = "stage " + (t + 1) + ": ";
                    mark(b.dispatch(t == 0 ? spectralFromOmega : spectralFromStage, spectralPush, gx, gy, 1), labels,
                            st + "les_spectral_fields");
                    mark(b.fft(inverse, VkFftPlan.INVERSE), labels, st + "VkFFT C2R batch " + spectralFields);
                    mark(b.dispatch(physicalBinding, physicalPush, n, 1, 1), labels, st + "les_physical_products");
                    mark(b.fft(forward, VkFftPlan.FORWARD), labels, st + "VkFFT R2C batch " + productFields);
                    b.dispatch(explicitBinding, Push.of(precision).i(n).i(len).i(sgs ? 1 : 0).i(hasForcing).i(t).build(),
                            gx, gy, 1);
                    mark(b.barrier(), labels, st + "les_explicit_term");
                    if (t == 0) {
                        b.dispatch(cflBinding, cflPush, 1, 1, 1);
                        mark(b.barrier(), labels, st + "les_cfl_dt");
                    }
                    ButcherTableau.Combination c = tableau.combination(t + 1);
                    b.dispatch(t + 1 == s ? toOmega : toStage, combinationPush(c, n, len), gx, gy, 1);
                    mark(b.barrier(), labels, st + "les_lawson_combine");
                }
            };
            StepProgram.Builder b = StepProgram.builder(ctx, "les-step");
            recorder.record(b, null);
            stepProgram = own(b.freeze());
            if (ctx.timestampValidBits() > 0) {
                StepProgram.Builder pb = StepProgram.builder(ctx, "les-step-profiled").timestamp();
                recorder.record(pb, profileLabels);
                profiledStep = own(pb.freeze());
            } else {
                profiledStep = null;
            }

            // the diagnostics: the products of ω̂ as a stage forms them, then the per-row sums and their totals
            ComputeKernel.Binding diagnosticsBinding = diagnosticsKernel.bind(omega, work, forcing, diagRows);
            StepProgram.Builder diagnostics = StepProgram.builder(ctx, "les-diagnostics")
                    .dispatch(spectralFromOmega, spectralPush, gx, gy, 1)
                    .fft(inverse, VkFftPlan.INVERSE)
                    .dispatch(physicalBinding, physicalPush, n, 1, 1)
                    .fft(forward, VkFftPlan.FORWARD)
                    .dispatch(diagnosticsBinding, Push.of(precision).i(n).i(len).i(sgs ? 1 : 0).i(hasForcing).i(0).build(),
                            (n + 63) / 64, 1, 1)
                    .barrier()
                    .dispatch(diagnosticsBinding, Push.of(precision).i(n).i(len).i(sgs ? 1 : 0).i(hasForcing).i(1).build(),
                            1, 1, 1);
            for (TransferSpec t : layout.diagnosticsReadBacks) {
                readBack(diagnostics, t);
            }
            diagnosticsProgram = own(diagnostics.freeze());
            ringProgram = own(readBack(StepProgram.builder(ctx, "les-ring"), layout.ringReadBack).freeze());

            var initial = layout.initialUploads;
            upload(initial.get(0), omega, RealBuffers.encode(InitialCondition.vorticity(grid, config.initial()), precision));
            upload(initial.get(1), forcing, RealBuffers.encode(f != null ? f : new double[grid.fieldLength()], precision));
            upload(initial.get(2), step, RealBuffers.encode(new double[] {0, 0, Double.MAX_VALUE}, precision));
            upload(initial.get(3), ring, ByteBuffer.allocateDirect(8));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Refuses, before allocating anything, a run whose device buffers cannot fit: the message says
     * how much is needed and how much the device has (the largest device-local heap, less 10% for
     * VkFFT's own buffers and the driver).
     */
    private void checkMemoryBudget() {
        long field = (long) grid.n() * grid.rowStride() * precision.bytes();
        long fields = 1 + 1 + tableau.stages() + spectralFields + 1; // omega, stage input, stages, work, forcing
        long need = fields * field;
        long heap = ctx.info().deviceLocalHeaps().stream().mapToLong(Long::longValue).max().orElse(0);
        long budget = (long) (0.9 * heap);
        if (need > budget) {
            throw new dev.eddy.gpu.GpuException(String.format(java.util.Locale.ROOT,
                    "N = %d in %s needs %.2f GiB of device memory (%d fields of %.2f GiB); '%s' has %.2f GiB usable"
                            + " (90%% of its %.2f GiB heap): use a smaller N, fp32, or a larger GPU",
                    grid.n(), precision.label(), need / 1073741824.0, fields, field / 1073741824.0, ctx.info().name(),
                    budget / 1073741824.0, heap / 1073741824.0));
        }
    }

    private ByteBuffer combinationPush(ButcherTableau.Combination c, int n, int len) {
        int used = c.stage().length;
        if (used > 4) {
            throw new IllegalStateException("les_lawson_combine takes at most 4 stages");
        }
        Push p = Push.of(precision);
        for (int u = 0; u < 4; u++) {
            p.real(u < used ? c.coef()[u] : 0);
        }
        for (int u = 0; u < 4; u++) {
            p.real(u < used ? c.stageDelay()[u] : 0);
        }
        int slots = 0;
        for (int u = 0; u < used; u++) {
            slots |= c.stage()[u] << (8 * u);
        }
        return p.real(c.omegaDelay()).real(config.physics().nu()).real(config.physics().mu()).i(n).i(len).i(used).i(slots).build();
    }

    private <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    private DeviceBuffer buffer(BufferSpec spec) {
        DeviceBuffer b = own(new DeviceBuffer(ctx, spec));
        buffers.put(spec.name(), b);
        return b;
    }

    /** Declares a planned read-back in a program (the plan names the buffer; it must be this one). */
    private static StepProgram.Builder readBack(StepProgram.Builder b, DeviceBuffer source, TransferSpec t) {
        requireBuffer(t, source);
        return b.readBack(source, t.offset(), t.bytes(), t.stage());
    }

    private StepProgram.Builder readBack(StepProgram.Builder b, TransferSpec t) {
        return readBack(b, buffers.get(t.buffer()), t);
    }

    /** A planned synchronous upload; the data must be exactly the planned size, so the plan cannot drift from the copy. */
    private void upload(TransferSpec t, DeviceBuffer dst, ByteBuffer data) {
        requireBuffer(t, dst);
        if (data.remaining() != t.bytes()) {
            throw new IllegalStateException("planned " + t + " but " + data.remaining() + " bytes are ready");
        }
        ctx.staging().upload(dst, t.offset(), data, t.stage());
    }

    private static void requireBuffer(TransferSpec t, DeviceBuffer b) {
        if (b == null || !t.buffer().equals(b.name())) {
            throw new IllegalStateException("transfer " + t + " planned on another buffer than " + (b == null ? "none" : b.name()));
        }
    }

    private ComputeKernel kernel(String name, int storageBuffers, int pushBytes) {
        return own(new ComputeKernel(ctx, name, precision, storageBuffers, pushBytes));
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
        snapshotReadBacks.describe().forEach(b -> out.add(b.describe()));
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
     * The device buffer of the state ω̂: the unnormalised forward transform of ω in the {@link Grid}
     * layout, in the run's precision. Other stages on the same context may read it between
     * {@link #advance} calls (each advance waits for its steps, so the buffer is then at rest). A
     * snapshot's copy may still be reading it then; other readers are unaffected, and a writer must
     * start with a barrier, as every {@link StepProgram} does.
     */
    public DeviceBuffer omegaBuffer() {
        return omega;
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

    /**
     * Replays the step program {@code count} times in one submission, then reads back the ring
     * entries of those steps (dt and max|u| of each) to keep the time and catch a blow-up.
     */
    @Override
    public int maxAdvance() {
        return layout.maxAdvance();
    }

    @Override
    public StepInfo advance(int count, double maxDt) {
        if (count < 1 || count > RING_CAPACITY) {
            throw new IllegalArgumentException("advance takes 1.." + RING_CAPACITY + " steps, got " + count);
        }
        if (maxDt != limit) {
            // the dt limit (end-time clipping) lives in the step record: one small upload when it changes
            upload(layout.dtLimitUpload, step, RealBuffers.encode(new double[] {Double.isInfinite(maxDt) ? Double.MAX_VALUE : maxDt},
                    precision));
            limit = maxDt;
        }
        stateChanges(); // from here on, even if the run fails
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
        stateChanges();
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

    @Override
    public long stepCount() {
        return steps;
    }

    @Override
    public double time() {
        return time;
    }

    /** The device state is about to change: host copies and snapshots of the old one no longer describe it. */
    private void stateChanges() {
        hostState = null;
        stateVersion++;
    }

    @Override
    public double[] spectralState() {
        return hostState().clone();
    }

    /** ω̂ on the host, read at most once per state: from a snapshot of this state if one was requested. */
    private double[] hostState() {
        if (hostState == null) {
            if (lastSnapshot != null && lastSnapshot.version == stateVersion) {
                hostState = lastSnapshot.spectral();
            } else {
                double[] s = new double[grid.fieldLength()];
                ByteBuffer b = RealBuffers.allocate(s.length, precision);
                requireBuffer(layout.stateReadBack, omega);
                ctx.staging().download(omega, layout.stateReadBack.offset(), b, layout.stateReadBack.stage());
                RealBuffers.decode(b.flip(), s, precision);
                hostState = s;
            }
        }
        return hostState;
    }

    /**
     * Submits a copy of ω̂ into a free snapshot staging buffer and returns at once. The next
     * {@link #advance} is ordered behind the copy on the queue, so the snapshot holds this step's state;
     * {@link PendingSnapshot#get()} waits for the copy only, then transforms on the calling thread.
     * A state already on the host (or already requested) is not copied again.
     */
    @Override
    public PendingSnapshot requestSnapshot() {
        if (lastSnapshot == null || lastSnapshot.version != stateVersion) {
            if (hostState != null) {
                lastSnapshot = new GpuSnapshot(steps, time, stateVersion, null, hostState);
            } else {
                int len = grid.fieldLength();
                ReadBackPool.Pending<double[]> copy = snapshotReadBacks.request(omega, layout.snapshotReadBack, bytes -> {
                    double[] s = new double[len];
                    RealBuffers.decode(bytes, s, precision);
                    return s;
                });
                lastSnapshot = new GpuSnapshot(steps, time, stateVersion, copy, null);
            }
        }
        return lastSnapshot;
    }

    /** A snapshot whose ω̂ is either on the host already or on its way in a {@link ReadBackPool} slot. */
    private final class GpuSnapshot implements PendingSnapshot {
        final long step;
        final double time;
        final long version;
        private final ReadBackPool.Pending<double[]> copy;
        private final double[] ready;
        private Snapshot snapshot;

        GpuSnapshot(long step, double time, long version, ReadBackPool.Pending<double[]> copy, double[] ready) {
            this.step = step;
            this.time = time;
            this.version = version;
            this.copy = copy;
            this.ready = ready;
        }

        /** ω̂ of this snapshot, shared and never modified (waits for the copy). */
        double[] spectral() {
            return ready != null ? ready : copy.get();
        }

        @Override
        public long step() {
            return step;
        }

        @Override
        public double time() {
            return time;
        }

        @Override
        public synchronized Snapshot get() {
            if (snapshot == null) {
                double[] s = spectral();
                snapshot = new Snapshot(step, time, s.clone(), hostVorticity(grid, s));
            }
            return snapshot;
        }
    }

    @Override
    public void restore(double[] state, long step, double time) {
        if (state.length != grid.fieldLength()) {
            throw new IllegalArgumentException("state of " + state.length + " reals does not fit N = " + grid.n());
        }
        stateChanges();
        upload(layout.restartUpload, omega, RealBuffers.encode(state, precision));
        this.steps = step;
        this.time = time;
    }

    @Override
    public double[] vorticity() {
        return hostVorticity(grid, hostState());
    }

    /**
     * ω from ω̂ on the host, with the float64 CPU FFT (a snapshot is the requested output: ω̂ crosses,
     * the same bytes as ω, and is transformed here). {@code spectral} is not modified. The synchronous
     * {@link #vorticity()} and the snapshots both use this, so they agree bit for bit.
     */
    static double[] hostVorticity(Grid grid, double[] spectral) {
        double[] w = spectral.clone();
        double scale = 1.0 / ((double) grid.n() * grid.n());
        for (int i = 0; i < w.length; i++) {
            w[i] *= scale;
        }
        try (Parallel par = new Parallel(0)) {
            new CpuFft2D_F64(grid.n(), grid.n(), par).inverse(w, 1);
        }
        int n = grid.n();
        double[] out = new double[n * n];
        for (int y = 0; y < n; y++) {
            System.arraycopy(w, y * grid.rowStride(), out, y * n, n);
        }
        return out;
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

    private double[] reals(ByteBuffer b, int count) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = real(b, (long) i * precision.bytes());
        }
        return out;
    }

    @Override
    public void close() {
        if (ctx != null) {
            ctx.drain(); // tolerates a lost device: what it holds is released all the same
        }
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + owned.get(i), e);
            }
        }
        owned.clear();
        if (ctx != null && ownsContext) {
            ctx.close();
        }
    }

}
