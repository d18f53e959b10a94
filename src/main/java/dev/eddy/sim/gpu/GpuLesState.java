package dev.eddy.sim.gpu;

import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.ReadBackPool;
import dev.eddy.gpu.RealBuffers;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.numerics.CpuFft2D_F64;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Parallel;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.EnsembleSnapshot;
import java.nio.ByteBuffer;

/**
 * The GPU LES's state ω̂ (every member's) as the host sees it: host copies read at most once per state
 * version, snapshots copied into staging without waiting, and restores. The device buffer itself and the
 * steps that change it belong to {@link GpuEnsemble}, which calls {@link #changes()} before every change.
 * All members cross together: one copy of the whole buffer per state.
 */
final class GpuLesState implements AutoCloseable {
    private final VulkanContext ctx;
    private final Grid grid;
    private final Precision precision;
    private final GpuLesLayout layout;
    private final DeviceBuffer omega;
    private final ReadBackPool snapshotReadBacks;
    /**
     * The last host copy of every member's ω̂, valid until the state changes: a step that takes a snapshot
     * and a checkpoint asks for ω̂ three times (ω, its spectrum, the checkpoint), and it crosses once.
     * Shared with snapshots; never modified (callers get copies).
     */
    private double[][] hostState;
    /** Counts changes of the device state (steps, restores): a host copy or snapshot is of one version. */
    private long version;
    /** The last snapshot requested, and the state version it holds; its copy serves a later {@link #spectral()} of that version. */
    private ReadBackPool.Pending<double[][]> lastCopy;
    private long lastCopyVersion = -1;
    /** The last snapshot handed out, and its state version: a second request of the same state gets the same snapshot. */
    private EnsembleSnapshot.Pending lastSnapshot;
    private long lastSnapshotVersion = -1;

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

    /** Every member's ω̂ on the host, read at most once per state: from a snapshot of this state if one was requested. Not to be modified. */
    double[][] spectral() {
        if (hostState == null) {
            if (lastCopy != null && lastCopyVersion == version) {
                hostState = lastCopy.get();
            } else {
                ByteBuffer b = RealBuffers.allocate(Math.toIntExact(layout.omega.bytes() / precision.bytes()), precision);
                GpuEnsemble.requireBuffer(layout.stateReadBack, omega);
                ctx.staging().download(omega, layout.stateReadBack.offset(), b, layout.stateReadBack.stage());
                hostState = members(b.flip());
            }
        }
        return hostState;
    }

    /** The members' fields of a copy of the whole buffer. */
    private double[][] members(ByteBuffer bytes) {
        int len = grid.fieldLength();
        double[] all = new double[layout.members * len];
        RealBuffers.decode(bytes, all, precision);
        double[][] out = new double[layout.members][];
        for (int m = 0; m < out.length; m++) {
            out[m] = java.util.Arrays.copyOfRange(all, m * len, (m + 1) * len);
        }
        return out;
    }

    /**
     * Submits a copy of ω̂ into a free snapshot staging buffer and returns at once; the next advance is
     * ordered behind the copy on the queue. A state already on the host (or already requested) is not
     * copied again. {@code steps} and {@code times} are the members' at this state.
     */
    EnsembleSnapshot.Pending requestSnapshot(long[] steps, double[] times) {
        if (lastSnapshot == null || lastSnapshotVersion != version) {
            lastSnapshot = newSnapshot(steps, times);
            lastSnapshotVersion = version;
        }
        return lastSnapshot;
    }

    private EnsembleSnapshot.Pending newSnapshot(long[] steps, double[] times) {
        if (hostState != null) {
            return EnsembleSnapshot.Pending.completed(snapshot(steps, times, hostState));
        }
        if (lastCopy == null || lastCopyVersion != version) {
            lastCopy = snapshotReadBacks.request(omega, layout.snapshotReadBack, this::members);
            lastCopyVersion = version;
        }
        ReadBackPool.Pending<double[][]> copy = lastCopy;
        return new EnsembleSnapshot.Pending() {
            private EnsembleSnapshot done;

            @Override
            public synchronized EnsembleSnapshot get() {
                if (done == null) {
                    done = snapshot(steps, times, copy.get());
                }
                return done;
            }
        };
    }

    private EnsembleSnapshot snapshot(long[] steps, double[] times, double[][] states) {
        double[][] own = new double[states.length][];
        for (int m = 0; m < own.length; m++) {
            own[m] = states[m].clone(); // the host copy stays unmodified whatever a consumer does
        }
        return new EnsembleSnapshot(steps, times, own, s -> hostVorticity(grid, s));
    }

    /** Replaces the device state with every member's {@code states} (a planned upload). */
    void restore(double[][] states) {
        changes();
        int len = grid.fieldLength();
        double[] all = new double[layout.members * len];
        for (int m = 0; m < states.length; m++) {
            System.arraycopy(states[m], 0, all, m * len, len);
        }
        GpuEnsemble.upload(ctx, layout.restartUploads.get(0), omega, RealBuffers.encode(all, precision));
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
