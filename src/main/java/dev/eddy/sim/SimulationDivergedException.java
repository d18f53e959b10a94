package dev.eddy.sim;

/** The field blew up (NaN or Inf). The state of the last good step was not overwritten. */
public final class SimulationDivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final long step;
    private final double time;

    public SimulationDivergedException(long step, double time, String what) {
        super(String.format(java.util.Locale.ROOT,
                "the field blew up at step %d (t = %.6g): %s. Try a smaller dt or CFL number, or more viscosity.",
                step, time, what));
        this.step = step;
        this.time = time;
    }

    public long step() {
        return step;
    }

    public double time() {
        return time;
    }
}
