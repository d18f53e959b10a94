package dev.eddy.sim.gpu;

import dev.eddy.config.EnsembleConfig;
import dev.eddy.config.RunConfig;
import dev.eddy.gpu.BufferSpec;
import dev.eddy.gpu.DeviceBuffer.Movement;
import dev.eddy.gpu.Staging;
import dev.eddy.gpu.TransferLedger.Direction;
import dev.eddy.gpu.TransferSpec;
import dev.eddy.numerics.Grid;
import dev.eddy.sim.DiagnosticSums;
import dev.eddy.sim.MemberParams;
import dev.eddy.sim.ResourcePlan;
import dev.eddy.sim.cpu.LesKernels_F64;
import java.util.ArrayList;
import java.util.List;

/**
 * The buffers and copies of a {@link GpuEnsemble} (and so of a single run's {@link GpuLes}, the batch of
 * one member) with given settings, computed from the settings alone (no device). {@link GpuEnsemble}
 * allocates every buffer from these specs and takes every copy's range from these transfers, and
 * {@code eddy run --explain} prints them, so the explanation is the code's own plan rather than a
 * description of it.
 *
 * <p>Members: a batch of B members multiplies every field buffer by B (member m's field at m·L, the work
 * buffer field-major, see {@code LesKernels_F64}), and adds a per-member row to the small ones (row maxima,
 * step records, ring entries, diagnostics sums, the {@link MemberParams} table). The memory per member is
 * {@link #bytesPerMember()}; the device check says how many members fit.
 */
public final class GpuLesLayout implements ResourcePlan {
    /** Steps one {@link GpuEnsemble#advance} of a single run may take before its ring entries are read back. */
    public static final int RING_CAPACITY = 1024;
    /**
     * Ring entries (steps × members) one read-back holds at most: a batch of B members reads back after at
     * most RING_ENTRIES / B steps (a power of two, 16 … {@link #RING_CAPACITY}), so the read-back stays
     * under 1.6 MB in float64 whatever B.
     */
    public static final int RING_ENTRIES = 65536;
    /** Snapshot staging buffers: two, so one snapshot can land while the host still consumes the previous one. */
    public static final int SNAPSHOT_SLOTS = 2;
    /** Reals per ring entry: dt, max speed, Courant number. */
    public static final int RING_ENTRY = 3;
    /** Reals per member's step record: dt, max speed, (max|u| + max|v|)·K. */
    public static final int STEP_RECORD = 3;

    /** Ledger stage labels (the metrics JSON and the explanation group copies by them). */
    static final String INITIAL = "initial state";
    static final String RESTART = "restart";
    static final String DT_LIMIT = "dt limit";
    static final String DIAGNOSTICS = "diagnostics";
    static final String SNAPSHOT = "snapshot";
    static final String STATE = "state";
    static final String MEMBERS = "members";

    final int spectralFields;
    final int productFields;
    final long fieldBytes;
    final int members;
    final int ringCapacity;
    /** Reals between two members' forcing fields: 0 when one field serves every member. */
    final int forcingStride;
    /** Bytes of the ring's step counters (one 32-bit word per member, rounded up to an even count). */
    final long ringHeaderBytes;
    private final int n;
    private final dev.eddy.numerics.Precision precision;

    final BufferSpec omega;
    final BufferSpec stageInput;
    final BufferSpec stages;
    final BufferSpec work;
    final BufferSpec forcing;
    final BufferSpec rowMax;
    final BufferSpec step;
    final BufferSpec ring;
    final BufferSpec diagRows;
    final BufferSpec params;
    final BufferSpec twiddles;

    final List<BufferSpec> snapshotSlots;
    final BufferSpec ringStaging;
    final BufferSpec diagnosticsStaging;
    final BufferSpec contextStaging;

    final List<TransferSpec> initialUploads;
    final List<TransferSpec> restartUploads;
    final TransferSpec dtLimitUpload;
    final TransferSpec membersUpload;
    final TransferSpec ringReadBack;
    final List<TransferSpec> diagnosticsReadBacks;
    final TransferSpec snapshotReadBack;
    final TransferSpec stateReadBack;

