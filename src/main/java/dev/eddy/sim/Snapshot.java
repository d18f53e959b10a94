package dev.eddy.sim;

import dev.eddy.numerics.Grid;

/**
 * The state of one step, taken for output: ω̂ (the {@link Grid} layout) and ω (N×N, row = y, no
 * padding), both precision-neutral. The arrays are shared by every {@link PendingSnapshot#get()} of
 * the same snapshot: treat them as read-only.
 */
public record Snapshot(long step, double time, double[] spectralState, double[] vorticity) {
}
