package dev.eddy;

import dev.eddy.config.Forcing;
import dev.eddy.config.InitialSpectrum;
import dev.eddy.config.OutputSchedule;
import dev.eddy.config.Physics;
import dev.eddy.config.RunConfig;
import dev.eddy.config.TimeControl;
import dev.eddy.numerics.Precision;

/** Small run settings for tests. */
public final class TestConfigs {
    private TestConfigs() {
    }

    /** A decaying LES at N with fixed dt. */
    public static RunConfig les(int n, Precision p, double nu, double cs, double dt, String stepper) {
        return new RunConfig(n, p, dev.eddy.config.BackendKind.CPU, new Physics(nu, 0, cs), Forcing.NONE,
                new InitialSpectrum(Math.min(6, n / 3 - 1), 0.5, 7), new TimeControl(10, 0, dt, 0, stepper),
                new OutputSchedule(0, 10, 0), 2, dev.eddy.config.HealthBounds.DEFAULTS);
    }

    public static RunConfig les(int n, Precision p) {
        return les(n, p, 1e-3, 0.17, 0.005, "ssprk3");
    }

    public static RunConfig withPhysics(RunConfig c, Physics physics, Forcing forcing) {
        return new RunConfig(c.n(), c.precision(), c.backend(), physics, forcing, c.initial(), c.time(), c.output(), c.threads(), c.health());
    }

    public static RunConfig withInitial(RunConfig c, InitialSpectrum initial) {
        return new RunConfig(c.n(), c.precision(), c.backend(), c.physics(), c.forcing(), initial, c.time(), c.output(), c.threads(),
                c.health());
    }

    public static RunConfig withThreads(RunConfig c, int threads) {
        return new RunConfig(c.n(), c.precision(), c.backend(), c.physics(), c.forcing(), c.initial(), c.time(), c.output(), threads, c.health());
    }

    public static RunConfig withOutput(RunConfig c, OutputSchedule o, TimeControl t) {
        return new RunConfig(c.n(), c.precision(), c.backend(), c.physics(), c.forcing(), c.initial(), t, o, c.threads(), c.health());
    }

    public static RunConfig withBackend(RunConfig c, String backend) {
        return new RunConfig(c.n(), c.precision(), dev.eddy.config.BackendKind.parse(backend), c.physics(), c.forcing(), c.initial(), c.time(), c.output(), c.threads(), c.health());
    }

    /** A CPU codec with one latent column (the file codec of eddy encode/decode). */
    public static dev.eddy.codec.SnapshotCodec cpuCodec(dev.eddy.codec.CodecSettings s, int threads) {
        return cpuCodec(s, 1, threads);
    }

    /** A CPU codec with {@code columns} latent columns. */
    public static dev.eddy.codec.SnapshotCodec cpuCodec(dev.eddy.codec.CodecSettings s, int columns, int threads) {
        return dev.eddy.codec.Codecs.create(s, new dev.eddy.backend.Backend.Cpu(threads), columns);
    }

    /** Relative L2 distance ‖a − b‖/‖b‖. */
    public static double relL2(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }
}
