package dev.eddy.proxy;

import dev.eddy.backend.Latents;
import dev.eddy.numerics.Precision;

/**
 * The {@link Rollout} on the host: {@link CpuRollout_F64} (or its float32 twin, by the run's precision),
 * with A applied in whichever form is cheaper (explicit, or the factors of a dual fit), the initial state
 * read from wherever it lives and the trajectory kept as host latents.
 */
final class HostRollout implements Rollout {
    private final int d;
    private final Precision precision;
    private final int threads;
    private LinearProxy proxy;
    private double[] z0;
    private Latents.Host trajectory;

    HostRollout(int d, Precision precision, int threads) {
        this.d = d;
        this.precision = precision;
        this.threads = threads;
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public int batch() {
        return 1;
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
        z0 = source.column(column);
    }

    @Override
    public void run(int steps) {
        if (proxy == null || z0 == null) {
            throw new IllegalStateException("setOperator() and start() before run()");
        }
        double[] columns;
        if (precision == Precision.FP64) {
            try (CpuRollout_F64 r = new CpuRollout_F64(d, 1, threads)) {
                columns = r.run(proxy, z0, steps);
            }
        } else {
            try (CpuRollout_F32 r = new CpuRollout_F32(d, 1, threads)) {
                columns = r.run(proxy, z0, steps);
            }
        }
        trajectory = new Latents.Host(d, steps + 1, precision);
        for (int t = 0; t <= steps; t++) {
            trajectory.set(t, java.util.Arrays.copyOfRange(columns, t * d, (t + 1) * d));
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
