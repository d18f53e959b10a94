package dev.eddy.run;

import dev.eddy.sim.PendingSnapshot;
import dev.eddy.sim.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Consumes the snapshots of a run (waits for the state, transforms, writes) on a thread of its own, so
 * the simulation steps on meanwhile: the host half of issue 4's overlapped read-backs. Snapshots are
 * consumed in the order handed over, at most {@code depth} outstanding; handing over one more first
 * waits for the oldest, which bounds the host memory held (two states and fields each at depth 2). A
 * failed write is thrown to the run thread at the next hand-over or {@link #drain()}.
 *
 * <p>With overlap off, a snapshot is consumed on the calling thread before {@link #submit} returns:
 * the synchronous behaviour, kept as the reference the overlapped runs are tested against. The LES
 * benchmark times both through this class, so it measures what a run does.
 */
public final class SnapshotWriter implements AutoCloseable {
    /** What is done with each snapshot (SnapshotStore frame, …). */
    @FunctionalInterface
    public interface Consumer {
        void accept(Snapshot s) throws IOException;
    }

    private final boolean overlap;
    private final int depth;
    private final StageTimes times;
    private final ExecutorService thread;
    private final Deque<Future<?>> outstanding = new ArrayDeque<>();

    /**
     * @param overlap consume on the writer thread (true) or on the caller's (false)
     * @param depth   snapshots handed over but not yet consumed, at most
     * @param times   "snapshots": time consuming them (on whichever thread); "snapshot_wait": time the run thread waits for the writer
     */
    public SnapshotWriter(boolean overlap, int depth, StageTimes times) {
        if (depth < 1) {
            throw new IllegalArgumentException("depth must be ≥ 1, got " + depth);
        }
        this.overlap = overlap;
        this.depth = depth;
        this.times = times;
        this.thread = overlap ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "eddy-snapshot-writer");
            t.setDaemon(true); // never keeps the JVM alive; close() waits for its work on every normal path
            return t;
        }) : null;
    }

    /** Consuming one snapshot of any kind: wait for it, transform it, write it (an ensemble's frames). */
    @FunctionalInterface
    public interface Task {
        void run() throws IOException;
    }

    /** Hands a snapshot over to be consumed by {@code consumer}. */
    public void submit(PendingSnapshot pending, Consumer consumer) throws IOException {
        submit(() -> consumer.accept(pending.get()));
    }

    /** Hands over the consumption of a snapshot: run on the writer thread, or now without overlap (see the class comment). */
    public void submit(Task task) throws IOException {
        if (!overlap) {
            consume(task);
            return;
        }
        while (outstanding.size() >= depth) {
            waitFor(outstanding.removeFirst()); // removed first: a failure is thrown once, not again at close()
        }
        outstanding.addLast(thread.submit(() -> {
            try {
                consume(task);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
    }

    private void consume(Task task) throws IOException {
        times.time("snapshots", () -> {
            task.run();
            return null;
        });
    }

    /** Waits until every snapshot handed over is consumed; throws the first failure. */
    public void drain() throws IOException {
        while (!outstanding.isEmpty()) {
            waitFor(outstanding.removeFirst());
        }
    }

    private void waitFor(Future<?> f) throws IOException {
        long t0 = System.nanoTime();
        try {
            f.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            switch (c) {
                case UncheckedIOException u -> throw u.getCause();
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IllegalStateException("snapshot writer failed", c);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the snapshot writer", e);
        } finally {
            times.add("snapshot_wait", System.nanoTime() - t0);
        }
    }

    /**
     * Waits for every outstanding snapshot (so no frame is half-written when the run's resources close
     * and the simulation that produced them can be closed after this), then stops the thread. A failure
     * is thrown (suppressed under the run's own failure, if any).
     */
    @Override
    public void close() throws IOException {
        if (thread == null) {
            return;
        }
        try {
            IOException first = null;
            while (!outstanding.isEmpty()) {
                try {
                    waitFor(outstanding.removeFirst());
                } catch (IOException | RuntimeException e) {
                    if (first == null) {
                        first = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            thread.shutdown();
        }
    }
}
