package dev.eddy.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.config.InitialSpectrum;
import dev.eddy.numerics.Grid;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The host spectra of a snapshot: conservation of the advection term, and the spectra's sums. */
@Tag("physics")
class SpectralTransferTest {
    @Test
    void advectionConservesEnergyAndEnstrophyAndTheSpectraSumToTheTotals() {
        Grid g = new Grid(64);
        double[] w = InitialCondition.vorticity(g, new InitialSpectrum(6, 0.5, 3));
        SpectralTransfer.Result r = new SpectralTransfer(g, 1).of(w, true);
        double absE = 0;
        double absZ = 0;
        for (int s = 0; s < r.energyTransfer().length; s++) {
            absE += Math.abs(r.energyTransfer()[s]);
            absZ += Math.abs(r.enstrophyTransfer()[s]);
        }
        assertTrue(absE > 0 && absZ > 0, "a turbulent field transfers");
        int last = r.energyFlux().length - 1;
        assertEquals(0, r.energyFlux()[last], 1e-12 * absE, "Σ T_E = 0: the flux out of the last shell vanishes");
        assertEquals(0, r.enstrophyFlux()[last], 1e-12 * absZ, "Σ T_Z = 0");
        // Σ Z(k) = ½⟨ω²⟩ and ½⟨u² + v²⟩ = Σ E(k) (Diagnostics' convention)
        int n = g.n();
        double[] omega = new double[n * n];
        double z = 0;
        double e = 0;
        double[] spectrum = Diagnostics.spectrum(g, w);
        for (double v : spectrum) {
            e += v;
        }
        double[] u = r.u();
        double[] v = r.v();
        double ke = 0;
        for (int q = 0; q < n * n; q++) {
            ke += 0.5 * (u[q] * u[q] + v[q] * v[q]) / (n * n);
        }
        assertEquals(e, ke, 1e-10 * e, "energy of u, v against Σ E(k)");
        for (double zk : r.enstrophy()) {
            z += zk;
        }
        double ens = 0;
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < g.halfX(); i++) {
                int p = 2 * (j * g.halfX() + i);
                ens += g.hermitianWeight(i) * 0.5 * (w[p] * w[p] + w[p + 1] * w[p + 1]) / ((double) n * n * n * n);
            }
        }
        assertEquals(ens, z, 1e-12 * ens, "Σ Z(k) = ½⟨ω²⟩");
        assertEquals(n * n, r.psi().length);
        assertEquals(omega.length, r.u().length);
    }
}
