package dev.eddy.run;

import dev.eddy.backend.Backend;
import dev.eddy.sim.Simulation;
import java.io.IOException;

/**
 * An optional stage that sees every snapshot of an {@link LesRun} (e.g. {@link SnapshotEncoding}, the
 * codec of {@code eddy run --encode}). The run calls it on its own thread, in this order: {@link #start}
 * once the simulation exists, {@link #begin} on a new run or {@link #resume} on a restart, {@link #snapshot}
 * after each snapshot, {@link #commit} before each checkpoint (whose header records the count it returns),
 * {@link #metrics} into the metrics JSON, and {@link #close}
 * before the simulation closes (so it may hold GPU objects on the simulation's context).
 */
public interface SnapshotListener extends AutoCloseable {
    /** Its settings, saved with the run so that a restart continues it. */
    dev.eddy.codec.CodecSettings settings();

    /** The key of its section in the metrics JSON. */
    String name();

    /**
     * The simulation exists on {@code backend} (a stage on the same backend reads its state in place);
     * {@code times} is the run's stage clock (charge work to stages of its own).
     */
    void start(Simulation sim, Backend backend, StageTimes times) throws IOException;

    /** A new run: create the output, empty. */
    void begin() throws IOException;

    /**
     * The run continues from a checkpoint that committed {@code committed} records of this output: drop
     * what came after them, and say what was dropped to {@code repaired}.
     */
    void resume(long committed, java.util.function.Consumer<String> repaired) throws IOException;

    /** A snapshot of the current state; {@code omega} is its compact host vorticity, just written as a frame. */
    void snapshot(Simulation sim, double[] omega) throws IOException;

    /** Make every record so far durable; returns how many there are (the checkpoint records it). */
    long commit() throws IOException;

    /** Its section of the metrics JSON. */
    Object metrics();

    @Override
    void close();
}
