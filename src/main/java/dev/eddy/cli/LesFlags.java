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
    @Option(names = "--cfl", description = "Courant number C of the adaptive step dt = C/((max|u|+max|v|)·K), K = ⌊(N−1)/3⌋"
            + " (default 2.4); at most the stepper's limit (rk4 2.83, ssprk3 1.73); 0 = fixed dt") Double cfl;
    @Option(names = "--stepper", description = "rk4 (IF-RK4, default), ssprk3 (IF-SSP-RK3) or heun (IF-RK2: unstable"
            + " without dissipation at k_max, for studies)") String stepper;
    @Option(names = "--strict", description = "stop the run (exit 3, last checkpoint kept) when it fails the health check")
    Boolean strict;
    @Option(names = "--health-band", paramLabel = "F", description = "health bound on the share of enstrophy in the outer"
            + " band of the kept box (default 0.05)") Double healthBand;
    @Option(names = "--health-ratio", paramLabel = "R", description = "health bound on E(k_c)/E(k_c/2) (default 0.2)")
    Double healthRatio;
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

    /** The flags given, as ConfigLoader keys. */
    Map<String, Object> values() {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "n", n);
        put(m, "precision", precision);
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
        put(m, "health.strict", strict);
        put(m, "health.maxBandFraction", healthBand);
        put(m, "health.maxCutoffRatio", healthRatio);
        return m;
    }

    private static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