    /** The layout of a single run: the batch of one member. */
    public GpuLesLayout(RunConfig config) {
        this(EnsembleConfig.single(config));
    }

    public GpuLesLayout(EnsembleConfig ensemble) {
        RunConfig config = ensemble.base();
        Grid grid = new Grid(config.n());
        this.n = grid.n();
        this.precision = config.precision();
        this.members = ensemble.size();
        this.ringCapacity = ringCapacity(members);
        long real = config.precision().bytes();
        int s = config.time().tableau().stages();
        boolean sgs = ensemble.sgs();
        spectralFields = sgs ? 6 : 4;
        productFields = sgs ? 3 : 1;
        fieldBytes = (long) grid.fieldLength() * real;
        long b = members;
        forcingStride = ensemble.forcingPerMember() ? grid.fieldLength() : 0;
        ringHeaderBytes = 4L * ((members + 1) / 2 * 2);

        omega = device("omega", b * fieldBytes, "run: the state ω̂ of every member", Movement.ONCE_AT_START);
        stageInput = device("stage_input", b * fieldBytes, "step: input of stages 2..s", Movement.NEVER);
        stages = device("stages", s * b * fieldBytes, "step: explicit terms k_1..k_s", Movement.NEVER);
        work = device("work", spectralFields * b * fieldBytes, "stage: packed FFT fields (û, v̂, ∂ω, strain → products)",
                Movement.NEVER);
        forcing = device("forcing", (forcingStride > 0 ? b : 1) * fieldBytes, "run: forcing F̂ (one for every member, or one each)",
                Movement.ONCE_AT_START);
        rowMax = device("row_max", (long) LesKernels_F64.ROW_MAXIMA * n * b * real, "stage: max|u|, max|v|, max u²+v² per row",
                Movement.ON_DEMAND);
        step = device("step", STEP_RECORD * b * real, "step: dt, max|u|, (max|u|+max|v|)·K per member", Movement.NEVER);
        // the members' 32-bit step counters, then (dt, max|u|, Courant number) per slot and member
        ring = device("ring", ringHeaderBytes + (long) RING_ENTRY * ringCapacity * b * real,
                "run: (dt, max|u|, C) per step and member, read in batches", Movement.ON_DEMAND);
        // the diagnostics' sums per row (DiagnosticSums) of every member, then each member's totals
        diagRows = device("diag_rows", (long) DiagnosticSums.COUNT * (n + 1) * b * real, "diagnostics: per-row sums",
                Movement.ON_DEMAND);
        params = device("member_params", MemberParams.COUNT * b * real, "run: ν, μ, (C_sΔ)², dt limit, active per member",
                Movement.ON_DEMAND);

        twiddles = device("twiddles", 2L * n * real, "run: exp(−2πik/N) for the fused step's row transforms", Movement.ONCE_AT_START);

        initialUploads = List.of(
                new TransferSpec(INITIAL, Direction.HOST_TO_DEVICE, omega.name(), 0, omega.bytes()),
                new TransferSpec(INITIAL, Direction.HOST_TO_DEVICE, forcing.name(), 0, forcing.bytes()),
                new TransferSpec(INITIAL, Direction.HOST_TO_DEVICE, params.name(), 0, params.bytes()),
                new TransferSpec(INITIAL, Direction.HOST_TO_DEVICE, ring.name(), 0, ringHeaderBytes), // zeroes the step counters
                new TransferSpec(INITIAL, Direction.HOST_TO_DEVICE, twiddles.name(), 0, twiddles.bytes()));
        restartUploads = List.of(
                new TransferSpec(RESTART, Direction.HOST_TO_DEVICE, omega.name(), 0, omega.bytes()),
                new TransferSpec(RESTART, Direction.HOST_TO_DEVICE, params.name(), 0, params.bytes()));
        dtLimitUpload = new TransferSpec(DT_LIMIT, Direction.HOST_TO_DEVICE, params.name(), 0, params.bytes());
        membersUpload = new TransferSpec(MEMBERS, Direction.HOST_TO_DEVICE, params.name(), 0, params.bytes());
        ringReadBack = new TransferSpec(DIAGNOSTICS, Direction.DEVICE_TO_HOST, ring.name(), 0, ring.bytes());
        diagnosticsReadBacks = List.of(
                new TransferSpec(DIAGNOSTICS, Direction.DEVICE_TO_HOST, rowMax.name(), 0, rowMax.bytes()),
                new TransferSpec(DIAGNOSTICS, Direction.DEVICE_TO_HOST, diagRows.name(), (long) DiagnosticSums.COUNT * n * b * real,
                        DiagnosticSums.COUNT * b * real));
        snapshotReadBack = new TransferSpec(SNAPSHOT, Direction.DEVICE_TO_HOST, omega.name(), 0, omega.bytes());
        stateReadBack = new TransferSpec(STATE, Direction.DEVICE_TO_HOST, omega.name(), 0, omega.bytes());

        List<BufferSpec> slots = new ArrayList<>();
        for (int i = 0; i < SNAPSHOT_SLOTS; i++) {
            slots.add(host("snapshot_staging_" + i, snapshotReadBack.bytes(),
                    "run: snapshot read-back " + (i + 1) + " of " + SNAPSHOT_SLOTS + " (copied without stalling the steps)"));
        }
        snapshotSlots = List.copyOf(slots);
        ringStaging = host("ring_staging", ringReadBack.bytes(), "run: host side of the ring read-back");
        diagnosticsStaging = host("diagnostics_staging", diagnosticsReadBacks.stream().mapToLong(TransferSpec::bytes).sum(),
                "run: host side of the diagnostics read-backs");
        long largestSynchronousCopy = 0;
        for (TransferSpec t : synchronousCopies()) {
            largestSynchronousCopy = Math.max(largestSynchronousCopy, t.bytes());
        }
        contextStaging = host("staging", Staging.hostBytesFor(largestSynchronousCopy),
                "context: synchronous uploads and downloads (sized by the largest so far)");
    }

