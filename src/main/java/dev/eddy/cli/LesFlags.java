package dev.eddy.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The flags that set the LES's physics, grid, precision and time step, shared by the commands that run
 * an LES ({@code eddy pipeline}); each maps to a key of {@link dev.eddy.config.ConfigLoader}.
 */
public final class LesFlags {
    @Option(names = {"-n", "--n"}, paramLabel = "N", description = "grid points per side (even, factors 2,3,5,7)")
    Integer n;
    @Option(names = "--dt", description = "time step (the largest allowed one with --cfl)") Double dt;
    @Option(names = "--cfl", description = "Courant number of the adaptive step; 0 = fixed dt") Double cfl;
    @Option(names = "--stepper", description = "heun (IF-RK2, default) or rk4 (IF-RK4)") String stepper;
    @Option(names = "--nu", description = "viscosity ν") Double nu;
    @Option(names = "--mu", description = "linear drag μ") Double mu;
    @Option(names = "--cs", description = "Smagorinsky constant C_s (0 = DNS)") Double cs;
    @Option(names = "--forcing", description = "none or kolmogorov") String forcing;
    @Option(names = "--kf", description = "Kolmogorov forcing wavenumber") Integer kf;
    @Option(names = "--forcing-amplitude", paramLabel = "A", description = "Kolmogorov forcing amplitude") Double amplitude;
    @Option(names = "--kp", description = "peak wavenumber of the initial spectrum") Double kp;
    @Option(names = "--energy", description = "initial kinetic energy") Double energy;
    @Option(names = "--seed", description = "seed of the initial phases") Long seed;
    @Option(names = "--precision", description = "fp32 or fp64") String precision;
    @Option(names = "--threads", description = "CPU threads (0 = all cores)") Integer threads;

    /** The flags given, as ConfigLoader keys. */
    Map<String, Object> values() {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "n", n);
        put(m, "precision", precision);
        put(m, "threads", threads);
        put(m, "physics.nu", nu);
        put(m, "physics.mu", mu);
        put(m, "physics.cs", cs);
        put(m, "forcing.kind", forcing);
        put(m, "forcing.kf", kf);
        put(m, "forcing.amplitude", amplitude);
        put(m, "initial.kp", kp);
        put(m, "initial.energy", energy);
        put(m, "initial.seed", seed);
        put(m, "time.dt", dt);
        put(m, "time.cfl", cfl);
        put(m, "time.stepper", stepper);
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
