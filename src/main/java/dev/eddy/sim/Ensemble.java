package dev.eddy.sim;

import dev.eddy.config.EnsembleConfig;
import dev.eddy.numerics.Grid;
import java.util.List;
import java.util.Map;

/**
 * Members of one grid and precision advanced together: one batched state (on a GPU, one set of device
 * buffers advanced by one recorded step program, every kernel indexed by member), each member with its
 * own parameters, step count, time and fate. A single run is the ensemble of one member
 * ({@link SingleMember}). Exchanges are precision-neutral ({@code double[]}), in the layout of {@link Grid}.
 *
 * <p>Members are independent: a member's bits do not depend on the others (with its own dt), so a
 * member of a batch is bit for bit the same member run alone. With {@link EnsembleConfig#sharedDt()} the
 * members share one dt, the smallest of their CFL steps.
 *
 * <p>A member whose speed is not finite at the start of a step is dropped in that step: it is frozen
 * there (its state kept for the record) and the others go on. The host may stop a member too
 * ({@link #stop}): finished at its end time, or dropped by the health check.
 */
public interface Ensemble extends AutoCloseable {

    EnsembleConfig config();

    Grid grid();

    default int members() {
        return config().size();
    }

    /** A short name of the backend and precision, e.g. {@code vulkan-fp32}. */
    String name();

    /**
     * Advances every running member {@code count} steps, each at most {@code maxDt[m]} (its CFL step, or
     * the shared one, clipped); a member dropped on the way stops there.
     *
     * @return each member's last step of this call (null where it took none)
     */
    StepInfo[] advance(int count, double[] maxDt);

    /** The most steps one {@link #advance} call takes. */
    default int maxAdvance() {
        return Integer.MAX_VALUE;
    }

    MemberStatus status(int m);

    /** Stops a running member as {@code FINISHED} or {@code DROPPED}: it is frozen from the next step on. */
    void stop(int m, MemberStatus.Phase phase, String reason);

    /** A copy of member m's ω̂ (half spectrum, unnormalised). A device state crosses to the host at most once per step for all members. */
    double[] spectralState(int m);

    /** Member m's ω, N×N row-major (row = y), without the layout's padding. */
    double[] vorticity(int m);

    /** Starts a snapshot of every member and returns without waiting where the backend can (see {@link Simulation#requestSnapshot()}). */
    EnsembleSnapshot.Pending requestSnapshot();

    /** Replaces every member's state and status; {@code states} come from {@link #spectralState} of the same N and precision. */
    void restore(double[][] states, List<MemberStatus> status);

    /** The diagnostics of every member's current state (a stopped member's frozen one included); reduced on the device for a GPU. */
    FlowDiagnostics[] diagnostics();

    /** Every host↔device copy so far (the transfer ledger); empty on the CPU. */
    default List<Map<String, Object>> transfers() {
        return List.of();
    }

    /** The device buffers (name, bytes, memory, lifetime); empty on the CPU. */
    default List<Map<String, Object>> memoryMap() {
        return List.of();
    }

    /**
     * How the step transforms its fields: "2d" (2D real transforms around the products: the CPU, and the GPU at N
     * that are not powers of two) or "fused" (the GPU's column transforms along y around les_row_transform, which does
     * the x transforms and the products per row; docs/design.md). Benchmarks and metrics record it.
     */
    default String transforms() {
        return "2d";
    }

    /** Takes one step and returns each operation's time in ms (GPU timestamps); empty where the backend cannot tell. */
    default Map<String, Double> profileStep() {
        return Map.of();
    }

    @Override
    void close();
}
