package dev.eddy.sim.gpu;

import dev.eddy.config.RunConfig;
import dev.eddy.gpu.BufferSpec;
import dev.eddy.gpu.DeviceBuffer.Movement;
import dev.eddy.gpu.Staging;
import dev.eddy.gpu.TransferLedger.Direction;
import dev.eddy.gpu.TransferSpec;
import dev.eddy.numerics.Grid;
import dev.eddy.sim.DiagnosticSums;
import dev.eddy.sim.ResourcePlan;
import dev.eddy.sim.cpu.LesKernels_F64;
import java.util.ArrayList;
import java.util.List;

/**
 * The buffers and copies of a {@link GpuLes} with given settings, computed from the settings alone
 * (no device). {@link GpuLes} allocates every buffer from these specs and takes every copy's range
 * from these transfers, and {@code eddy run --explain} prints them, so the explanation is the code's
 * own plan rather than a description of it.
 */
public final class GpuLesLayout implements ResourcePlan {
    /** Steps one {@link GpuLes#advance} may take before its ring entries are read back. */
    public static final int RING_CAPACITY = 1024;
    /** Snapshot staging buffers: two, so one snapshot can land while the host still consumes the previous one. */
    public static final int SNAPSHOT_SLOTS = 2;
    /** Reals per ring entry: dt, max speed, Courant number. */
    public static final int RING_ENTRY = 3;

    /** Ledger stage labels (the metrics JSON and the explanation group copies by them). */
    static final String INITIAL = "initial state";
    static final String RESTART = "restart";
    static final String DT_LIMIT = "dt limit";
    static final String DIAGNOSTICS = "diagnostics";
    static final String SNAPSHOT = "snapshot";
    static final String STATE = "state";

    final int spectralFields;
    final int productFields;
    final long fieldBytes;
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

    final List<BufferSpec> snapshotSlots;
    final BufferSpec ringStaging;
    final BufferSpec diagnosticsStaging;
    final BufferSpec contextStaging;

    final List<TransferSpec> initialUploads;
    final TransferSpec restartUpload;
    final TransferSpec dtLimitUpload;
    final TransferSpec ringReadBack;
    final List<TransferSpec> diagnosticsReadBacks;
    final TransferSpec snapshotReadBack;
    final TransferSpec stateReadBack;

    public GpuLesLayout(RunConfig config) {
        Grid grid = new Grid(config.n());
        this.n = grid.n();
        this.precision = config.precision();
        long real = config.precision().bytes();
        int s = config.time().tableau().stages();
        boolean sgs = config.physics().hasSgs();
        spectralFields = sgs ? 6 : 4;
        productFields = sgs ? 3 : 1;
        fieldBytes = (long) grid.fieldLength() * real;

        omega = device("omega", fieldBytes, "run: the state ω̂", Movement.ONCE_AT_START);
        stageInput = device("stage_input", fieldBytes, "step: input of stages 2..s", Movement.NEVER);
        stages = device("stages", s * fieldBytes, "step: explicit terms k_1..k_s", Movement.NEVER);
        work = device("work", spectralFields * fieldBytes, "stage: packed FFT fields (û, v̂, ∂ω, strain → products)",
                Movement.NEVER);
        forcing = device("forcing", fieldBytes, "run: forcing F̂", Movement.ONCE_AT_START);
        rowMax = device("row_max", (long) LesKernels_F64.ROW_MAXIMA * n * real, "stage: max|u|, max|v|, max u²+v² per row",
                Movement.ON_DEMAND);
        step = device("step", 3 * real, "step: dt, max|u|, dt limit", Movement.ON_DEMAND);
        // an 8-byte step counter, then (dt, max|u|, Courant number) per slot
        ring = device("ring", 8 + (long) RING_ENTRY * RING_CAPACITY * real, "run: (dt, max|u|, C) per step, read in batches",
                Movement.ON_DEMAND);
        // the diagnostics' sums per row (DiagnosticSums), then their totals
        diagRows = device("diag_rows", (long) DiagnosticSums.COUNT * (n + 1) * real, "diagnostics: per-row sums",
                Movement.ON_DEMAND);

        initialUploads = List.of(
                new TransferSpec(INITIAL, Direction.HOST_TO_DEVICE, omega.name(), 0, omega.bytes()),
                new TransferSpec(INITIAL, Direction.HOST_TO_DEVICE, forcing.name(), 0, forcing.bytes()),
                new TransferSpec(INITIAL, Direction.HOST_TO_DEVICE, step.name(), 0, step.bytes()),
                new TransferSpec(INITIAL, Direction.HOST_TO_DEVICE, ring.name(), 0, 8)); // zeroes the step counter
        restartUpload = new TransferSpec(RESTART, Direction.HOST_TO_DEVICE, omega.name(), 0, omega.bytes());
        dtLimitUpload = new TransferSpec(DT_LIMIT, Direction.HOST_TO_DEVICE, step.name(), 2 * real, real);
        ringReadBack = new TransferSpec(DIAGNOSTICS, Direction.DEVICE_TO_HOST, ring.name(), 0, ring.bytes());
        diagnosticsReadBacks = List.of(
                new TransferSpec(DIAGNOSTICS, Direction.DEVICE_TO_HOST, rowMax.name(), 0, rowMax.bytes()),
                new TransferSpec(DIAGNOSTICS, Direction.DEVICE_TO_HOST, diagRows.name(), (long) DiagnosticSums.COUNT * n * real,
                        DiagnosticSums.COUNT * real));
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

    /** The copies that go through the context's synchronous {@link Staging} path. */
    private List<TransferSpec> synchronousCopies() {
        List<TransferSpec> all = new ArrayList<>(initialUploads);
        all.add(restartUpload);
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
        return List.of(omega, stageInput, stages, work, forcing, rowMax, step, ring, diagRows);
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
        return RING_CAPACITY;
    }

    @Override
    public List<TransferSpec> onCreate() {
        return initialUploads;
    }

    @Override
    public List<TransferSpec> onRestore() {
        return List.of(restartUpload);
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

    /**
     * Refuses, before anything is allocated, a run whose device buffers cannot fit: the message says how
     * much is needed and how much the device has (the largest device-local heap, less 10% for VkFFT's own
     * buffers and the driver).
     */
    public void checkMemoryBudget(dev.eddy.gpu.DeviceInfo device) {
        long need = deviceBuffers().stream().mapToLong(BufferSpec::bytes).sum();
        long heap = device.deviceLocalHeaps().stream().mapToLong(Long::longValue).max().orElse(0);
        long budget = (long) (0.9 * heap);
        if (need > budget) {
            throw new dev.eddy.gpu.GpuException(String.format(java.util.Locale.ROOT,
                    "N = %d in %s needs %.2f GiB of device memory (%.1f fields of %.2f GiB); '%s' has %.2f GiB usable"
                            + " (90%% of its %.2f GiB heap): use a smaller N, fp32, or a larger GPU",
                    n, precision.label(), need / 1073741824.0, (double) need / fieldBytes, fieldBytes / 1073741824.0, device.name(),
                    budget / 1073741824.0, heap / 1073741824.0));
        }
    }
}
