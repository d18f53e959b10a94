package dev.eddy.config;

/**
 * How far and how fast to step.
 *
 * @param steps   number of steps (0 when {@code endTime} is given instead)
 * @param endTime simulated end time (0 when {@code steps} is given)
 * @param dt      the fixed step, or the largest allowed step when {@code cfl} > 0
 * @param cfl     Courant number c of the adaptive step dt = c·Δ/max|u|; 0 keeps dt fixed
 * @param stepper the Runge–Kutta tableau of the integrating-factor scheme ({@code heun} or {@code rk4})
 */
public record TimeControl(long steps, double endTime, double dt, double cfl, String stepper) {
    /** Above about 1 the RK2 step of the advection term is unstable; 2 leaves room for RK4. */
    public static final double MAX_CFL = 2.0;

    public TimeControl {
        ConfigException.finite(endTime, "end time");
        ConfigException.finite(dt, "dt");
        ConfigException.finite(cfl, "CFL number");
        ConfigException.require(steps >= 0, "steps must be ≥ 0, got " + steps);
        ConfigException.require(endTime >= 0, "end time must be ≥ 0, got " + endTime);
        ConfigException.require((steps > 0) != (endTime > 0),
                "give exactly one of steps (> 0) and end time (> 0); got steps = " + steps + ", end time = " + endTime);
        ConfigException.require(dt > 0, "dt must be > 0, got " + dt);
        ConfigException.require(cfl >= 0 && cfl <= MAX_CFL,
                "CFL number must be in [0, " + MAX_CFL + "] (0 = fixed dt), got " + cfl);
        ConfigException.require(stepper != null && (stepper.equals("heun") || stepper.equals("rk4")),
                "stepper must be heun or rk4, got " + stepper);
    }

    public boolean adaptive() {
        return cfl > 0;
    }
}
