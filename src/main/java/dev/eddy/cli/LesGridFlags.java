package dev.eddy.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The flags that set what every member of a run shares: grid, precision, stepper, time step, health
 * bounds, forcing shape and initial spectrum; each maps to a key of {@link dev.eddy.config.ConfigLoader}.
 * {@link LesFlags} adds a single run's own physics and seed; {@link EnsembleFlags} adds an ensemble's
 * members instead.
 */
public class LesGridFlags {
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
    @Option(names = "--forcing", description = "none or kolmogorov") String forcing;
    @Option(names = "--kf", description = "Kolmogorov forcing wavenumber") Integer kf;
    @Option(names = "--kp", description = "peak wavenumber of the initial spectrum") Double kp;
    @Option(names = "--energy", description = "initial kinetic energy") Double energy;
    @Option(names = "--precision", description = "fp32 or fp64") String precision;

    /** The flags given, as ConfigLoader keys. */
    Map<String, Object> values() {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "n", n);
        put(m, "precision", precision);
        put(m, "forcing.kind", forcing);
        put(m, "forcing.kf", kf);
        put(m, "initial.kp", kp);
        put(m, "initial.energy", energy);
        put(m, "time.dt", dt);
        put(m, "time.cfl", cfl);
        put(m, "time.stepper", stepper);
        put(m, "health.strict", strict);
        put(m, "health.maxBandFraction", healthBand);
        put(m, "health.maxCutoffRatio", healthRatio);
        return m;
    }

    static void put(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
