package dev.eddy.sim;

import dev.eddy.config.RunConfig;

/**
 * A running LES on one backend and precision. Exchanges with the rest of Eddy are precision-neutral
 * ({@code double[]}; a float32 run's values convert exactly), in the layout of {@link Grid}.
 */
public interface Simulation extends AutoCloseable {

    RunConfig config();

    Grid grid();

    /** A short name of the backend and precision, e.g. {@code cpu-fp64}. */
    String name();

    /**
     * Advances one step. The step is the CFL step (or the fixed dt), at most {@code maxDt}.
     *
     * @throws SimulationDivergedException if the state at the step's start is not finite; the state is
     *                                     then left as it was
     */
    StepInfo step(double maxDt);

    long stepCount();

    double time();

    /** A copy of ω̂ (half spectrum, unnormalised FFT convention). */
    double[] spectralState();

    /** Replaces the state; {@code state} must come from {@link #spectralState()} of the same N and precision. */
    void restore(double[] state, long step, double time);

    /** ω in physical space, N×N row-major (row = y), without the layout's padding. */
    double[] vorticity();

    /** max |u| of the current state. */
    double maxSpeed();

    @Override
    void close();
}
