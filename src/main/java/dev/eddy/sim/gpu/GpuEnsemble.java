package dev.eddy.sim.gpu;

import dev.eddy.backend.Backend;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.config.RunConfig;
import dev.eddy.gpu.BufferSpec;
import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.DeviceInfo;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.FftPlans;
import dev.eddy.gpu.Owned;
import dev.eddy.gpu.Push;
import dev.eddy.gpu.RealBuffers;
import dev.eddy.gpu.StepProgram;
import dev.eddy.gpu.TransferSpec;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.DiagnosticSums;
import dev.eddy.sim.Ensemble;
import dev.eddy.sim.EnsembleSnapshot;
import dev.eddy.sim.FlowDiagnostics;
import dev.eddy.sim.InitialCondition;
import dev.eddy.sim.MemberParams;
import dev.eddy.sim.MemberStatus;
import dev.eddy.sim.StepInfo;
import dev.eddy.sim.cpu.LesKernels_F64;
import dev.eddy.sim.cpu.RowTransform_F64;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The LES of a batch of members on the Vulkan engine, in one device state: the operations of
 * {@link dev.eddy.sim.LesStep}, recorded once by a {@link GpuLesRecorder} into a {@link StepProgram} whose
 * every dispatch and FFT covers all members, and replayed. A single run is the batch of one
 * ({@link GpuLes}). ω̂, the stage fields, the work fields and the step records stay on the device; each
 * member's dt is computed there (les_cfl_dt, and with a shared dt the minimum over the members) and
 * logged, with max|u| and the Courant number, in a device ring buffer that the host reads back once per
 * {@link #advance} call, which keeps each member's step count and time and sees its blow-up. A member
 * whose speed is not finite is dropped on the device in that step (its active flag in the
 * {@link MemberParams} table goes to 0 and its state stays as it was); the others go on.
 *
 * <p>Host↔device traffic: the initial states (and forcing) and the parameter table once; per
 * {@link #advance}, the ring entries of the steps taken (and the table when a dt limit changed); per
 * diagnostics request, the row maxima and the sums' totals; per snapshot or checkpoint, every member's
 * ω̂, at most once per state; the table when the host stops a member. Every buffer and every copy is
 * planned by {@link GpuLesLayout} (what {@code eddy run --explain} prints).
 *
 * <p>Several devices: a batch lives on one context (one device). An ensemble larger than one device state
 * is split into groups of members ({@code sim.MemberGroups}), each a GpuEnsemble on a context of its own
 * or on a shared one; nothing here assumes it is the only one.
 */
public final class GpuEnsemble implements Ensemble {
    private final EnsembleConfig config;
    private final RunConfig[] memberConfigs;
    private final GpuLesLayout layout;
    private final Grid grid;
    private final Precision precision;
    /** How the step transforms its fields: "2d" or "fused" ({@link #transforms()}). */
    private final String transforms;
    private final int members;
    private final Backend.Vulkan backend;
    /** Whether {@link #close} closes {@link #backend}: only a backend this LES opened for itself. */
    private final boolean ownsBackend;
    private final VulkanContext ctx;
    private final Owned owned = new Owned();
    private final Map<String, DeviceBuffer> buffers = new LinkedHashMap<>();
    private final DeviceBuffer omega;
    private final DeviceBuffer ring;
    private final DeviceBuffer rowMax;
    private final DeviceBuffer diagRows;
    private final DeviceBuffer params;
    private final GpuLesState state;
    private final StepProgram stepProgram;
    private final StepProgram diagnosticsProgram;
    private final StepProgram ringProgram;
    private final StepProgram profiledStep;
    private final List<String> profileLabels = new ArrayList<>();

    /** The host's copy of the {@link MemberParams} table (float64; the device holds it in the run's precision). */
    private final double[] hostParams;
    private final MemberStatus[] status;
    private long ringRead;

    /** A batch on a backend of its own, opened with the settings' device and closed with the batch. */
    public GpuEnsemble(EnsembleConfig config, dev.eddy.gpu.ContextOptions options) {
        this(config, new Backend.Vulkan(options, config.base().threads()), true);
    }

    /** A batch on a shared backend; the caller closes the backend. */
    public GpuEnsemble(EnsembleConfig config, Backend.Vulkan backend) {
        this(config, backend, false);
    }

    GpuEnsemble(EnsembleConfig config, Backend.Vulkan backend, boolean ownsBackend) {
        this.config = config;
        this.members = config.size();
        this.memberConfigs = new RunConfig[members];
        for (int m = 0; m < members; m++) {
            memberConfigs[m] = config.member(m);
        }
        this.layout = new GpuLesLayout(config);
        this.grid = new Grid(config.base().n());
        this.precision = config.base().precision();
        this.backend = backend;
        this.ownsBackend = ownsBackend;
        this.hostParams = MemberParams.table(config);
        this.status = new MemberStatus[members];
        Arrays.fill(status, MemberStatus.start());
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
            String why = layout.whyNotOneState(ctx.info());
            if (why != null) {
                throw new dev.eddy.gpu.GpuException(why + (members > 1 ? ": split the members into groups (sim.Ensembles does)"
                        : ": use a smaller N, or fp32"));
            }
            FftPlans plans = own(FftPlans.withDefaultCache(ctx));
            int n = grid.n();
            omega = buffer(layout.omega);
            DeviceBuffer stageInput = buffer(layout.stageInput);
            DeviceBuffer stages = buffer(layout.stages);
            DeviceBuffer work = buffer(layout.work);
            DeviceBuffer forcing = buffer(layout.forcing);
            rowMax = buffer(layout.rowMax);
            DeviceBuffer step = buffer(layout.step);
            ring = buffer(layout.ring);
            diagRows = buffer(layout.diagRows);
            params = buffer(layout.params);
            state = own(new GpuLesState(ctx, grid, precision, layout, omega));

            DeviceBuffer twiddles = buffer(layout.twiddles);
            RowStageShape rowShape = rowStage(grid, precision, ctx.info());
            transforms = rowShape == null ? "2d" : "fused";
            int width = RowTransform_F64.width(n);
            int dealiasCutoff = dealiasedTransforms(grid);
            GpuLesRecorder recorder = new GpuLesRecorder(config, layout, new GpuLesRecorder.Parts(
                    kernel("les_spectral_fields", 2, Push.size(precision, 1, 5)),
                    kernel("les_physical_products", 3, Push.size(precision, 0, 4)),
                    kernel("les_explicit_term", 3, Push.size(precision, 0, 8)),
                    kernel("les_lawson_combine", 5, Push.size(precision, 9, 5)),
                    kernel("les_cfl_dt", 4, Push.size(precision, 3, 4)),
                    kernel("les_diagnostics", 4, Push.size(precision, 0, 8)),
                    rowShape == null ? plans.plan(work, n, n, layout.spectralFields * members, precision, dealiasCutoff)
                            : plans.columns(work, width, n, layout.spectralFields * members, precision),
                    rowShape == null ? plans.plan(work, n, n, layout.productFields * members, precision, dealiasCutoff)
                            : plans.columns(work, width, n, layout.productFields * members, precision),
                    rowShape == null ? null : new GpuLesRecorder.RowStage(own(new ComputeKernel(ctx, "les_row_transform", precision, 4,
                            Push.size(precision, 0, 2), rowShape.specialization())), rowShape, twiddles),
                    omega, stageInput, stages, work, forcing, rowMax, step, ring, diagRows, params));

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
            upload(ctx, initial.get(0), omega, RealBuffers.encode(initialStates(), precision));
            upload(ctx, initial.get(1), forcing, RealBuffers.encode(forcingFields(), precision));
            upload(ctx, initial.get(2), params, RealBuffers.encode(hostParams, precision));
            upload(ctx, initial.get(3), ring, ByteBuffer.allocateDirect(Math.toIntExact(layout.ringHeaderBytes)));
            upload(ctx, initial.get(4), twiddles, RealBuffers.encode(RowTransform_F64.twiddles(n), precision));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Every member's initial ω̂, generated in float64 on the host, the members in parallel (each from its own seed alone). */
    private double[] initialStates() {
        int len = grid.fieldLength();
        double[] all = new double[members * len];
        java.util.stream.IntStream.range(0, members).parallel().forEach(m ->
                System.arraycopy(InitialCondition.vorticity(grid, memberConfigs[m].initial()), 0, all, m * len, len));
        return all;
    }

    /** The forcing buffer's fields: one for every member, or (with different amplitudes) one per member; zeros without forcing. */
    private double[] forcingFields() {
        int len = grid.fieldLength();
        int fields = layout.forcingStride > 0 ? members : 1;
        double[] all = new double[fields * len];
        for (int m = 0; m < fields; m++) {
            double[] f = InitialCondition.forcing(grid, memberConfigs[m].forcing());
            if (f != null) {
                System.arraycopy(f, 0, all, m * len, len);
            }
        }
        return all;
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

    private void uploadParams(TransferSpec t) {
        upload(ctx, t, params, RealBuffers.encode(hostParams, precision));
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
     * ω̂ of a one-member batch for a reader on {@code context}: the unnormalised forward transform of ω in
     * the {@link Grid} layout, in the run's precision, at rest between {@link #advance} calls (each waits
     * for its steps). Null on another context, and for a batch of several members (the buffer then holds
     * them all).
     */
    DeviceBuffer deviceState(VulkanContext context) {
        return context == ctx && members == 1 ? omega : null;
    }

    @Override
    public EnsembleConfig config() {
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
    public int maxAdvance() {
        return layout.ringCapacity;
    }

    /**
     * Replays the step program {@code count} times in one submission, then reads back the ring entries
     * of those steps (each member's dt, max|u| and Courant number) to keep the members' times and see
     * their blow-ups. The dt limits live in the parameter table: one small upload when one changes.
     */
    @Override
    public StepInfo[] advance(int count, double[] maxDt) {
        if (count < 1 || count > layout.ringCapacity) {
            throw new IllegalArgumentException("advance takes 1.." + layout.ringCapacity + " steps, got " + count);
        }
        if (maxDt.length != members) {
            throw new IllegalArgumentException("one dt limit per member: " + members + ", got " + maxDt.length);
        }
        if (Arrays.stream(status).noneMatch(MemberStatus::running)) {
            return new StepInfo[members];
        }
        boolean changed = false;
        for (int m = 0; m < members; m++) {
            double limit = MemberParams.dtLimit(maxDt[m]);
            if (status[m].running() && hostParams[m * MemberParams.COUNT + MemberParams.DT_LIMIT] != limit) {
                hostParams[m * MemberParams.COUNT + MemberParams.DT_LIMIT] = limit;
                changed = true;
            }
        }
        if (changed) {
            uploadParams(layout.dtLimitUpload);
        }
        state.changes(); // from here on, even if the run fails
        stepProgram.run(count);
        return consumeRing(count);
    }

    /**
     * Reads the ring entries of the {@code count} steps just taken: each running member's dt (for its
     * time) and max|u| (a member whose speed is not finite was dropped by the device in that step).
     */
    private StepInfo[] consumeRing(int count) {
        ringProgram.run();
        ByteBuffer r = ringProgram.readBack(ring, layout.ringReadBack.offset());
        long total = Integer.toUnsignedLong(r.getInt(0));
        for (int m = 0; m < members; m++) {
            long counted = Integer.toUnsignedLong(r.getInt(4 * m));
            if (counted != ringRead + count) {
                throw new IllegalStateException("member " + m + "'s ring counter holds " + counted + " steps, expected "
                        + (ringRead + count));
            }
        }
        StepInfo[] last = new StepInfo[members];
        int real = precision.bytes();
        for (long k = ringRead; k < total; k++) {
            long slot = k % layout.ringCapacity;
            for (int m = 0; m < members; m++) {
                if (!status[m].running()) {
                    continue;
                }
                long entry = layout.ringHeaderBytes + GpuLesLayout.RING_ENTRY * (slot * members + m) * real;
                double dt = real(r, entry);
                double speed = real(r, entry + real);
                double courant = real(r, entry + 2L * real);
                if (!Double.isFinite(speed)) {
                    status[m] = status[m].stopped(MemberStatus.Phase.DROPPED, "max|u| = " + speed);
                    hostParams[m * MemberParams.COUNT + MemberParams.ACTIVE] = 0; // as the device set it
                    continue;
                }
                status[m] = status[m].stepped(dt);
                last[m] = new StepInfo(dt, speed, courant);
            }
        }
        ringRead = total;
        return last;
    }

    @Override
    public String transforms() {
        return transforms;
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
    public MemberStatus status(int m) {
        return status[m];
    }

    /** Stops a member: it is frozen from the next step on (its active flag crosses with the table). */
    @Override
    public void stop(int m, MemberStatus.Phase phase, String reason) {
        status[m] = status[m].stopped(phase, reason);
        hostParams[m * MemberParams.COUNT + MemberParams.ACTIVE] = 0;
        uploadParams(layout.membersUpload);
    }

    @Override
    public double[] spectralState(int m) {
        return state.spectral()[m].clone();
    }

    /**
     * Submits a copy of every member's ω̂ into a free snapshot staging buffer and returns at once. The
     * next {@link #advance} is ordered behind the copy on the queue, so the snapshot holds this step's
     * states; {@link EnsembleSnapshot.Pending#get()} waits for the copy only.
     */
    @Override
    public EnsembleSnapshot.Pending requestSnapshot() {
        long[] steps = new long[members];
        double[] times = new double[members];
        for (int m = 0; m < members; m++) {
            steps[m] = status[m].step();
            times[m] = status[m].time();
        }
        return state.requestSnapshot(steps, times);
    }

    @Override
    public void restore(double[][] states, List<MemberStatus> restored) {
        if (states.length != members || restored.size() != members) {
            throw new IllegalArgumentException(members + " members, got " + states.length + " states and " + restored.size() + " statuses");
        }
        for (double[] s : states) {
            if (s.length != grid.fieldLength()) {
                throw new IllegalArgumentException("state of " + s.length + " reals does not fit N = " + grid.n());
            }
        }
        state.restore(states);
        for (int m = 0; m < members; m++) {
            status[m] = restored.get(m);
            hostParams[m * MemberParams.COUNT + MemberParams.ACTIVE] = status[m].running() ? 1 : 0;
        }
        uploadParams(layout.restartUploads.get(1));
    }

    @Override
    public double[] vorticity(int m) {
        return GpuLesState.hostVorticity(grid, state.spectral()[m]);
    }

    /** The diagnostics of every member's state, reduced on the device: the row maxima and each member's totals cross. */
    @Override
    public FlowDiagnostics[] diagnostics() {
        diagnosticsProgram.run();
        int n = grid.n();
        double[] rowMaxima = reals(diagnosticsProgram.readBack(rowMax, layout.diagnosticsReadBacks.get(0).offset()),
                LesKernels_F64.ROW_MAXIMA * n * members);
        double[] totals = reals(diagnosticsProgram.readBack(diagRows, layout.diagnosticsReadBacks.get(1).offset()),
                DiagnosticSums.COUNT * members);
        FlowDiagnostics[] out = new FlowDiagnostics[members];
        for (int m = 0; m < members; m++) {
            out[m] = FlowDiagnostics.of(grid, memberConfigs[m].physics(),
                    Arrays.copyOfRange(totals, m * DiagnosticSums.COUNT, (m + 1) * DiagnosticSums.COUNT),
                    LesKernels_F64.gridMaxima(rowMaxima, n, m));
        }
        return out;
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

    /**
     * The cutoff the LES's transforms skip beyond (VkFFT's frequency zero padding), or 0 for the plain
     * transforms. Off unless EDDY_FFT_DEALIAS=1: on the H200 the zero-padded VkFFT kernels were 4 % faster at
     * 1024² but 15–40 % slower at 512² and from 2048² up (planning/les-speed.md), so the plain pair is the
     * default. When on, it is exact: every field the inverse reads is zero outside the dealiased box, and
     * every reader of the forward output reads only inside it (DealiasedFftTest, GpuLesParityTest).
     */
    static int dealiasedTransforms(Grid grid) {
        return "1".equals(System.getenv("EDDY_FFT_DEALIAS")) ? grid.dealiasCutoff() : 0;
    }

    /**
     * The shape of the fused step's row stage, or null for the 2D transforms: the fused step takes every
     * power-of-two N from 16 to 8192 on a device whose workgroups hold the row stage's invocations and shared
     * memory; EDDY_ROW_STAGE=0 turns it off (the A/B comparison of planning/les-speed.md §5). Both steps
     * compute the same products of the same kept modes; they differ by the rounding of two FFT factorisations.
     */
    static RowStageShape rowStage(Grid grid, Precision precision, DeviceInfo device) {
        if ("0".equals(System.getenv("EDDY_ROW_STAGE")) || !RowTransform_F64.supports(grid.n())) {
            return null;
        }
        RowStageShape shape;
        try {
            shape = RowStageShape.of(grid.n(), precision, device.maxSharedMemory());
        } catch (IllegalArgumentException e) {
            return null; // too little shared memory even one component at a time
        }
        boolean fits = shape.threads() <= device.maxWorkGroupInvocations() && shape.threads() <= device.maxWorkGroupSize()[0];
        return fits ? shape : null;
    }
}
