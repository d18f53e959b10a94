package dev.eddy.config;

/**
 * The coefficients of ∂ω/∂t = −(u·∇ω) + ν∇²ω + ∇·(ν_t∇ω) − μω + F.
 *
 * @param nu kinematic viscosity ν ≥ 0
 * @param mu linear drag μ ≥ 0
 * @param cs Smagorinsky constant C_s ≥ 0 (0 switches the SGS model off: a DNS)
 */
public record Physics(double nu, double mu, double cs) {
    /** Lilly's value 0.17 for C_s, the design's default. */
    public static final double DEFAULT_CS = 0.17;

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
