package dev.eddy.proxy;

import dev.eddy.numerics.Parallel;
import dev.eddy.numerics.Reals_F64;

/**
 * The rollout on the host, in two ways:
 * <ul>
 *   <li>{@link #run(double[], double[], int)}: the GEMV with the explicit A, {@link RolloutKernels_F64#gemv}
 *       per step in the GPU shader's summation order — the reference of GpuRollout's parity test, bit for
 *       bit. Rows in contiguous blocks over the threads (each row has one owner, so the result does not
 *       depend on the thread count); within a row the loops read A and the state contiguously; a row of A
 *       is read once for every trajectory of the batch.</li>
 *   <li>{@link #run(LinearProxy, double[], int)}: the cheaper of that GEMV (d² multiply-adds a step) and the
 *       factors of a dual-form proxy (2dr, {@link OperatorFactors}; no shader twin, so not the GPU's
 *       bits).</li>
 * </ul>
 * The float32 twin CpuRollout_F32 is generated; both take and return float64 arrays (the float32 one
 * rounds the operator and z0 to float32 first, as the upload to a float32 device buffer does).
 */
public final class CpuRollout_F64 implements AutoCloseable {
    /** Below this many multiply-adds a step the loops run on the calling thread (the hand-off costs more). */
    static final long SERIAL_MACS = 1 << 15;

    private final int d;
    private final int batch;
    private final Parallel parallel;

    /** @param threads worker threads; 0 means one per core */
    public CpuRollout_F64(int d, int batch, int threads) {
        if (d < 1 || (long) d * d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("latent dimension must be in 1..46340, got " + d);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be ≥ 1, got " + batch);
        }
        this.d = d;
        this.batch = batch;
        this.parallel = new Parallel(threads);
    }

    public CpuRollout_F64(int d, int batch) {
        this(d, batch, 0);
    }

    public int dimension() {
        return d;
    }

    public int batch() {
        return batch;
    }

    /** True when {@link #run(LinearProxy, double[], int)} applies the proxy's factors rather than the GEMV. */
    public static boolean usesFactors(LinearProxy proxy) {
        return proxy.factorsCheaper();
    }

    /**
     * Rolls {@code batch} trajectories {@code steps} steps from the initial states {@code z0} with the
     * proxy: its factors when they are cheaper ({@link #usesFactors}), else the GEMV with its explicit A.
     * Layout as {@link #run(double[], double[], int)}.
     */
    public double[] run(LinearProxy proxy, double[] z0, int steps) { // neutral
        if (proxy.d() != d) {
            throw new IllegalArgumentException("the proxy has d = " + proxy.d() + "; this rollout has d = " + d);
        }
        if (!usesFactors(proxy)) {
            return run(proxy.a(), z0, steps);
        }
        OperatorFactors f = proxy.factors().orElseThrow();
        int r = f.m();
        double[] right = Reals_F64.narrow(f.right());
        double[] left = Reals_F64.narrow(f.left());
        double[] z = start(z0, steps);
        int columns = steps + 1;
        double[] u = new double[r * batch];
        boolean serial = 2L * d * r * batch < SERIAL_MACS;
        for (int t = 0; t < steps; t++) {
            int step = t;
            // u = Rᵀ z_t, z_{t+1} = L u: two passes, each split over the threads
            forRange(serial, r, (from, to) -> {
                for (int b = 0; b < batch; b++) {
                    RolloutKernels_F64.project(right, d, z, (b * columns + step) * d, u, b * r, from, to);
                }
            });
            forRange(serial, d, (from, to) -> {
                for (int b = 0; b < batch; b++) {
                    RolloutKernels_F64.expand(left, d, r, u, b * r, z, (b * columns + step + 1) * d, from, to);
                }
            });
        }
        return Reals_F64.widen(z);
    }

    /**
     * Rolls {@code batch} trajectories {@code steps} steps from the initial states {@code z0} (batch
     * columns of d, column-major) with A ({@code a}, row-major d×d). Returns batch·(steps+1) columns in
     * the layout of {@link Rollout}: for batch 1, (steps+1)·d values with column 0 = z0.
     */
    public double[] run(double[] a, double[] z0, int steps) { // neutral
        if (a.length != d * d) {
            throw new IllegalArgumentException("A has " + a.length + " values; this rollout has d = " + d + " (d² = " + d * d + ")");
        }
        double[] z = start(z0, steps);
        double[] op = Reals_F64.narrow(a);
        int columns = steps + 1;
        boolean serial = (long) d * d * batch < SERIAL_MACS;
        for (int t = 0; t < steps; t++) {
            int step = t;
            forRange(serial, d, (from, to) -> {
                double[] partial = new double[RolloutKernels_F64.LOCAL_SIZE];
                for (int i = from; i < to; i++) {
                    for (int b = 0; b < batch; b++) { // the row of A stays in cache for the whole batch
                        int in = (b * columns + step) * d;
                        RolloutKernels_F64.gemvRow(op, i * d, d, z, in, partial);
                        z[in + d + i] = partial[0];
                    }
                }
            });
        }
        return Reals_F64.widen(z);
    }

    private void forRange(boolean serial, int n, Parallel.RangeBody body) {
        if (serial) {
            body.run(0, n);
        } else {
            parallel.forRange(n, body);
        }
    }

    /** The trajectories' array with the initial states in place (and checks). */
    private double[] start(
            double[] z0, int steps) { // neutral
        if (z0.length != d * batch) {
            throw new IllegalArgumentException("initial states have " + z0.length + " values, expected d·batch = " + d * batch);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be ≥ 0, got " + steps);
        }
        int columns = steps + 1;
        if ((long) batch * columns * d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(batch + " trajectories of " + columns + " columns of d = " + d + " exceed one Java array");
        }
        double[] z = new double[batch * columns * d];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < d; i++) {
                z[b * columns * d + i] = (double) z0[b * d + i];
            }
        }
        return z;
    }

    @Override
    public void close() {
        parallel.close();
    }
}