    /** Steps per ring read-back for B members: {@link #RING_ENTRIES}/B rounded down to a power of two, in 16 … {@link #RING_CAPACITY}. */
    static int ringCapacity(int members) {
        int c = Integer.highestOneBit(Math.max(1, RING_ENTRIES / members));
        return Math.max(16, Math.min(RING_CAPACITY, c));
    }

    /** The copies that go through the context's synchronous {@link Staging} path. */
    private List<TransferSpec> synchronousCopies() {
        List<TransferSpec> all = new ArrayList<>(initialUploads);
        all.addAll(restartUploads);
        all.add(dtLimitUpload);
        all.add(stateReadBack);
        return all;
    }

    private static BufferSpec device(String name, long bytes, String lifetime, Movement movement) {
        return new BufferSpec(name, bytes, BufferSpec.Memory.DEVICE_LOCAL, lifetime, movement);
    }

    private static BufferSpec host(String name, long bytes, String lifetime) {
        return new BufferSpec(name, bytes, BufferSpec.Memory.HOST_VISIBLE, lifetime, Movement.ON_DEMAND);
    }

    /** The device-local working buffers, in allocation order. */
    public List<BufferSpec> deviceBuffers() {
        return List.of(omega, stageInput, stages, work, forcing, rowMax, step, ring, diagRows, params, twiddles);
    }

    /** The host-visible staging buffers. */
    public List<BufferSpec> hostBuffers() {
        List<BufferSpec> out = new ArrayList<>(snapshotSlots);
        out.add(ringStaging);
        out.add(diagnosticsStaging);
        out.add(contextStaging);
        return out;
    }

    @Override
    public List<BufferSpec> buffers() {
        List<BufferSpec> out = new ArrayList<>(deviceBuffers());
        out.addAll(hostBuffers());
        return out;
    }

    @Override
    public int maxAdvance() {
        return ringCapacity;
    }

