package dev.eddy.proxy;

import dev.eddy.backend.Latents;

/**
 * Rolls latents forward with the proxy, z_{t+1} = A z_t, for {@link #batch()} initial states at once.
 * Made by {@link Proxies#rollout}; the initial state is read where it lives (in place on the same
 * device), and the trajectory stays where it was computed until a reader asks for it.
 *
 * <p>Trajectory layout, shared by every implementation: column-major, d reals a column; with S = steps+1
 * columns per trajectory (S = maxSteps + 1 on the GPU), trajectory b owns the columns b·S … b·S + S − 1,
 * and step t of it is column b·S + t (column b·S is its initial state). Each trajectory is contiguous, so
 * it can be decoded as one latent matrix; for batch 1 the trajectory is simply columns 0 … steps.
 */
public interface Rollout extends AutoCloseable {
    int dimension();

    int batch();

    /** Takes the learnt operator (on a GPU, A crosses to the device once). */
    void setOperator(LinearProxy proxy);

    /** Starts the batch from columns [column, column + batch) of {@code source}. */
    void start(Latents source, int column);

    /** Rolls every trajectory {@code steps} proxy steps from its initial state. */
    void run(int steps);

    /** The trajectories of the last {@link #run}, in the layout above. */
    Latents trajectory();

    /** GPU time of the last {@link #run} in ms, from timestamps; NaN where there are none (the CPU). */
    double deviceMillis();

    @Override
    void close();
}
