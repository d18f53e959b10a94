package dev.eddy.sim;

/**
 * A snapshot on its way to the host, from {@link Simulation#requestSnapshot()}. A GPU backend has
 * only started the copy of ω̂ when it hands this out, so the caller can submit the next steps and
 * consume the snapshot (possibly on another thread) while they run. {@link #get()} waits for the copy,
 * transforms ω̂ to ω on the calling thread where the backend transforms on the host, and returns
 * the state as it was at {@link #step()}, whatever the simulation has done since.
 */
public interface PendingSnapshot {
    long step();

    double time();

    /** Waits for the state, if it has not arrived, and returns it; every call returns the same snapshot. */
    Snapshot get();

    /** A snapshot that is already on the host (the CPU backends, or a GPU state already read). */
    static PendingSnapshot completed(Snapshot snapshot) {
        return new PendingSnapshot() {
            @Override
            public long step() {
                return snapshot.step();
            }

            @Override
            public double time() {
                return snapshot.time();
            }

            @Override
            public Snapshot get() {
                return snapshot;
            }
        };
    }
}
