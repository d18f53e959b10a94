package dev.eddy.sim;

import dev.eddy.numerics.Grid;
import dev.eddy.config.TimeControl;

/**
 * The Courant number on the spectral operator, C = (max|u_x| + max|u_y|)·K·dt with K the largest kept
 * wavenumber per direction, and the adaptive step it sets (see {@link TimeControl}). The GPU computes
 * the same step on the device (les_cfl_dt).
 */
public final class Courant {
    private Courant() {
    }

    /** The step of settings {@code t} for a state with these velocity maxima: dt, or min(dt, C/((max|u|+max|v|)K)) when adaptive. */
    public static double step(TimeControl t, Grid g, double maxU, double maxV) {
        double speed = maxU + maxV;
        if (!t.adaptive() || !(speed > 0)) {
            return t.dt();
        }
        return Math.min(t.dt(), t.cfl() / (speed * g.dealiasCutoff()));
    }

    /** The Courant number of a step dt taken with these velocity maxima. */
    public static double number(Grid g, double dt, double maxU, double maxV) {
        return (maxU + maxV) * g.dealiasCutoff() * dt;
    }
}
