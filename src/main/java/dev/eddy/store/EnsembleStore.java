package dev.eddy.store;

import dev.eddy.config.EnsembleConfig;
import dev.eddy.io.Json;
import dev.eddy.sim.EnsembleSample;
import dev.eddy.sim.MemberStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Where an ensemble run's outputs go, with a member dimension: snapshots (every member's ω and shell
 * spectrum), the diagnostics series of every member, and each member's settings and fate, readable from
 * Python with named dimensions. The run only talks to this interface; the store is
 * {@link ZarrEnsembleStore} ({@code ensemble.zarr}, appended as the run goes and committed before each
 * checkpoint), and {@code eddy ensemble export --h5} copies it into an HDF5 file ({@link Hdf5EnsembleExport}).
 */
public interface EnsembleStore {

    /** One snapshot of every member, as recorded: the ensemble's step, each member's own step and time, ω (N×N, row = y) and E(k). */
    record Frame(long step, long[] steps, double[] times, double[][] omega, double[][] spectra) {
    }

    /** Appends one snapshot of every member as it is taken (its chunks are written; the next {@link #commit} makes them durable and visible). */
    void write(Frame frame) throws IOException;

    /**
     * Makes everything written so far durable and visible to readers, with the diagnostics samples of
     * {@code diagnostics} that the store does not hold yet and the members' {@code status}; returns how
     * many snapshots it holds (what the checkpoint written next commits). Called before every checkpoint.
     */
    long commit(List<EnsembleSample> diagnostics, List<MemberStatus> status) throws IOException;

    /** The ensemble steps of the snapshots recorded, in order. */
    List<Long> steps() throws IOException;

    /** The snapshot of ensemble step {@code step}, read back (checksums verified). */
    Frame read(long step) throws IOException;

    /** The committed store of the ensemble in {@code dir}, for reading. */
    static EnsembleStore open(Path dir, EnsembleConfig config) throws IOException {
        return ZarrEnsembleStore.open(dir, config);
    }

    /** The settings of the ensemble in {@code dir} (for readers of a finished run: the report, the proxy's score). */
    static EnsembleConfig settings(Path dir) throws IOException {
        return Json.MAPPER.readValue(dir.resolve(RunFiles.ENSEMBLE_CONFIG).toFile(), EnsembleConfig.class);
    }
}
