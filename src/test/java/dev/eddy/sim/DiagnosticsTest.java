package dev.eddy.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eddy.numerics.Grid;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Diagnostics of fields whose energy and enstrophy are known in closed form. */
@Tag("fast")
class DiagnosticsTest {
    /** The half spectrum of ω = A cos(kx x + ky y). */
    static double[] cosineMode(Grid g, int kx, int ky, double amplitude) {
        double[] w = new double[g.fieldLength()];
        int n = g.n();
        int j = ky >= 0 ? ky : ky + n;
        double value = amplitude * n * (double) n / 2;
        w[2 * (j * g.halfX() + kx)] = value;
        if (kx == 0) { // the conjugate partner lives in the same column
            int jm = ky > 0 ? n - ky : -ky;
            w[2 * (jm * g.halfX())] = value;
        }
        return w;
    }

    @Test
    void singleModeEnergyAndEnstrophy() {
        Grid g = new Grid(32);
        // ω = cos(3x + 4y): ψ = ω/25, |u|² = |∇ψ|² = sin²(·)·25/625 → E = ½·(1/25)·½, Z = ½·½.
        double[] w = cosineMode(g, 3, 4, 1);
        assertEquals(1.0 / 100, Diagnostics.energy(g, w), 1e-15);
        assertEquals(0.25, Diagnostics.enstrophy(g, w), 1e-15);
        double[] e = Diagnostics.spectrum(g, w);
        assertEquals(1.0 / 100, e[5], 1e-15);
        // ω = 2 cos(3y): the kx = 0 column, with its conjugate.
        double[] w2 = cosineMode(g, 0, 3, 2);
        assertEquals(0.5 * 4.0 / 9 * 0.5, Diagnostics.energy(g, w2), 1e-15);
        assertEquals(0.5 * 4 * 0.5, Diagnostics.enstrophy(g, w2), 1e-15);
    }

    @Test
    void initialConditionHasRequestedEnergyAndIsReal() {
        Grid g = new Grid(64);
        double[] w = InitialCondition.vorticity(g, new dev.eddy.config.InitialSpectrum(6, 0.7, 3));
        assertEquals(0.7, Diagnostics.energy(g, w), 1e-12);
        double sum = 0;
        for (double v : Diagnostics.spectrum(g, w)) {
            sum += v;
        }
        assertEquals(0.7, sum, 1e-12);
        for (int j = 1; j < 64; j++) { // Hermitian kx = 0 column
            int p = 2 * (j * g.halfX());
            int q = 2 * ((64 - j) * g.halfX());
            assertEquals(w[p], w[q], 0);
            assertEquals(w[p + 1], -w[q + 1], 0);
        }
    }
}
