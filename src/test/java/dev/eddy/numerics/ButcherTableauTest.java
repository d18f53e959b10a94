package dev.eddy.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The tableaux' stability functions and the stable Courant limits derived from them. */
@Tag("fast")
class ButcherTableauTest {

    /** An s-stage explicit method of order s ≤ 4 has R(z) = Σ_{k ≤ s} z^k/k!: the tableaux must reproduce it. */
    @Test
    void stabilityPolynomialsAreTruncatedExponentials() {
        assertArrayEquals(new double[] {1, 1, 0.5}, ButcherTableau.HEUN.stabilityPolynomial(), 1e-15);
        assertArrayEquals(new double[] {1, 1, 0.5, 1.0 / 6}, ButcherTableau.SSPRK3.stabilityPolynomial(), 1e-15);
        assertArrayEquals(new double[] {1, 1, 0.5, 1.0 / 6, 1.0 / 24}, ButcherTableau.RK4.stabilityPolynomial(), 1e-15);
    }

    /** |R(iy)|² = 1 − y⁴/12 + y⁶/36 (SSP-RK3) and 1 − y⁶/72 + y⁸/576 (RK4): ≤ 1 up to √3 and 2√2; Heun 1 + y⁴/4. */
    @Test
    void imaginaryAxisLimitsComeFromTheTableau() {
        assertEquals(Math.sqrt(3), ButcherTableau.SSPRK3.imaginaryAxisLimit(), 1e-9);
        assertEquals(2 * Math.sqrt(2), ButcherTableau.RK4.imaginaryAxisLimit(), 1e-9);
        assertEquals(0, ButcherTableau.HEUN.imaginaryAxisLimit(), 0);
        assertEquals(1 + Math.pow(0.7, 4) / 4, ButcherTableau.HEUN.amplificationSquared(0.7), 1e-15);
        assertTrue(ButcherTableau.SSPRK3.amplificationSquared(1.8) > 1);
        assertTrue(ButcherTableau.RK4.amplificationSquared(2.8) < 1);
    }

    /** Shu–Osher's SSP-RK3 in Butcher form: the Lawson combinations reach back to both earlier stages with their delays. */
    @Test
    void sspRk3CombinationsAndNames() {
        ButcherTableau.Combination third = ButcherTableau.SSPRK3.combination(2);
        assertEquals(0.5, third.omegaDelay(), 0);
        assertArrayEquals(new int[] {0, 1}, third.stage());
        assertArrayEquals(new double[] {0.25, 0.25}, third.coef(), 0);
        assertArrayEquals(new double[] {0.5, -0.5}, third.stageDelay(), 0);
        ButcherTableau.Combination last = ButcherTableau.SSPRK3.combination(3);
        assertArrayEquals(new double[] {1.0 / 6, 1.0 / 6, 2.0 / 3}, last.coef(), 1e-16);
        assertEquals(ButcherTableau.SSPRK3, ButcherTableau.named("ssprk3"));
        assertEquals("heun, ssprk3 or rk4", ButcherTableau.names());
        assertThrows(IllegalArgumentException.class, () -> ButcherTableau.named("euler"));
    }
}
