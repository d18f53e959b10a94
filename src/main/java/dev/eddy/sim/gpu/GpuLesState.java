package dev.eddy.sim.gpu;

import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.ReadBackPool;
import dev.eddy.gpu.RealBuffers;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.numerics.CpuFft2D_F64;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Parallel;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.PendingSnapshot;
import dev.eddy.sim.Snapshot;
import java.nio.ByteBuffer;

/**
 * The GPU LES's state ω̂ as the host sees it: host copies read at most once per state version,
 * snapshots copied into staging without waiting, and restores. The device buffer itself and the steps
 * that change it belong to {@link GpuLes}, which calls {@link #changes()} before every change.
 */
final class GpuLesState implements AutoCloseable {
    private final VulkanContext ctx;
    private final Grid grid;
    private final Precision precision;
    private final GpuLesLayout layout;
    private final DeviceBuffer omega;
    private final ReadBackPool snapshotReadBacks;
    /**
     * The last host copy of ω̂, valid until the state changes: a step that takes a snapshot and a
     * checkpoint asks for ω̂ three times (ω, its spectrum, the checkpoint), and it crosses once.
     * Shared with snapshots; never modified (callers get copies).
     */
    private double[] hostState;
    /** Counts changes of the device state (steps, restores): a host copy or snapshot is of one version. */
    private long version;
    /** The last snapshot requested; its copy serves a later {@link #spectral()} of the same version. */
    private GpuSnapshot lastSnapshot;

    GpuLesState(VulkanContext ctx, Grid grid, Precision precision, GpuLesLayout layout, DeviceBuffer omega) {
        this.ctx = ctx;
        this.grid = grid;
        this.precision = precision;
        this.layout = layout;
        this.omega = omega;
        this.snapshotReadBacks = new ReadBackPool(ctx, layout.snapshotSlots);
    }

    /** The device state is about to change: host copies and snapshots of the old one no longer describe it. */
    void changes() {
        hostState = null;
        version++;
    }

    ReadBackPool snapshotReadBacks() {
        return snapshotReadBacks;
    }

    /** ω̂ on the host, read at most once per state: from a snapshot of this state if one was requested. Not to be modified. */
    double[] spectral() {
        if (hostState == null) {
            if (lastSnapshot != null && lastSnapshot.version == version) {
                hostState = lastSnapshot.spectral();
            } else {
                double[] s = new double[grid.fieldLength()];
                ByteBuffer b = RealBuffers.allocate(s.length, precision);
                GpuLes.requireBuffer(layout.stateReadBack, omega);
                ctx.staging().download(omega, layout.stateReadBack.offset(), b, layout.stateReadBack.stage());
                RealBuffers.decode(b.flip(), s, precision);
                hostState = s;
            }
        }
        return hostState;
    }

    /**
     * Submits a copy of ω̂ into a free snapshot staging buffer and returns at once; the next advance is
     * ordered behind the copy on the queue. A state already on the host (or already requested) is not
     * copied again.
     */
    PendingSnapshot requestSnapshot(long step, double time) {
        if (lastSnapshot == null || lastSnapshot.version != version) {
            if (hostState != null) {
                lastSnapshot = new GpuSnapshot(step, time, version, null, hostState);
            } else {
                int len = grid.fieldLength();
                ReadBackPool.Pending<double[]> copy = snapshotReadBacks.request(omega, layout.snapshotReadBack, bytes -> {
                    double[] s = new double[len];
                    RealBuffers.decode(bytes, s, precision);
                    return s;
                });
                lastSnapshot = new GpuSnapshot(step, time, version, copy, null);
            }
        }
        return lastSnapshot;
    }

    /** Replaces the device state with {@code state} (a planned upload). */
    void restore(double[] state) {
        changes();
        GpuLes.upload(ctx, layout.restartUpload, omega, RealBuffers.encode(state, precision));
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

    /**
     * ω from ω̂ on the host, with the float64 CPU FFT (a snapshot is the requested output: ω̂ crosses,
     * the same bytes as ω, and is transformed here). {@code spectral} is not modified. The synchronous
     * vorticity and the snapshots both use this, so they agree bit for bit.
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

    @Override
    public void close() {
        snapshotReadBacks.close();
    }
}
