package dev.eddy.numerics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;

/**
 * Runs a data-parallel loop over [0, n) on a fixed pool. Work is split into contiguous ranges and
 * every index is computed by exactly one task with no shared accumulators, so results do not depend
 * on the thread count: reductions write one partial per row and are summed in row order afterwards.
 */
public final class Parallel implements AutoCloseable {
    /** The body of a loop over a contiguous range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    private final int threads;
    private final ForkJoinPool pool;

    /** @param threads worker threads; 0 means one per available core */
    public Parallel(int threads) {
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        this.pool = this.threads > 1 ? new ForkJoinPool(this.threads) : null;
    }

    public int threads() {
        return threads;
    }

    public void forRange(int n, RangeBody body) {
        if (pool == null || n < 2) {
            body.run(0, n);
            return;
        }
        int chunks = Math.min(n, threads * 4);
        List<Callable<Void>> tasks = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks);
            int to = (int) ((long) n * (c + 1) / chunks);
            tasks.add(() -> {
                body.run(from, to);
                return null;
            });
        }
        try {
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted inside a parallel loop", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