    @Override
    public List<TransferSpec> onCreate() {
        return initialUploads;
    }

    @Override
    public List<TransferSpec> onRestore() {
        return restartUploads;
    }

    @Override
    public List<TransferSpec> onAdvance(boolean dtLimitChanged) {
        return dtLimitChanged ? List.of(dtLimitUpload, ringReadBack) : List.of(ringReadBack);
    }

    @Override
    public List<TransferSpec> onDiagnostics() {
        return diagnosticsReadBacks;
    }

    @Override
    public List<TransferSpec> onSnapshot() {
        return List.of(snapshotReadBack);
    }

    @Override
    public List<TransferSpec> onStateRead() {
        return List.of(stateReadBack);
    }

    /** Device bytes of every buffer. */
    public long deviceBytes() {
        return deviceBuffers().stream().mapToLong(BufferSpec::bytes).sum();
    }

    /**
     * Device bytes per member, as a batch grows by one member: its fields (ω̂, stage input, s explicit
     * terms, the work fields, a forcing field when each member has its own) and its rows of the small
     * buffers. For RK4 with the SGS model that is 12 fields: 12·N(N+2)·4 bytes in fp32.
     */
    public long bytesPerMember() {
        long real = precision.bytes();
        int s = (int) (stages.bytes() / (members * fieldBytes));
        long fields = (2L + s + spectralFields + (forcingStride > 0 ? 1 : 0)) * fieldBytes;
        return fields + ((long) LesKernels_F64.ROW_MAXIMA * n + STEP_RECORD + (long) RING_ENTRY * ringCapacity
                + (long) DiagnosticSums.COUNT * (n + 1) + MemberParams.COUNT) * real + 4;
    }

    /** The device's usable memory for Eddy's buffers: 90% of its largest device-local heap (the rest for VkFFT and the driver). */
    public static long budget(dev.eddy.gpu.DeviceInfo device) {
        long heap = device.deviceLocalHeaps().stream().mapToLong(Long::longValue).max().orElse(0);
        return (long) (0.9 * heap);
    }

    /**
     * Why one device state of this layout cannot be allocated on {@code device} as one set of buffers, or
     * null when it can: a buffer beyond the device's largest storage-buffer binding, or beyond the 32-bit
     * indices of the shaders. (Memory is checked by {@link #checkMemoryBudget}, for all groups together.)
     */
    public String whyNotOneState(dev.eddy.gpu.DeviceInfo device) {
        for (BufferSpec b : deviceBuffers()) {
            if (b.bytes() > device.maxStorageBufferRange()) {
                return String.format(java.util.Locale.ROOT, "buffer '%s' of %d members would be %.2f GiB, beyond '%s''s largest"
                        + " storage-buffer binding (%.2f GiB)", b.name(), members, b.bytes() / 1073741824.0, device.name(),
                        device.maxStorageBufferRange() / 1073741824.0);
            }
            if (b.bytes() / precision.bytes() >= Integer.MAX_VALUE) {
                return "buffer '" + b.name() + "' of " + members + " members would hold more reals than the shaders' 32-bit indices reach";
            }
        }
        return null;
    }

    /**
     * Refuses, before anything is allocated, a run whose device buffers cannot fit: the message says how
     * much is needed and how much the device has (the largest device-local heap, less 10% for VkFFT's own
     * buffers and the driver), and for a batch how many members fit.
     */
    public void checkMemoryBudget(dev.eddy.gpu.DeviceInfo device) {
        checkMemoryBudget(device, deviceBytes(), this);
    }

