package dev.eddy.proxy;

/**
 * Rolls latents forward with the proxy, z_{t+1} = A z_t, for {@link #batch()} initial states at once.
 *
 * <p>Trajectory layout, shared by every implementation: column-major, d reals a column; with S = steps+1
 * columns per trajectory (S = maxSteps + 1 on the GPU), trajectory b owns the columns b·S … b·S + S − 1,
 * and step t of it is column b·S + t (column b·S is its initial state). Each trajectory is contiguous, so
 * it can be decoded as one latent matrix; for batch 1 the trajectory is simply columns 0 … steps.
 */
public interface Rollout extends AutoCloseable {
    int dimension();

    int batch();

    @Override
    void close();
}
