package dev.eddy.run;

import dev.eddy.backend.Backend;
import dev.eddy.sim.Simulation;
import java.io.IOException;

/**
 * An optional stage that sees every snapshot of an {@link LesRun} (e.g. {@link SnapshotEncoding}, the
 * codec of {@code eddy run --encode}). The run calls it on its own thread, in this order: {@link #start}
 * once the simulation exists, {@link #resume} on a restart, {@link #snapshot} after each snapshot frame,
 * {@link #assemble} wherever the run assembles its snapshot file (at checkpoints, and with
 * {@code Long.MAX_VALUE} after a blow-up), {@link #metrics} into the metrics JSON, and {@link #close}
 * before the simulation closes (so it may hold GPU objects on the simulation's context).
 */
public interface SnapshotListener extends AutoCloseable {
    /** The key of its section in the metrics JSON. */
    String name();

    /**
     * The simulation exists on {@code backend} (a stage on the same backend reads its state in place);
     * {@code times} is the run's stage clock (charge work to stages of its own).
     */
    void start(Simulation sim, Backend backend, StageTimes times) throws IOException;

    /** The run continues from the checkpoint of {@code step}: drop what came after it. */
    void resume(long step) throws IOException;

    /** A snapshot of the current state; {@code omega} is its compact host vorticity, just written as a frame. */
    void snapshot(Simulation sim, double[] omega) throws IOException;

    /** Make what it holds up to {@code step} durable (atomically), as the snapshot file is. */
    void assemble(long step) throws IOException;

    /** Its section of the metrics JSON. */
    Object metrics();

    @Override
    void close();
}
