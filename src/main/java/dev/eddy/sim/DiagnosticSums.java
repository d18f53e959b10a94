package dev.eddy.sim;

/**
 * The per-row sums that the diagnostics reduce (on the device by {@code les_diagnostics}, on the CPU by
 * its twin {@code LesKernels_F64.diagnosticSums}), by index, and their conversion into physical
 * quantities. Sums run over the full plane (half spectrum with Hermitian weights), without the mean mode,
 * in the unnormalised FFT convention of ω̂ (so ⟨f g⟩ = N⁻⁴ Σ f̂* ĝ).
 */
public final class DiagnosticSums {
    /** Σ |ω̂|²/k². */
    public static final int ENERGY = 0;
    /** Σ |ω̂|². */
    public static final int ENSTROPHY = 1;
    /** Σ k²|ω̂|². */
    public static final int PALINSTROPHY = 2;
    /** Σ |ω̂|² over the kept box |kx|, |ky| ≤ K. */
    public static final int KEPT_ENSTROPHY = 3;
    /** Σ |ω̂|² over the kept box's outer band max(|kx|, |ky|) ≥ 0.8K. */
    public static final int BAND_ENSTROPHY = 4;
    /** Σ |ω̂|²/k² over the shell |k| ∈ [K − ½, K + ½). */
    public static final int SHELL_CUTOFF = 5;
    /** Σ |ω̂|²/k² over the shell |k| ∈ [⌊K/2⌋ − ½, ⌊K/2⌋ + ½). */
    public static final int SHELL_HALF = 6;
    /** Σ Re(ω̂*·Â)/k² and Σ Re(ω̂*·Â) for the advection tendency Â = −(u·∇ω)^: zero for the truncated equations. */
    public static final int ADVECTION_ENERGY = 7;
    public static final int ADVECTION_ENSTROPHY = 8;
    /** The same for the SGS tendency ∇·(ν_t∇ω). */
    public static final int SGS_ENERGY = 9;
    public static final int SGS_ENSTROPHY = 10;
    /** The same for the forcing F̂. */
    public static final int FORCING_ENERGY = 11;
    public static final int FORCING_ENSTROPHY = 12;
    public static final int COUNT = 13;

    private DiagnosticSums() {
    }
}
