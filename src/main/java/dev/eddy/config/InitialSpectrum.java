package dev.eddy.config;

/**
 * Random-phase initial vorticity with the energy spectrum of San and Staples (2012, Computers &amp;
 * Fluids 63, "High-order methods for decaying two-dimensional homogeneous isotropic turbulence"):
 * E(k) ∝ (k/k_p)⁴ exp(−(k/k_p)²), normalised to the given kinetic energy.
 *
 * @param kp     peak wavenumber
 * @param energy kinetic energy ½⟨u²+v²⟩ of the initial field
 * @param seed   seed of the phase generator; the same seed gives the same bits on every backend
 */
public record InitialSpectrum(double kp, double energy, long seed) {
    public InitialSpectrum {
        ConfigException.finite(kp, "initial peak wavenumber kp");
        ConfigException.finite(energy, "initial energy");
        ConfigException.require(kp > 0, "initial peak wavenumber kp must be > 0, got " + kp);
        ConfigException.require(energy > 0, "initial energy must be > 0, got " + energy);
    }
}
