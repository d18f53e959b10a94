package dev.eddy.store;

import dev.eddy.io.Json;
import dev.eddy.io.CorruptFileException;
import dev.eddy.io.BinaryRecord;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.eddy.config.RunConfig;
import dev.eddy.sim.DiagnosticSample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A restart point: the exact bits of ω̂ in the run's precision, the step and time, the run's settings
 * and the diagnostics so far. {@code eddy run --restart DIR} continues from it bit for bit.
 */
public record Checkpoint(RunConfig config, long step, double time, List<DiagnosticSample> diagnostics, double[] state) {
    static final String MAGIC = "EDDYCKPT";

    /** The JSON header (everything but the state). */
    record Header(RunConfig config, long step, double time, List<DiagnosticSample> diagnostics) {
    }

    public void write(Path dir) throws IOException {
        String header = Json.write(new Header(config, step, time, diagnostics));
        BinaryRecord.write(dir.resolve(RunFiles.CHECKPOINT), MAGIC, header, config.precision().bytes(), state);
    }

    public static Checkpoint read(Path dir) throws IOException {
        Path file = dir.resolve(RunFiles.CHECKPOINT);
        BinaryRecord.Content c = BinaryRecord.read(file, MAGIC);
        Header h;
        try {
            h = Json.MAPPER.readValue(c.header(), Header.class);
        } catch (JsonProcessingException e) {
            throw new CorruptFileException(file, "unreadable header: " + e.getOriginalMessage());
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
        return new Checkpoint(h.config(), h.step(), h.time(), h.diagnostics(), c.values());
    }
}
