package dev.eddy.config;

/**
 * The bounds of the health check every run makes at each diagnostics sample (on the device for a GPU
 * run): a resolved LES keeps little enstrophy near the dealiasing cutoff K and has a spectrum that falls
 * towards it. Grid-scale noise (an unstable time step, too little SGS dissipation) shows as enstrophy
 * piling up in the outer band of the kept box and E(K) rising to E(K/2). Measured at 128² and 256²
 * (planning/stepper-choice.md): stable settings stay below 1% and 0.05, the old Heun default reached
 * 32–48% and 1.2.
 *
 * @param maxBandFraction largest share of the kept box's enstrophy in its outer band max(|kx|,|ky|) ≥ 0.8K
 * @param maxCutoffRatio  largest E(K)/E(⌊K/2⌋) of the shell spectrum
 * @param strict          stop the run (exit 3, last checkpoint kept) when a bound is crossed, instead of warning
 */
public record HealthBounds(double maxBandFraction, double maxCutoffRatio, boolean strict) {
    public static final HealthBounds DEFAULTS = new HealthBounds(0.05, 0.2, false);

    public HealthBounds {
        ConfigException.finite(maxBandFraction, "health bound on the outer-band enstrophy fraction");
        ConfigException.finite(maxCutoffRatio, "health bound on E(k_c)/E(k_c/2)");
        ConfigException.require(maxBandFraction > 0 && maxBandFraction <= 1,
                "health bound on the outer-band enstrophy fraction must be in (0, 1], got " + maxBandFraction);
        ConfigException.require(maxCutoffRatio > 0, "health bound on E(k_c)/E(k_c/2) must be > 0, got " + maxCutoffRatio);
    }
}
