package dev.eddy.sim.gpu;

import dev.eddy.config.RunConfig;
import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.ContextOptions;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.FftPlans;
import dev.eddy.gpu.StepProgram;
import dev.eddy.gpu.VkFftPlan;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.sim.ButcherTableau;
import dev.eddy.sim.Grid;
import dev.eddy.sim.InitialCondition;
import dev.eddy.sim.Precision;
import dev.eddy.sim.Simulation;
import dev.eddy.sim.SimulationDivergedException;
import dev.eddy.sim.StepInfo;
import dev.eddy.sim.cpu.CpuFft2D_F64;
import dev.eddy.sim.cpu.Parallel;
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
 * checkpoint, ω̂.
 */
public final class GpuLes implements Simulation {
    /** Steps one {@link #advance} may take before its ring entries are read back. */
    public static final int RING_CAPACITY = 1024;

    private final RunConfig config;
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
    private final StepProgram stepProgram;
    private final StepProgram diagnosticsProgram;
    private final StepProgram ringProgram;
    private final StepProgram profiledStep;
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
    private StepInfo last = new StepInfo(0, 0);
    /**
     * The last host copy of ω̂, valid until the state changes: a step that takes a snapshot and a
     * checkpoint asks for ω̂ three times (ω, its spectrum, the checkpoint), and it crosses once.
     */
    private double[] hostState;

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
        this.grid = new Grid(config.n());
        this.precision = config.precision();
        this.tableau = ButcherTableau.named(config.time().stepper());
        this.sgs = config.physics().hasSgs();
        this.spectralFields = sgs ? 6 : 4;
        this.productFields = sgs ? 3 : 1;
        this.ctx = context;
        this.ownsContext = ownsContext;
        try {
            ctx.requirePrecision(precision); // before anything is allocated or compiled
            checkMemoryBudget();
            this.plans = own(FftPlans.withDefaultCache(ctx));
            int n = grid.n();
            long field = (long) grid.fieldLength() * precision.bytes();
            int s = tableau.stages();
            omega = buffer("omega", field, "run: the state ω̂", DeviceBuffer.Movement.ONCE_AT_START);
            DeviceBuffer stageInput = buffer("stage_input", field, "step: input of stages 2..s", DeviceBuffer.Movement.NEVER);
            DeviceBuffer stages = buffer("stages", s * field, "step: explicit terms k_1..k_s", DeviceBuffer.Movement.NEVER);
            DeviceBuffer work = buffer("work", spectralFields * field,
                    "stage: packed FFT fields (û, v̂, ∂ω, strain → products)", DeviceBuffer.Movement.NEVER);
            DeviceBuffer forcing = buffer("forcing", field, "run: forcing F̂", DeviceBuffer.Movement.ONCE_AT_START);
            rowMax = buffer("row_max", (long) n * precision.bytes(), "stage: max u²+v² per row", DeviceBuffer.Movement.ON_DEMAND);
            step = buffer("step", 3L * precision.bytes(), "step: dt, max|u|, dt limit", DeviceBuffer.Movement.ON_DEMAND);
            ring = buffer("ring", 8 + 2L * RING_CAPACITY * precision.bytes(), "run: (dt, max|u|) per step, read in batches",
                    DeviceBuffer.Movement.ON_DEMAND);
            diagRows = buffer("diag_rows", (2L * n + 2) * precision.bytes(), "diagnostics: per-row sums",
                    DeviceBuffer.Movement.ON_DEMAND);

            ComputeKernel spectral = kernel("les_spectral_fields", 2, Push.size(precision, 1, 3));
            ComputeKernel physical = kernel("les_physical_products", 2, Push.size(precision, 1, 3));
            ComputeKernel explicit = kernel("les_explicit_term", 3, Push.size(precision, 0, 5));
            ComputeKernel combine = kernel("les_lawson_combine", 4, Push.size(precision, 11, 4));
            ComputeKernel cfl = kernel("les_cfl_dt", 3, Push.size(precision, 3, 2));
            ComputeKernel energy = kernel("les_energy_enstrophy", 2, Push.size(precision, 0, 2));

            VkFftPlan inverse = plans.plan(work, n, n, spectralFields, precision);
            VkFftPlan forward = plans.plan(work, n, n, productFields, precision);

            double scale = 1.0 / ((double) n * n);
            double csDelta = config.physics().cs() * grid.spacing();
            int len = grid.fieldLength();
            int gx = (grid.halfX() + 15) / 16;
            int gy = (n + 15) / 16;
            double[] f = InitialCondition.forcing(grid, config.forcing());
            ByteBuffer spectralPush = Push.of(precision).real(scale).i(n).i(len).i(sgs ? 1 : 0).build();
            ByteBuffer physicalPush = Push.of(precision).real(csDelta * csDelta).i(n).i(len).i(sgs ? 1 : 0).build();
            double dtMax = config.time().dt();
            ByteBuffer cflPush = Push.of(precision).real(dtMax).real(config.time().cfl()).real(grid.spacing()).i(n)
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
                    b.dispatch(explicitBinding, Push.of(precision).i(n).i(len).i(sgs ? 1 : 0).i(f != null ? 1 : 0).i(t).build(),
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

            diagnosticsProgram = own(StepProgram.builder(ctx, "les-diagnostics")
                    .dispatch(spectralFromOmega, spectralPush, gx, gy, 1)
                    .fft(inverse, VkFftPlan.INVERSE)
                    .dispatch(physicalBinding, physicalPush, n, 1, 1)
                    .dispatch(energy.bind(omega, diagRows), Push.of(precision).i(n).i(0).build(), (n + 63) / 64, 1, 1)
                    .barrier()
                    .dispatch(energy.bind(omega, diagRows), Push.of(precision).i(n).i(1).build(), 1, 1, 1)
                    .readBack(rowMax, 0, rowMax.bytes(), "diagnostics")
                    .readBack(diagRows, 2L * n * precision.bytes(), 2L * precision.bytes(), "diagnostics")
                    .freeze());
            ringProgram = own(StepProgram.builder(ctx, "les-ring").readBack(ring, 0, ring.bytes(), "diagnostics").freeze());

            ctx.staging().uploadReals(omega, InitialCondition.vorticity(grid, config.initial()), precision, "initial state");
            ctx.staging().uploadReals(forcing, f != null ? f : new double[grid.fieldLength()], precision, "initial state");
            ctx.staging().uploadReals(step, new double[] {0, 0, Double.MAX_VALUE}, precision, "initial state");
            ctx.staging().upload(ring, 0, java.nio.ByteBuffer.allocateDirect(8), "initial state");
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

    private DeviceBuffer buffer(String name, long bytes, String lifetime, DeviceBuffer.Movement movement) {
        DeviceBuffer b = own(new DeviceBuffer(ctx, name, bytes, lifetime, movement));
        buffers.put(name, b);
        return b;
    }

    private ComputeKernel kernel(String name, int storageBuffers, int pushBytes) {
        return own(new ComputeKernel(ctx, name, precision, storageBuffers, pushBytes));
    }

    @Override
    public List<Map<String, Object>> transfers() {
        return ctx.ledger().snapshot();
    }

    /** The device buffers with their sizes, memory and lifetimes (the memory map). */
    @Override
    public List<Map<String, Object>> memoryMap() {
        return buffers.values().stream().map(DeviceBuffer::describe).toList();
    }

    public VulkanContext context() {
        return ctx;
    }

    /**
     * The device buffer of the state ω̂: the unnormalised forward transform of ω in the {@link Grid}
     * layout, in the run's precision. Other stages on the same context may read it between
     * {@link #advance} calls (each advance waits for its steps, so the buffer is then at rest).
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
        return RING_CAPACITY;
    }

    @Override
    public StepInfo advance(int count, double maxDt) {
        if (count < 1 || count > RING_CAPACITY) {
            throw new IllegalArgumentException("advance takes 1.." + RING_CAPACITY + " steps, got " + count);
        }
        if (maxDt != limit) {
            // the dt limit (end-time clipping) lives in the step record: one small upload when it changes
            ByteBuffer b = dev.eddy.gpu.RealBuffers.encode(new double[] {Double.isInfinite(maxDt) ? Double.MAX_VALUE : maxDt},
                    precision);
            ctx.staging().upload(step, 2L * precision.bytes(), b, "dt limit");
            limit = maxDt;
        }
        hostState = null; // the state changes from here on, even if the run fails
        stepProgram.run(count);
        return consumeRing(count);
    }

    /** Reads the ring entries of the {@code count} steps just taken: their dt (for the time) and max|u| (for blow-ups). */
    private StepInfo consumeRing(int count) {
        ringProgram.run();
        ByteBuffer r = ringProgram.readBack(ring, 0);
        long total = Integer.toUnsignedLong(r.getInt(0));
        if (total != ringRead + count) {
            throw new IllegalStateException("ring buffer holds " + total + " steps, expected " + (ringRead + count));
        }
        for (long k = ringRead; k < total; k++) {
            int slot = (int) (k % RING_CAPACITY);
            double dt = real(r, 8 + 2L * slot * precision.bytes());
            double speed = real(r, 8 + (2L * slot + 1) * precision.bytes());
            if (!Double.isFinite(speed)) {
                throw new SimulationDivergedException(steps, time, "max|u| = " + speed + " (the state after this step was"
                        + " computed on the device; the last checkpoint predates it)");
            }
            steps++;
            time += dt;
            last = new StepInfo(dt, speed);
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
        hostState = null;
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

    @Override
    public double[] spectralState() {
        if (hostState == null) {
            hostState = new double[grid.fieldLength()];
            ctx.staging().downloadReals(omega, hostState, precision, "state");
        }
        return hostState.clone();
    }

    @Override
    public void restore(double[] state, long step, double time) {
        if (state.length != grid.fieldLength()) {
            throw new IllegalArgumentException("state of " + state.length + " reals does not fit N = " + grid.n());
        }
        ctx.staging().uploadReals(omega, state, precision, "restart");
        hostState = null;
        this.steps = step;
        this.time = time;
    }

    @Override
    public double[] vorticity() {
        // A snapshot is the requested output: ω̂ comes to the host (the same bytes as ω) and is
        // transformed there, with the float64 CPU FFT.
        double[] w = spectralState();
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

    /** Energy, enstrophy and max|u| of the current state, reduced on the device. */
    @Override
    public double[] energyEnstrophyMaxSpeed() {
        diagnosticsProgram.run();
        int n = grid.n();
        ByteBuffer rows = diagnosticsProgram.readBack(rowMax, 0);
        double max = 0;
        for (int j = 0; j < n; j++) {
            double v = real(rows, (long) j * precision.bytes());
            max = (v > max || v != v) ? v : max;
        }
        ByteBuffer totals = diagnosticsProgram.readBack(diagRows, 2L * n * precision.bytes());
        return new double[] {real(totals, 0), real(totals, precision.bytes()), Math.sqrt(max)};
    }

    @Override
    public double maxSpeed() {
        return energyEnstrophyMaxSpeed()[2];
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
