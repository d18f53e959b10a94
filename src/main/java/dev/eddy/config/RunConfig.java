package dev.eddy.config;

import dev.eddy.numerics.FftSizes;
import dev.eddy.numerics.Precision;

/**
 * Everything that determines a run's numbers, validated here once. It is echoed into every output
 * (config.json, the HDF5 attributes, the metrics JSON, checkpoints), and {@code eddy run --config
 * FILE} re-runs any of them. Where the result goes (the output directory) is not part of it.
 *
 * @param threads CPU threads for the cpu backend (0 = all cores); does not change the bits
 * @param health  the bounds of the health check (settings saved before it existed read as the defaults)
 */
public record RunConfig(int n, Precision precision, BackendKind backend, Physics physics, Forcing forcing,
                        InitialSpectrum initial, TimeControl time, OutputSchedule output, int threads,
                        HealthBounds health) {

    public RunConfig {
        if (health == null) {
            health = HealthBounds.DEFAULTS;
        }
        String why = FftSizes.whyNot(n);
        ConfigException.require(why == null, why);
        ConfigException.require(precision != null, "precision must be fp32 or fp64");
        ConfigException.require(backend != null, "backend must be " + BackendKind.choices());
        ConfigException.require(physics != null && forcing != null && initial != null && time != null && output != null,
                "physics, forcing, initial, time and output settings are all required");
        int cutoff = dev.eddy.numerics.Grid.dealiasCutoff(n);
        if (forcing.kind() == Forcing.Kind.KOLMOGOROV) {
            ConfigException.require(forcing.kf() <= cutoff, "Kolmogorov forcing wavenumber kf = " + forcing.kf()
                    + " is removed by dealiasing at N = " + n + ": it must be ≤ K = ⌊(N−1)/3⌋ = " + cutoff);
        }
        ConfigException.require(initial.kp() < cutoff, "initial peak wavenumber kp = " + initial.kp()
                + " must be below the dealiasing cutoff K = ⌊(N−1)/3⌋ = " + cutoff + " at N = " + n);
        ConfigException.require(threads >= 0 && threads <= MAX_THREADS, "threads must be 0 (all cores) to " + MAX_THREADS
                + ", got " + threads);
    }

    /** The most CPU threads a run may ask for (the fork-join pool's limit). */
    public static final int MAX_THREADS = 32767;

    /** The small default case: decaying LES at 128², fp64, CFL-adaptive with the default stepper. */
    public static RunConfig defaults() {
        return new RunConfig(128, Precision.FP64, BackendKind.CPU,
                new Physics(1e-4, 0.0, Physics.DEFAULT_CS),
                Forcing.NONE,
                new InitialSpectrum(6, 0.5, 1),
                new TimeControl(500, 0, 0.01, TimeControl.DEFAULT_CFL, TimeControl.DEFAULT_STEPPER),
                new OutputSchedule(100, 10, 250),
                0, HealthBounds.DEFAULTS);
    }

    public RunConfig withTime(TimeControl t) {
        return new RunConfig(n, precision, backend, physics, forcing, initial, t, output, threads, health);
    }
}
