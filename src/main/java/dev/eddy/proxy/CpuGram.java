package dev.eddy.proxy;

import dev.eddy.numerics.Parallel;
import java.util.ArrayList;
import java.util.List;

/**
 * The Gram on the host, in float64: each new pair is a rank-1 update by {@link GramKernels_F64#update}
 * (the Java twin of the GPU shader), parallel over rows. A row is owned by one task and each entry adds
 * the pairs in sequence order, so the result does not depend on the thread count and equals the GPU's
 * float64 sums bit for bit.
 */
public final class CpuGram implements GramAccumulator {
    private static final class Block {
        final double[] xx;
        final double[] yx;
        final double[] yyRow;
        long pairs;

        Block(int d) {
            xx = new double[d * d];
            yx = new double[d * d];
            yyRow = new double[d];
        }
    }

    private final int d;
    private final Parallel parallel;
    private final List<Block> blocks = new ArrayList<>();
    private double[] previous;

    /** @param threads worker threads; 0 means one per core */
    public CpuGram(int d, int threads) {
        if (d < 1 || (long) d * d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("latent dimension must be in 1.." + (int) Math.sqrt(Integer.MAX_VALUE) + ", got " + d);
        }
        this.d = d;
        this.parallel = new Parallel(threads);
        blocks.add(new Block(d));
    }

    public CpuGram(int d) {
        this(d, 0);
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public void add(double[] z) {
        if (z.length != d) {
            throw new IllegalArgumentException("latent has " + z.length + " values, the Gram has d = " + d);
        }
        double[] current = z.clone();
        if (previous != null) {
            Block b = blocks.get(blocks.size() - 1);
            double[] x = previous;
            parallel.forRange(d, (from, to) -> GramKernels_F64.update(x, 0, current, 0, d, 1, false, b.xx, b.yx, b.yyRow, from, to));
            b.pairs++;
        }
        previous = current;
    }

    @Override
    public void split() {
        blocks.add(new Block(d));
    }

    @Override
    public long pairs() {
        return blocks.stream().mapToLong(b -> b.pairs).sum();
    }

    @Override
    public List<Gram> blocks() {
        List<Gram> out = new ArrayList<>(blocks.size());
        for (Block b : blocks) {
            out.add(new Gram(d, b.xx.clone(), b.yx.clone(), sumInOrder(b.yyRow), b.pairs));
        }
        return out;
    }

    /** Σ_i yyRow[i] in index order: how the host finishes Σ|y|² for both accumulators. */
    static double sumInOrder(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    @Override
    public void close() {
        parallel.close();
    }
}
