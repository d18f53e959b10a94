package dev.eddy.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.eddy.codec.CodecSettings;
import dev.eddy.config.RunConfig;
import dev.eddy.io.BinaryRecord;
import dev.eddy.io.CorruptFileException;
import dev.eddy.io.Json;
import dev.eddy.store.RunFiles;
import dev.eddy.store.SnapshotStore;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A restart point and the run directory's commit point: the exact bits of ω̂ in the run's precision,
 * the step and time, the run's settings, and how much of each appendable output belongs to this state
 * ({@link Outputs}: snapshots and diagnostics in the store, records in the code file, and the codec
 * settings of {@code --encode}). Its atomic rename commits the whole directory: whatever an output holds
 * past these counts was appended after it and is cut back by a restart. Its size depends on N only, not
 * on how long the run has been going. {@code eddy run --restart DIR} continues from it bit for bit.
 */
public record Checkpoint(RunConfig config, long step, double time, Outputs outputs, double[] state) {
    static final String MAGIC = "EDDYCKPT";
    /** Version 2 of the header: the diagnostics history moved to the store, the output counts came in. */
    static final int HEADER_VERSION = 2;

    /**
     * What the outputs hold at this checkpoint.
     *
     * @param codec the settings of {@code eddy run --encode}, or null when the run does not encode
     */
    public record Outputs(long snapshots, long diagnostics, long codes, CodecSettings codec) {
        public SnapshotStore.Counts store() {
            return new SnapshotStore.Counts(snapshots, diagnostics);
        }
    }

    /** The JSON header (everything but the state). */
    record Header(int version, RunConfig config, long step, double time, Outputs outputs) {
    }

    public void write(Path dir) throws IOException {
        String header = Json.write(new Header(HEADER_VERSION, config, step, time, outputs));
        BinaryRecord.write(dir.resolve(RunFiles.CHECKPOINT), MAGIC, header, config.precision().bytes(), state);
    }

    public static Checkpoint read(Path dir) throws IOException {
        Path file = dir.resolve(RunFiles.CHECKPOINT);
        BinaryRecord.Content c = BinaryRecord.read(file, MAGIC);
        Header h;
        try {
            h = Json.MAPPER.readValue(c.header(), Header.class);
        } catch (JsonProcessingException e) {
            String why = c.header().contains("\"diagnostics\"") && !c.header().contains("\"outputs\"")
                    ? "written by an older Eddy (header version 1, with the diagnostics inside); continue it with that version"
                    : "unreadable header: " + e.getOriginalMessage();
            throw new CorruptFileException(file, why);
        }
        if (h.version() != HEADER_VERSION || h.outputs() == null || h.config() == null) {
            throw new CorruptFileException(file, "header version " + h.version() + " is not " + HEADER_VERSION);
        }
        if (c.realBytes() != h.config().precision().bytes()) {
            throw new CorruptFileException(file, "stores " + c.realBytes() + "-byte values for a "
                    + h.config().precision().label() + " run");
        }
        long expected = (long) h.config().n() * (h.config().n() / 2 + 1) * 2;
        if (c.values().length != expected) {
            throw new CorruptFileException(file, "holds " + c.values().length + " values, N = " + h.config().n()
                    + " needs " + expected);
        }
        return new Checkpoint(h.config(), h.step(), h.time(), h.outputs(), c.values());
    }
}
