package dev.eddy.config;

import dev.eddy.numerics.ButcherTableau;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How far and how fast to step.
 *
 * <p>The Courant number is defined on the spectral operator the scheme integrates: an advected Fourier
 * mode k sees the eigenvalue i(u·kx + v·ky), at most i(max|u| + max|v|)·K with K the largest kept
 * wavenumber per direction (⌊(N−1)/3⌋ after dealiasing), so the adaptive step
 * dt = C / ((max|u| + max|v|)·K) puts every kept mode at |z| ≤ C on the imaginary axis. A Lawson
 * scheme integrates the linear terms exactly, so C must lie inside the explicit tableau's stable interval
 * on that axis ({@link ButcherTableau#imaginaryAxisLimit()}: √3 for SSP-RK3, 2√2 for RK4). Heun has no
 * such interval: it is allowed for studies, with a warning.
 *
 * @param steps   number of steps (0 when {@code endTime} is given instead)
 * @param endTime simulated end time (0 when {@code steps} is given)
 * @param dt      the fixed step, or the largest allowed step when {@code cfl} > 0
 * @param cfl     Courant number C of the adaptive step dt = C/((max|u| + max|v|)·K); 0 keeps dt fixed
 * @param stepper the Runge–Kutta tableau of the integrating-factor scheme ({@code heun}, {@code ssprk3} or
 *                {@code rk4})
 */
public record TimeControl(long steps, double endTime, double dt, double cfl, String stepper) {
    /**
     * The default stepper, chosen by measurement (planning/stepper-choice.md): of the settings that pass the
     * health check on every preset at 128² and 256², IF-RK4 at C = 2.4 takes the fewest right-hand-side
     * evaluations per unit of simulated time where the Courant number sets dt (15–17% fewer than IF-SSP-RK3
     * at C = 1.5, the same fraction of its limit), and it is fourth-order accurate.
     */
    public static final String DEFAULT_STEPPER = "rk4";
    /** The default Courant number: 85% of RK4's limit 2√2, a margin for the flow speeding up within a step. */
    public static final double DEFAULT_CFL = 2.4;

    public TimeControl {
        ConfigException.finite(endTime, "end time");
        ConfigException.finite(dt, "dt");
        ConfigException.finite(cfl, "CFL number");
        ConfigException.require(steps >= 0, "steps must be ≥ 0, got " + steps);
        ConfigException.require(endTime >= 0, "end time must be ≥ 0, got " + endTime);
        ConfigException.require((steps > 0) != (endTime > 0),
                "give exactly one of steps (> 0) and end time (> 0); got steps = " + steps + ", end time = " + endTime);
        ConfigException.require(dt > 0, "dt must be > 0, got " + dt);
        ConfigException.require(Double.isFinite(dt * Math.max(1, steps)) && dt * Math.max(1, steps) < 1e300,
                "dt = " + dt + " over " + steps + " steps would carry the time past every representable number; choose a smaller dt");
        ConfigException.require(stepper != null && ButcherTableau.exists(stepper),
                "stepper must be " + ButcherTableau.names() + ", got " + stepper);
        ConfigException.require(cfl >= 0, "CFL number must be ≥ 0 (0 = fixed dt), got " + cfl);
        double limit = ButcherTableau.named(stepper).imaginaryAxisLimit();
        ConfigException.require(limit == 0 || cfl <= limit, String.format(Locale.ROOT,
                "CFL number %s is beyond the stable limit of %s, %.4f (its stability region on the imaginary axis,"
                        + " with C = (max|u| + max|v|)·K·dt): choose --cfl ≤ %.4f", cfl, stepper, limit, limit));
    }

    public boolean adaptive() {
        return cfl > 0;
    }

    public ButcherTableau tableau() {
        return ButcherTableau.named(stepper);
    }

    /** What a user should know before running these settings (printed once at the start of a run). */
    public List<String> warnings() {
        List<String> w = new ArrayList<>();
        if (tableau().imaginaryAxisLimit() == 0) {
            w.add("stepper " + stepper + " amplifies advected modes at every time step (|R(iy)|² = 1 + y⁴/4): it"
                    + " stays stable only where viscosity or the SGS term damps k_max faster; for trustworthy runs use "
                    + DEFAULT_STEPPER + " (the default) or ssprk3");
        }
        return w;
    }
}