    /** As {@link #checkMemoryBudget(dev.eddy.gpu.DeviceInfo)}, for {@code need} bytes of buffers shaped like {@code layout}'s. */
    static void checkMemoryBudget(dev.eddy.gpu.DeviceInfo device, long need, GpuLesLayout layout) {
        long heap = device.deviceLocalHeaps().stream().mapToLong(Long::longValue).max().orElse(0);
        long budget = budget(device);
        if (need > budget) {
            String fit = layout.members > 1 ? String.format(java.util.Locale.ROOT, "; %.1f MiB per member: at most %d members fit",
                    layout.bytesPerMember() / 1048576.0, Math.max(0, (budget - (need - layout.members * layout.bytesPerMember()))
                            / layout.bytesPerMember())) : "";
            throw new dev.eddy.gpu.GpuException(String.format(java.util.Locale.ROOT,
                    "N = %d in %s%s needs %.2f GiB of device memory (%.1f fields of %.2f GiB); '%s' has %.2f GiB usable"
                            + " (90%% of its %.2f GiB heap)%s: use %s", layout.n, layout.precision.label(),
                    layout.members > 1 ? " with " + layout.members + " members" : "", need / 1073741824.0,
                    (double) need / layout.fieldBytes, layout.fieldBytes / 1073741824.0, device.name(), budget / 1073741824.0,
                    heap / 1073741824.0, fit, layout.members > 1 ? "fewer members, a smaller N, fp32, or a larger GPU"
                            : "a smaller N, fp32, or a larger GPU"));
        }
    }

    /**
     * How {@code config}'s members split into device states on {@code device}: the sizes of consecutive
     * groups, each as many members as one state holds (no buffer beyond the device's largest storage-buffer
     * binding or the shaders' 32-bit indices), after checking that all of them together fit the device's
     * memory. Refuses, before anything is allocated, with how many members fit.
     */
    public static List<Integer> groups(EnsembleConfig config, dev.eddy.gpu.DeviceInfo device) {
        int b = config.size();
        List<Integer> sizes = new ArrayList<>();
        long total = 0;
        for (int from = 0; from < b; ) {
            int size = largestState(config, from, device);
            if (size == 0) {
                throw new dev.eddy.gpu.GpuException(new GpuLesLayout(config.slice(from, from + 1)).whyNotOneState(device)
                        + ": use a smaller N, or fp32");
            }
            total += new GpuLesLayout(config.slice(from, from + size)).deviceBytes();
            sizes.add(size);
            from += size;
        }
        long budget = budget(device);
        if (total > budget) {
            GpuLesLayout whole = new GpuLesLayout(config);
            int fit = 0;
            for (int lo = 0, hi = b; lo <= hi; ) { // the most members whose groups fit the budget
                int mid = (lo + hi) >>> 1;
                if (mid == 0 || bytesOfGroups(config.slice(0, mid), device) <= budget) {
                    fit = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            throw new dev.eddy.gpu.GpuException(String.format(java.util.Locale.ROOT,
                    "%d members of N = %d in %s need %.2f GiB of device memory (%.1f MiB per member); '%s' has %.2f GiB usable"
                            + " (90%% of its %.2f GiB heap): at most %d members fit: use fewer members, a smaller N, fp32, or a larger GPU",
                    b, whole.n, whole.precision.label(), total / 1073741824.0, whole.bytesPerMember() / 1048576.0, device.name(),
                    budget / 1073741824.0, device.deviceLocalHeaps().stream().mapToLong(Long::longValue).max().orElse(0) / 1073741824.0,
                    fit));
        }
        return sizes;
    }

    /** The device bytes of {@code config} split into groups as {@link #groups} splits it, without the memory check. */
    private static long bytesOfGroups(EnsembleConfig config, dev.eddy.gpu.DeviceInfo device) {
        long total = 0;
        for (int from = 0; from < config.size(); ) {
            int size = Math.max(1, largestState(config, from, device));
            total += new GpuLesLayout(config.slice(from, from + size)).deviceBytes();
            from += size;
        }
        return total;
    }

    /** The most members from {@code from} on that one device state holds (0: not even one). */
    private static int largestState(EnsembleConfig config, int from, dev.eddy.gpu.DeviceInfo device) {
        int lo = 1;
        int hi = config.size() - from;
        int best = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (new GpuLesLayout(config.slice(from, from + mid)).whyNotOneState(device) == null) {
                best = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return best;
    }
}
