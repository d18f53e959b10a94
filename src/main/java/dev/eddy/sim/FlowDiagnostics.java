package dev.eddy.sim;

import dev.eddy.numerics.Grid;
import dev.eddy.config.Physics;

/**
 * What the diagnostics say about one state ω̂: the integrals, the velocity maxima, the health figures and
 * the energy and enstrophy budgets. Both backends reduce the same sums ({@link DiagnosticSums}); this
 * record turns them into physical quantities in one place.
 *
 * @param energy        E = ½⟨u² + v²⟩
 * @param enstrophy     Z = ½⟨ω²⟩
 * @param palinstrophy  P = ½⟨|∇ω|²⟩
 * @param maxSpeed      max |u| over the grid (the speed)
 * @param maxU          max |u_x|, which with {@code maxV} sets the Courant number
 * @param maxV          max |u_y|
 * @param bandFraction  the share of the kept box's enstrophy in its outer band max(|kx|,|ky|) ≥ 0.8K:
 *                      near 0 for a resolved LES, tens of percent when grid-scale noise grows
 * @param cutoffRatio   E(K)/E(⌊K/2⌋) of the shell spectrum: a resolved spectrum falls towards the cutoff
 * @param energyBudget  the rates that change E
 * @param enstrophyBudget the rates that change Z
 */
public record FlowDiagnostics(double energy, double enstrophy, double palinstrophy, double maxSpeed, double maxU,
                              double maxV, double bandFraction, double cutoffRatio, Budget energyBudget,
                              Budget enstrophyBudget) {

    /**
     * Rates of change of a quadratic invariant, each term as it acts: d/dt = forcing − viscous − sgs − drag
     * + transfer. {@code transfer} is the advection's, which the dealiased (Galerkin-truncated) equations
     * conserve: it is zero to round-off, a check on the sums.
     *
     * @param forcing  input by the forcing
     * @param viscous  dissipation by ν∇²ω (2νZ for E, 2νP for Z)
     * @param sgs      dissipation by the SGS term −∇·(ν_t∇ω) (it may backscatter energy; it dissipates enstrophy)
     * @param drag     dissipation by the drag μω (2μE, 2μZ)
     * @param transfer change by the advection (0 up to round-off)
     */
    public record Budget(double forcing, double viscous, double sgs, double drag, double transfer) {
        /** The rate of change the terms add up to. */
        public double rate() {
            return forcing - viscous - sgs - drag + transfer;
        }
    }

    /**
     * @param totals  the {@link DiagnosticSums#COUNT} full-plane sums
     * @param maxima  {max|u|, max|v|, max(u² + v²)}
     */
    public static FlowDiagnostics of(Grid g, Physics physics, double[] totals, double[] maxima) {
        double n2 = (double) g.n() * g.n();
        double norm = 1 / (n2 * n2); // ⟨f g⟩ = N⁻⁴ Σ f̂* ĝ
        double e = 0.5 * norm * totals[DiagnosticSums.ENERGY];
        double z = 0.5 * norm * totals[DiagnosticSums.ENSTROPHY];
        double p = 0.5 * norm * totals[DiagnosticSums.PALINSTROPHY];
        double kept = totals[DiagnosticSums.KEPT_ENSTROPHY];
        double band = kept > 0 ? totals[DiagnosticSums.BAND_ENSTROPHY] / kept : 0;
        double half = totals[DiagnosticSums.SHELL_HALF];
        double cut = totals[DiagnosticSums.SHELL_CUTOFF];
        double ratio = half > 0 ? cut / half : (cut > 0 ? Double.POSITIVE_INFINITY : 0);
        double nu = physics.nu();
        double mu = physics.mu();
        Budget eb = new Budget(norm * totals[DiagnosticSums.FORCING_ENERGY], 2 * nu * z,
                -norm * totals[DiagnosticSums.SGS_ENERGY], 2 * mu * e, norm * totals[DiagnosticSums.ADVECTION_ENERGY]);
        Budget zb = new Budget(norm * totals[DiagnosticSums.FORCING_ENSTROPHY], 2 * nu * p,
                -norm * totals[DiagnosticSums.SGS_ENSTROPHY], 2 * mu * z, norm * totals[DiagnosticSums.ADVECTION_ENSTROPHY]);
        return new FlowDiagnostics(e, z, p, Math.sqrt(maxima[2]), maxima[0], maxima[1], band, ratio, eb, zb);
    }

    /** Whether the integrals and the speed are finite (a blow-up makes them NaN or Inf). */
    public boolean finite() {
        return Double.isFinite(energy) && Double.isFinite(enstrophy) && Double.isFinite(maxSpeed);
    }
}
