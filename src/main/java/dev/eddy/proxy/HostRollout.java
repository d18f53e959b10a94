package dev.eddy.proxy;

import dev.eddy.backend.Latents;
import dev.eddy.numerics.Precision;

/**
 * The {@link Rollout} on the host: {@link CpuRollout_F64} (or its float32 twin, by the run's precision),
 * with A applied in whichever form is cheaper (explicit, or the factors of a dual fit), the initial states
 * read from wherever they live and the trajectories kept as host latents.
 */
final class HostRollout implements Rollout {
    private final int d;
    private final int batch;
    private final Precision precision;
    private final int threads;
    private LinearProxy proxy;
    private double[] z0;
    private Latents.Host trajectory;

    HostRollout(int d, int batch, Precision precision, int threads) {
        if (batch < 1) {
            throw new IllegalArgumentException("a rollout needs batch ≥ 1, got " + batch);
        }
        this.d = d;
        this.batch = batch;
        this.precision = precision;
        this.threads = threads;
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public int batch() {
        return batch;
    }

    @Override
    public void setOperator(LinearProxy proxy) {
        if (proxy.d() != d) {
            throw new IllegalArgumentException("the proxy's A is " + proxy.d() + "×" + proxy.d() + " but this rollout has d = " + d);
        }
        this.proxy = proxy;
    }

    @Override
    public void start(Latents source, int column) {
        z0 = new double[d * batch];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(source.column(column + b), 0, z0, b * d, d);
        }
    }

    @Override
    public void run(int steps) {
        if (proxy == null || z0 == null) {
            throw new IllegalStateException("setOperator() and start() before run()");
        }
        double[] columns;
        if (precision == Precision.FP64) {
            try (CpuRollout_F64 r = new CpuRollout_F64(d, batch, threads)) {
                columns = r.run(proxy, z0, steps);
            }
        } else {
            try (CpuRollout_F32 r = new CpuRollout_F32(d, batch, threads)) {
                columns = r.run(proxy, z0, steps);
            }
        }
        // the layout of Rollout: trajectory b's step t is column b·(steps + 1) + t
        trajectory = new Latents.Host(d, batch * (steps + 1), precision);
        for (int c = 0; c < batch * (steps + 1); c++) {
            trajectory.set(c, java.util.Arrays.copyOfRange(columns, c * d, (c + 1) * d));
        }
    }

    @Override
    public Latents trajectory() {
        if (trajectory == null) {
            throw new IllegalStateException("run() before trajectory()");
        }
        return trajectory;
    }

    @Override
    public double deviceMillis() {
        return Double.NaN;
    }

    @Override
    public void close() {
    }
}
