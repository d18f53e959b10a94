package dev.eddy.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.eddy.config.RunConfig;
import dev.eddy.io.BinaryRecord;
import dev.eddy.io.CorruptFileException;
import dev.eddy.io.Json;
import dev.eddy.io.Versions;
import dev.eddy.sim.DiagnosticSample;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Vorticity snapshots. Each is first written as a checksummed frame file under {@code frames/} (the
 * durable record, written atomically as it is taken); {@code snapshots.h5} is then assembled from the
 * frames at every checkpoint and at the end, atomically, so it always holds a complete prefix of the run.
 *
 * <p>{@code snapshots.h5} layout (h5py: {@code f["omega"][t]} is the field of snapshot t):
 * <ul>
 *   <li>{@code omega} [T][N][N] float32/float64, row = y, column = x, grid x_i = 2πi/N;</li>
 *   <li>{@code step} [T] int64, {@code time} [T] float64;</li>
 *   <li>{@code spectrum} [T][N/2+1] float64, shell energy spectrum E(k), k = 0 … N/2, and {@code k};</li>
 *   <li>group {@code diagnostics}: step, time, dt, energy, enstrophy, max_speed;</li>
 *   <li>root attributes: every setting (n, nu, mu, cs, …) and {@code config_json}, the full settings.</li>
 * </ul>
 */
public final class SnapshotStore {
    static final String MAGIC = "EDDYFRAM";

    /** One frame: ω (N×N) followed by its shell spectrum (N/2+1). */
    record FrameHeader(int n, long step, double time) {
    }

    private final Path dir;
    private final RunConfig config;

    public SnapshotStore(Path dir, RunConfig config) {
        this.dir = dir;
        this.config = config;
    }

    public void writeFrame(long step, double time, double[] omega, double[] spectrum) throws IOException {
        int n = config.n();
        double[] values = new double[n * n + spectrum.length];
        System.arraycopy(omega, 0, values, 0, n * n);
        System.arraycopy(spectrum, 0, values, n * n, spectrum.length);
        BinaryRecord.write(framePath(step), MAGIC, Json.write(new FrameHeader(n, step, time)),
                config.precision().bytes(), values);
    }

    private Path framePath(long step) {
        return dir.resolve(RunFiles.FRAMES).resolve(String.format("omega_%012d.bin", step));
    }

    /** A snapshot read back from its frame file: ω[y*n + x] (row = y) and the shell spectrum E(k), k = 0 … N/2. */
    public record Frame(int n, long step, double time, double[] omega, double[] spectrum) {
    }

    /** Reads the frame of {@code step} from a run directory (checksum verified). */
    public static Frame readFrame(Path dir, long step) throws IOException {
        Path file = dir.resolve(RunFiles.FRAMES).resolve(String.format("omega_%012d.bin", step));
        BinaryRecord.Content c = BinaryRecord.read(file, MAGIC);
        FrameHeader h = frameHeader(c, step);
        long cells = (long) h.n() * h.n();
        if (h.n() <= 0 || c.values().length != cells + h.n() / 2 + 1) {
            throw new CorruptFileException(file, "holds " + c.values().length + " values, a frame of N = " + h.n()
                    + " needs " + (cells + h.n() / 2 + 1));
        }
        double[] v = c.values();
        return new Frame(h.n(), h.step(), h.time(), java.util.Arrays.copyOf(v, (int) cells),
                java.util.Arrays.copyOfRange(v, (int) cells, v.length));
    }

    /** Steps of the frames on disk, in order. */
    public List<Long> frameSteps() throws IOException {
        return frameSteps(dir);
    }

    /** Steps of the frames in a run directory, in order. */
    public static List<Long> frameSteps(Path dir) throws IOException {
        return StoreFiles.steps(dir.resolve(RunFiles.FRAMES), "omega_");
    }

    /** Removes frames taken after {@code step} (a restart continues from an earlier checkpoint). */
    public void dropFramesAfter(long step) throws IOException {
        for (long s : frameSteps()) {
            if (s > step) {
                Files.delete(framePath(s));
            }
        }
    }

    /** (Re)builds snapshots.h5 from the frames and the diagnostics up to {@code upToStep}. */
    public void assemble(List<DiagnosticSample> diagnostics, long upToStep) throws IOException {
        int n = config.n();
        Map<Long, BinaryRecord.Content> frames = new TreeMap<>();
        for (long s : frameSteps()) {
            if (s <= upToStep) {
                frames.put(s, BinaryRecord.read(framePath(s), MAGIC));
            }
        }
        int t = frames.size();
        long[] steps = new long[t];
        double[] times = new double[t];
        double[][] spectra = new double[t][];
        boolean fp32 = config.precision().bytes() == 4;
        float[][][] omega32 = fp32 ? new float[t][n][n] : null;
        double[][][] omega64 = fp32 ? null : new double[t][n][n];
        int f = 0;
        for (Map.Entry<Long, BinaryRecord.Content> e : frames.entrySet()) {
            FrameHeader h = frameHeader(e.getValue(), e.getKey());
            double[] v = e.getValue().values();
            steps[f] = h.step();
            times[f] = h.time();
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    if (fp32) {
                        omega32[f][y][x] = (float) v[y * n + x];
                    } else {
                        omega64[f][y][x] = v[y * n + x];
                    }
                }
            }
            spectra[f] = java.util.Arrays.copyOfRange(v, n * n, v.length);
            f++;
        }
        List<DiagnosticSample> diag = diagnostics.stream().filter(d -> d.step() <= upToStep).toList();

        StoreFiles.writeHdf5(dir.resolve(RunFiles.SNAPSHOTS), h5 -> {
            putSettings(h5);
            h5.putDataset("omega", fp32 ? omega32 : omega64);
            h5.putDataset("step", steps);
            h5.putDataset("time", times);
            int[] k = new int[n / 2 + 1];
            for (int i = 0; i < k.length; i++) {
                k[i] = i;
            }
            h5.putDataset("k", k);
            h5.putDataset("spectrum", t == 0 ? new double[0][k.length] : spectra);
            WritableGroup g = h5.putGroup("diagnostics");
            DiagnosticSample.columns(diag).forEach(g::putDataset);
        });
    }

    private void putSettings(WritableHdfFile h5) {
        h5.putAttribute("config_json", Json.write(config));
        h5.putAttribute("n", config.n());
        h5.putAttribute("precision", config.precision().label());
        h5.putAttribute("backend", config.backend().label());
        h5.putAttribute("nu", config.physics().nu());
        h5.putAttribute("mu", config.physics().mu());
        h5.putAttribute("cs", config.physics().cs());
        h5.putAttribute("forcing", config.forcing().kind().label());
        h5.putAttribute("kf", config.forcing().kf());
        h5.putAttribute("forcing_amplitude", config.forcing().amplitude());
        h5.putAttribute("kp", config.initial().kp());
        h5.putAttribute("initial_energy", config.initial().energy());
        h5.putAttribute("seed", config.initial().seed());
        h5.putAttribute("stepper", config.time().stepper());
        h5.putAttribute("dt", config.time().dt());
        h5.putAttribute("cfl", config.time().cfl());
        h5.putAttribute("domain_length", 2 * Math.PI);
        h5.putAttribute("eddy_version", Versions.eddy());
    }

    private static FrameHeader frameHeader(BinaryRecord.Content c, long step) throws IOException {
        try {
            return Json.MAPPER.readValue(c.header(), FrameHeader.class);
        } catch (JsonProcessingException e) {
            throw new IOException("frame of step " + step + " has an unreadable header: " + e.getOriginalMessage(), e);
        }
    }
}
