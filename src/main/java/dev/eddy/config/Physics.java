package dev.eddy.config;

/**
 * The coefficients of ∂ω/∂t = −(u·∇ω) + ν∇²ω + ∇·(ν_t∇ω) − μω + F.
 *
 * @param nu kinematic viscosity ν ≥ 0
 * @param mu linear drag μ ≥ 0
 * @param cs Smagorinsky constant C_s ≥ 0 (0 switches the SGS model off: a DNS)
 */
public record Physics(double nu, double mu, double cs) {
    /**
     * The default Smagorinsky constant, in Eddy's convention ν_t = (C_s Δ)²|S| with Δ = 2π/N and
     * |S| = √(2 S_ij S_ij). Lilly's 0.17 (Lilly 1967, Proc. IBM Sci. Comput. Symp.) belongs to the filter
     * width of a sharp spectral cutoff, π/k_c; after 2/3 dealiasing k_c = K = ⌊(N−1)/3⌋ ≈ N/3, so that width
     * is 1.5Δ and Lilly's model reads C_s = 0.17·1.5 ≈ 0.26 here. With the design's earlier 0.17 (two thirds
     * of Lilly's ν_t's length scale, 0.44 of its ν_t) every decaying preset piled enstrophy up at the cutoff
     * (8–15% of it in the outer band at 128² and 256² whatever the time step; planning/stepper-choice.md).
     */
    public static final double DEFAULT_CS = 0.26;

    public Physics {
        ConfigException.finite(nu, "viscosity nu");
        ConfigException.finite(mu, "drag mu");
        ConfigException.finite(cs, "Smagorinsky constant cs");
        ConfigException.require(nu >= 0, "viscosity nu must be ≥ 0, got " + nu);
        ConfigException.require(mu >= 0, "drag mu must be ≥ 0, got " + mu);
        ConfigException.require(cs >= 0 && cs < 1, "Smagorinsky constant cs must be in [0, 1), got " + cs);
    }

    public boolean hasSgs() {
        return cs > 0;
    }
}
