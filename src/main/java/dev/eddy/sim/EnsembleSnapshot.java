package dev.eddy.sim;

import java.util.function.UnaryOperator;

/**
 * The states of every member of an {@link Ensemble} at one ensemble step, taken for output: each member's
 * ω̂ ({@code numerics.Grid} layout, precision-neutral) with its own step and time. ω is transformed on
 * demand by the backend's own transform ({@code toVorticity}: what its {@code vorticity()} does), on the
 * calling thread (the snapshot writer's). Arrays are shared: treat them as read-only.
 */
public record EnsembleSnapshot(long[] steps, double[] times, double[][] spectralStates, UnaryOperator<double[]> toVorticity) {

    public int members() {
        return spectralStates.length;
    }

    /** Member m's ω (N×N, row = y, no padding). */
    public double[] vorticity(int m) {
        return toVorticity.apply(spectralStates[m]);
    }

    /** Member m as a single run's snapshot. */
    public Snapshot member(int m) {
        return new Snapshot(steps[m], times[m], spectralStates[m], vorticity(m));
    }

    /** A snapshot of every member on its way to the host (a GPU has only started its copy). */
    public interface Pending {
        /** Waits for the states, if they have not arrived; every call returns the same snapshot. */
        EnsembleSnapshot get();

        /** A snapshot already on the host. */
        static Pending completed(EnsembleSnapshot s) {
            return () -> s;
        }
    }
}
