package dev.eddy.proxy;

/**
 * The training latents of a fit, kept whole (the snapshot form of design §4): Z = [z_0 … z_{L−1}] on the
 * host, column-major d×L, with the training pairs and the held-out pairs that choose λ named by column.
 * {@link RidgeLearner#learn(Snapshots, SnapshotGram, ProxySettings)} fits from these in the dual form
 * (m×m matrices) when there are fewer pairs than d, else in the primal form (d×d Grams).
 *
 * @param d          latent dimension
 * @param columns    L, the number of latents
 * @param z          Z, column-major, at least d·L values (not copied: do not change it afterwards; the dual
 *                   form's operator keeps a reference, {@link OperatorFactors})
 * @param train      training pairs
 * @param validation held-out pairs (empty when λ is not chosen by validation)
 */
public record Snapshots(int d, int columns, double[] z, SnapshotPairs train, SnapshotPairs validation) {
    public Snapshots {
        if (d < 1 || columns < 1 || z == null || z.length < (long) d * columns) {
            throw new IllegalArgumentException("snapshots of d = " + d + " and " + columns + " columns need d·L values, got "
                    + (z == null ? "null" : z.length));
        }
        if (validation == null) {
            validation = SnapshotPairs.none();
        }
        if (train.maxColumn() >= columns || validation.maxColumn() >= columns) {
            throw new IllegalArgumentException("a pair names a column beyond the " + columns + " latents");
        }
    }

    /**
     * One trajectory z_0 … z_{L−1}: the pairs (z_t, z_{t+1}), those from the latent {@code splitBeforeLatent}
     * on held out as {@link GramAccumulator#split()} does (the pair that straddles the split is the first
     * held out; {@link ProxySettings#splitBeforeLatent}); splitBeforeLatent = L holds nothing out.
     */
    public static Snapshots sequence(double[] z, int d, int columns, long splitBeforeLatent) {
        if (columns < 2) {
            throw new IllegalArgumentException("a sequence needs at least two latents (one pair), got " + columns);
        }
        if (splitBeforeLatent < 1 || splitBeforeLatent > columns) {
            throw new IllegalArgumentException("split before latent " + splitBeforeLatent + " outside 1.." + columns);
        }
        int trainPairs = (int) Math.min(columns - 1, splitBeforeLatent - 1);
        return new Snapshots(d, columns, z, SnapshotPairs.consecutive(0, trainPairs),
                SnapshotPairs.consecutive(trainPairs, columns - 1 - trainPairs));
    }

    /** All pairs, training then held out: the pairs of the final fit. */
    public SnapshotPairs all() {
        return train.plus(validation);
    }

    /** The primal Gram of a set of pairs, on the host (float64, {@link GramKernels_F64} pair by pair, rows in parallel). */
    Gram primalGram(SnapshotPairs pairs, dev.eddy.numerics.Parallel parallel) {
        if ((long) d * d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("d = " + d + ": a d×d Gram exceeds one Java array");
        }
        double[] xx = new double[d * d];
        double[] yx = new double[d * d];
        double[] yyRow = new double[d];
        int[] x = pairs.x();
        int[] y = pairs.y();
        parallel.forRange(d, (from, to) -> { // runs of consecutive columns in one call: a row stays in cache over the run
            for (int t = 0; t < x.length; ) {
                int run = 1;
                while (t + run < x.length && x[t + run] == x[t] + run && y[t + run] == y[t] + run) {
                    run++;
                }
                GramKernels_F64.update(z, x[t], z, y[t], d, run, false, xx, yx, yyRow, from, to);
                t += run;
            }
        });
        return new Gram(d, xx, yx, CpuGram.sumInOrder(yyRow), pairs.size());
    }
}
