package dev.eddy.run;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a run stops on SIGINT or SIGTERM: a JVM shutdown hook asks the run's loop to stop after its current
 * step, then waits (up to 120 s) for the run to save its checkpoint and says how it ended (the JVM halts
 * when the hook returns, before the command line could). Opened when a run starts, closed when it ends.
 */
final class StopOnSignal implements AutoCloseable {
    /** How long the hook waits for the run's checkpoint. */
    static final long WAIT_SECONDS = 120;

    private volatile boolean requested;
    private volatile RunInterruptedException interruption;
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onSignal, "eddy-checkpoint-on-signal");

    StopOnSignal() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether a signal asked the run to stop (the loop checks it after every advance). */
    boolean requested() {
        return requested;
    }

    /** The run stopped on the signal at {@code step}, its checkpoint in {@code dir}: the exception it ends with, which the hook also prints. */
    RunInterruptedException interrupted(long step, Path dir) {
        interruption = new RunInterruptedException(step, dir);
        return interruption;
    }

    private void onSignal() {
        requested = true;
        try {
            if (!ended.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                System.err.println("eddy: no checkpoint within " + WAIT_SECONDS + " s of the signal; the previous checkpoint stands");
            } else if (interruption != null) {
                System.err.println("eddy: " + interruption.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The run has ended (saved, failed or finished): the hook may return; without a signal it is removed. */
    @Override
    public void close() {
        ended.countDown();
        if (!requested) {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
    }
}
