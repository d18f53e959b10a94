package dev.eddy.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.io.BinaryRecord;
import dev.eddy.io.CorruptFileException;
import dev.eddy.io.Json;
import dev.eddy.sim.DiagnosticSample;
import dev.eddy.sim.EnsembleSample;
import dev.eddy.sim.MemberStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The restart point of an ensemble: the exact bits of every member's ω̂, each member's step, time and
 * fate, the ensemble's step, its settings and the diagnostics so far. {@code eddy ensemble --restart DIR}
 * continues from it bit for bit. One record (one commit point): the values are every member's state,
 * then the diagnostics, member by member within each sample ({@link DiagnosticSample#values()}), all in
 * float64 (a float32 state widens exactly, so its bits come back).
 *
 * @param step      the ensemble's step
 * @param snapshots how many snapshots of {@code ensemble.zarr} it commits (the store is committed first; a
 *                  restart cuts it back to them)
 */
public record EnsembleCheckpoint(EnsembleConfig config, long step, List<MemberStatus> status, List<EnsembleSample> diagnostics,
                                 double[][] states, long snapshots) {
    static final String MAGIC = "EDDYENSM";

    /** The JSON header: everything but the values, with the shapes that slice them. */
    record Header(EnsembleConfig config, long step, List<MemberStatus> status, List<Long> sampleSteps, List<String> sampleValues,
                  long snapshots) {
    }

    public void write(Path dir) throws IOException {
        int b = config.size();
        int len = states[0].length;
        int width = DiagnosticSample.valueNames().size();
        double[] values = new double[b * len + diagnostics.size() * b * width];
        for (int m = 0; m < b; m++) {
            System.arraycopy(states[m], 0, values, m * len, len);
        }
        int at = b * len;
        List<Long> sampleSteps = new ArrayList<>();
        for (EnsembleSample s : diagnostics) {
            sampleSteps.add(s.step());
            for (DiagnosticSample d : s.members()) {
                System.arraycopy(d.values(), 0, values, at, width);
                at += width;
            }
        }
        String header = Json.write(new Header(config, step, status, sampleSteps, DiagnosticSample.valueNames(), snapshots));
        BinaryRecord.write(dir.resolve(RunFiles.ENSEMBLE_CHECKPOINT), MAGIC, header, 8, values);
    }

    public static EnsembleCheckpoint read(Path dir) throws IOException {
        Path file = dir.resolve(RunFiles.ENSEMBLE_CHECKPOINT);
        BinaryRecord.Content c = BinaryRecord.read(file, MAGIC);
        Header h;
        try {
            h = Json.MAPPER.readValue(c.header(), Header.class);
        } catch (JsonProcessingException e) {
            throw new CorruptFileException(file, "unreadable header: " + e.getOriginalMessage());
        }
        if (!h.sampleValues().equals(DiagnosticSample.valueNames())) {
            throw new CorruptFileException(file, "its diagnostics are " + h.sampleValues() + ", this Eddy's are "
                    + DiagnosticSample.valueNames());
        }
        int b = h.config().size();
        int n = h.config().base().n();
        int len = n * (n / 2 + 1) * 2;
        int width = h.sampleValues().size();
        long expected = (long) b * len + (long) h.sampleSteps().size() * b * width;
        if (c.values().length != expected || h.status().size() != b) {
            throw new CorruptFileException(file, "holds " + c.values().length + " values and " + h.status().size() + " statuses; "
                    + b + " members of N = " + n + " with " + h.sampleSteps().size() + " samples need " + expected + " and " + b);
        }
        double[] v = c.values();
        double[][] states = new double[b][];
        for (int m = 0; m < b; m++) {
            states[m] = java.util.Arrays.copyOfRange(v, m * len, (m + 1) * len);
        }
        List<EnsembleSample> samples = new ArrayList<>();
        int at = b * len;
        for (long step : h.sampleSteps()) {
            List<DiagnosticSample> members = new ArrayList<>();
            for (int m = 0; m < b; m++) {
                members.add(DiagnosticSample.ofValues(v, at));
                at += width;
            }
            samples.add(new EnsembleSample(step, members));
        }
        return new EnsembleCheckpoint(h.config(), h.step(), h.status(), samples, states, h.snapshots());
    }
}
