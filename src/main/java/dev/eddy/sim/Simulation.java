package dev.eddy.sim;

import dev.eddy.config.RunConfig;
import dev.eddy.numerics.Grid;

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

    /**
     * Advances {@code count} steps, each at most {@code maxDt}; returns the last step's info. A GPU
     * backend replays its recorded step {@code count} times with one host synchronisation.
     */
    default StepInfo advance(int count, double maxDt) {
        StepInfo last = null;
        for (int i = 0; i < count; i++) {
            last = step(maxDt);
        }
        return last;
    }

    /** The most steps one {@link #advance} call takes. */
    default int maxAdvance() {
        return Integer.MAX_VALUE;
    }

    long stepCount();

    double time();

    /**
     * A copy of ω̂ (half spectrum, unnormalised FFT convention). On a device backend the state crosses
     * to the host at most once per step: a second read of the same state, or a read after
     * {@link #requestSnapshot()} of it, moves nothing (the transfer plan of {@code eddy run --explain}
     * counts on this).
     */
    double[] spectralState();

    /**
     * Starts taking a snapshot of the current state and returns without waiting for it where the
     * backend can (a GPU backend submits a copy of ω̂ and returns; the next {@link #advance} runs while
     * the host consumes it). The snapshot's data are those of the current step, bit for bit what
     * {@link #spectralState()} and {@link #vorticity()} give now. The default takes them now.
     */
    default PendingSnapshot requestSnapshot() {
        return PendingSnapshot.completed(new Snapshot(stepCount(), time(), spectralState(), vorticity()));
    }

    /** Replaces the state; {@code state} must come from {@link #spectralState()} of the same N and precision. */
    void restore(double[] state, long step, double time);

    /** ω in physical space, N×N row-major (row = y), without the layout's padding. */
    double[] vorticity();

    /**
     * The diagnostics of the current state: integrals, velocity maxima, health figures and budgets. A
     * GPU backend reduces them on the device and reads back only the results.
     */
    FlowDiagnostics diagnostics();

    /**
     * The device buffer holding ω̂ (the unnormalised forward transform of ω, in the {@link dev.eddy.numerics.Grid}
     * layout and the run's precision) where it can be read in place on {@code context}, at rest between
     * {@link #advance} calls; null when the state does not live on that context (a CPU simulation, another
     * device). A GPU codec on the same context encodes it without a host copy.
     */
    default dev.eddy.gpu.DeviceBuffer deviceState(dev.eddy.gpu.VulkanContext context) {
        return null;
    }

    /**
     * Every host↔device copy so far (stage, direction, buffer, bytes, count): the transfer ledger. A
     * CPU backend moves nothing and returns an empty list.
     */
    default java.util.List<java.util.Map<String, Object>> transfers() {
        return java.util.List.of();
    }

    /**
     * Takes one step and returns the time of each of its operations in ms (GPU timestamps); empty
     * where the backend cannot tell.
     */
    default java.util.Map<String, Double> profileStep() {
        return java.util.Map.of();
    }

    /** How the step transforms its fields: "2d" or "fused" ({@link Ensemble#transforms()}). */
    default String transforms() {
        return "2d";
    }

    /** The device buffers (name, bytes, memory, lifetime); empty on the CPU. */
    default java.util.List<java.util.Map<String, Object>> memoryMap() {
        return java.util.List.of();
    }

    @Override
    void close();
}
