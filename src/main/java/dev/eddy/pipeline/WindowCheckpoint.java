package dev.eddy.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.eddy.codec.SnapshotCodec;
import dev.eddy.io.BinaryRecord;
import dev.eddy.io.CorruptFileException;
import dev.eddy.io.Json;
import dev.eddy.run.HealthCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The training window's checkpoint ({@code stages/window.ckpt}): everything the stages after the window
 * read, so that a pipeline killed after it resumes at the learn without running the spin-up or the window
 * again. One {@link BinaryRecord} (CRC-32C, written atomically) whose reals, in the run's precision, are
 *
 * <pre>
 * LES spectral state | training latents (d × m, column-major) | α of the last training code | its packed t, two bytes a real
 * </pre>
 *
 * and whose JSON header holds the LES step and time, the frozen dt, the sizes, the residual products at
 * every lag ({@link SnapshotCodec#residualLags}: the fade is learnt from them, so the window's other codes
 * need not be kept), the health of the window's states, its warnings and its stage times. Every real is
 * exact in the run's precision (the latents and α are that precision's values; a two-byte integer is exact
 * in float32), so the resumed pipeline computes what the uninterrupted one did, bit for bit. The primal
 * Grams are not stored: the resume adds the restored latents again, in the same order, on the same backend.
 */
record WindowCheckpoint(Header header, double[] state, double[] latents, SnapshotCodec.Code lastCode) {
    static final String FILE = "window.ckpt";
    static final String MAGIC = "EDDYWIND";

    /**
     * @param band          residual products of the m training codes at lags 0..maxLag, float64 (m·(maxLag + 1))
     * @param windowSeconds the window's stage times in the process that ran it (sim, diagnostics, encode, learn)
     * @param warnings      the warnings the window gave (health, CFL cuts), given again by the resumed pipeline
     */
    record Header(long step, double time, double frozenDt, int stateLength, int d, int columns, int tiles, long packedBytes,
                  int maxLag, double[] band, HealthCheck.State health, List<String> warnings, Map<String, Double> windowSeconds) {
    }

    /** Reals the record holds for these sizes (the file is about this many times the precision's bytes). */
    static long reals(long stateLength, long d, long columns, long tiles, long packedBytes) {
        return stateLength + d * columns + tiles + (packedBytes + 1) / 2;
    }

    /** Writes the checkpoint atomically; returns the bytes written. */
    static long write(Path file, Header h, double[] state, double[] latents, SnapshotCodec.Code last, int realBytes) throws IOException {
        long count = reals(state.length, h.d(), h.columns(), last.alpha().length, last.packed().length);
        double[] values = new double[Math.toIntExact(count)];
        int at = 0;
        System.arraycopy(state, 0, values, at, state.length);
        at += state.length;
        System.arraycopy(latents, 0, values, at, latents.length);
        at += latents.length;
        System.arraycopy(last.alpha(), 0, values, at, last.alpha().length);
        at += last.alpha().length;
        byte[] t = last.packed();
        for (int i = 0; i < t.length; i += 2) {
            values[at++] = (t[i] & 0xFF) | (i + 1 < t.length ? (t[i + 1] & 0xFF) << 8 : 0);
        }
        BinaryRecord.write(file, MAGIC, Json.write(h), realBytes, values);
        return java.nio.file.Files.size(file);
    }

    /** Reads and checks a checkpoint; a wrong checksum, size or header is a {@link CorruptFileException}. */
    static WindowCheckpoint read(Path file, int realBytes) throws IOException {
        BinaryRecord.Content c = BinaryRecord.read(file, MAGIC);
        Header h;
        try {
            h = Json.MAPPER.readValue(c.header(), Header.class);
        } catch (JsonProcessingException e) {
            throw new CorruptFileException(file, "unreadable header: " + e.getOriginalMessage());
        }
        if (c.realBytes() != realBytes) {
            throw new CorruptFileException(file, "holds " + c.realBytes() + "-byte reals, the run's precision has " + realBytes);
        }
        long expected = reals(h.stateLength(), h.d(), h.columns(), h.tiles(), h.packedBytes());
        if (h.stateLength() < 0 || h.d() < 1 || h.columns() < 1 || h.tiles() < 1 || h.packedBytes() < 1
                || c.values().length != expected || h.band() == null || h.band().length != (long) h.columns() * (h.maxLag() + 1)) {
            throw new CorruptFileException(file, "its sizes do not add up (" + c.values().length + " reals, header " + h.stateLength()
                    + " + " + h.d() + "×" + h.columns() + " + " + h.tiles() + " + ⌈" + h.packedBytes() + "/2⌉; band "
                    + (h.band() == null ? "missing" : h.band().length + " products") + ")");
        }
        double[] v = c.values();
        int at = 0;
        double[] state = java.util.Arrays.copyOfRange(v, at, at += h.stateLength());
        double[] latents = java.util.Arrays.copyOfRange(v, at, at += h.d() * h.columns());
        double[] alpha = java.util.Arrays.copyOfRange(v, at, at += h.tiles());
        byte[] t = new byte[Math.toIntExact(h.packedBytes())];
        for (int i = 0; i < t.length; i += 2) {
            double w = v[at++];
            if (w < 0 || w > 0xFFFF || w != Math.rint(w)) {
                throw new CorruptFileException(file, "the packed code holds " + w + ", not two bytes");
            }
            t[i] = (byte) ((int) w & 0xFF);
            if (i + 1 < t.length) {
                t[i + 1] = (byte) ((int) w >>> 8);
            }
        }
        double[] z = java.util.Arrays.copyOfRange(latents, (h.columns() - 1) * h.d(), h.columns() * h.d());
        return new WindowCheckpoint(h, state, latents, new SnapshotCodec.Code(z, alpha, t));
    }
}
