package dev.eddy.proxy;

import dev.eddy.backend.Latents;
import java.util.List;

/**
 * Accumulates the {@link Gram} of a sequence of latents z_0, z_1, … as it streams in: {@link #add}
 * appends the next latent, and from the second one on each latent forms a pair (previous, this).
 *
 * <p>Validation split: {@link #split()} starts a new block; the pair that straddles the split (last
 * latent before it, first after it) belongs to the new block, so the blocks partition the pairs and
 * {@link #gram()} is their sum. The learner takes the first block as training and the later ones as
 * validation (hold out the last pairs: call split() before the latent that starts the validation
 * window, see {@link ProxySettings#validationPairs}). Implementations: {@link CpuGram}, {@link GpuGram}.
 */
public interface GramAccumulator extends AutoCloseable {
    int dimension();

    /** Appends the next latent of the sequence (d values). */
    void add(double[] z);

    /** Appends column {@code column} of {@code latents}: read in place where they live on this accumulator's device, else a host copy. */
    default void add(Latents latents, int column) {
        add(latents.column(column));
    }

    /** Starts a new block (see the class comment). */
    void split();

    /** Pairs accumulated so far, over all blocks. */
    long pairs();

    /** The Gram of each block, in order (one block until {@link #split()} is called). */
    List<Gram> blocks();

    /** The Gram of all pairs: the sum of {@link #blocks()} in block order. */
    default Gram gram() {
        Gram sum = null;
        for (Gram b : blocks()) {
            sum = sum == null ? b : sum.plus(b);
        }
        return sum;
    }

    @Override
    void close();
}
