package dev.eddy.store;

import dev.eddy.config.EnsembleConfig;
import dev.eddy.sim.EnsembleSample;
import dev.eddy.sim.MemberStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where an ensemble run's outputs go, with a member dimension: snapshots (every member's ω and shell
 * spectrum), the diagnostics series of every member, and each member's settings and fate, readable from
 * Python with named dimensions. The run only talks to this interface, so the run directory's store can
 * change format (labelled, appendable outputs, one commit point: issues 17 and 18) without the run
 * changing. {@link #open} gives today's: {@link Hdf5EnsembleStore}.
 */
public interface EnsembleStore {

    /** One snapshot of every member, as recorded: the ensemble's step, each member's own step and time, ω (N×N, row = y) and E(k). */
    record Frame(long step, long[] steps, double[] times, double[][] omega, double[][] spectra) {
    }

    /** Records one snapshot of every member durably, as it is taken (before any checkpoint names its step). */
    void write(Frame frame) throws IOException;

    /**
     * Makes everything up to ensemble step {@code upTo} readable as one consistent store: the snapshots
     * recorded so far, {@code diagnostics} and the members' {@code status}. Called at every checkpoint and
     * at the end; what it makes replaces what it made before, atomically.
     */
    void commit(List<EnsembleSample> diagnostics, List<MemberStatus> status, long upTo) throws IOException;

    /** Forgets the snapshots after ensemble step {@code step} (a restart continues from an earlier checkpoint). */
    void dropAfter(long step) throws IOException;

    /** The ensemble steps of the snapshots recorded, in order. */
    List<Long> steps() throws IOException;

    /** The snapshot of ensemble step {@code step}, read back (checksums verified). */
    Frame read(long step) throws IOException;

    /** The store of the run in {@code dir}. */
    static EnsembleStore open(Path dir, EnsembleConfig config) {
        return new Hdf5EnsembleStore(dir, config);
    }
}
