package dev.eddy.proxy;

import dev.eddy.numerics.Parallel;
import dev.eddy.numerics.Reals_F64;

/**
 * The rollout on the host: {@link RolloutKernels_F64#gemv} per step and trajectory, parallel over rows
 * (each row has one owner, so the result does not depend on the thread count) and in the GPU shader's
 * summation order, which makes it the reference of GpuRollout's parity test. The float32 twin
 * CpuRollout_F32 is generated; both take and return float64 arrays (the float32 one rounds A and z0 to
 * float32 first, as the upload to a float32 device buffer does).
 */
public final class CpuRollout_F64 implements AutoCloseable {
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

    /**
     * Rolls {@code batch} trajectories {@code steps} steps from the initial states {@code z0} (batch
     * columns of d, column-major) with A ({@code a}, row-major d×d). Returns batch·(steps+1) columns in
     * the layout of {@link Rollout}: for batch 1, (steps+1)·d values with column 0 = z0.
     */
    public double[] run(double[] a, double[] z0, int steps) { // neutral
        if (a.length != d * d) {
            throw new IllegalArgumentException("A has " + a.length + " values; this rollout has d = " + d + " (d² = " + d * d + ")");
        }
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
        double[] op = Reals_F64.narrow(a);
        double[] z = new double[batch * columns * d];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < d; i++) {
                z[b * columns * d + i] = (double) z0[b * d + i];
            }
        }
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int in = (b * columns + t) * d;
                parallel.forRange(d, (from, to) -> RolloutKernels_F64.gemv(op, d, z, in, in + d,
                        new double[RolloutKernels_F64.LOCAL_SIZE], from, to));
            }
        }
        double[] wide = new double[z.length]; // neutral
        for (int k = 0; k < z.length; k++) {
            wide[k] = z[k];
        }
        return wide;
    }

    @Override
    public void close() {
        parallel.close();
    }
}
