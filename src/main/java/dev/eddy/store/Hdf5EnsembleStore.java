package dev.eddy.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.BinaryRecord;
import dev.eddy.io.CorruptFileException;
import dev.eddy.io.Json;
import dev.eddy.io.Versions;
import dev.eddy.sim.DiagnosticSample;
import dev.eddy.sim.EnsembleSample;
import dev.eddy.sim.MemberStatus;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.WritableNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Today's {@link EnsembleStore}, in the manner of the single run's {@link SnapshotStore}: each snapshot of
 * every member is first a checksummed frame file under {@code ensemble-frames/} (the durable record,
 * written atomically as it is taken), and {@code ensemble.h5} is assembled from the frames and the
 * diagnostics at every checkpoint and at the end, atomically, so it always holds a complete prefix of
 * the run. Written with jhdf, which writes whole datasets: the file is rewritten at each commit (an
 * appendable store is issue 17's).
 *
 * <p>{@code ensemble.h5}, dimensions named by each dataset's {@code dims} attribute (comma-separated),
 * with a coordinate dataset of the same name for each dimension:
 * <ul>
 *   <li>{@code member} [member]; the members' own settings {@code seed}, {@code nu}, {@code mu},
 *       {@code cs}, {@code forcing_amplitude} [member]; their fate {@code phase} [member] (0 running,
 *       1 finished, 2 dropped), {@code reason} [member] (why it stopped, or ""), {@code final_step} and
 *       {@code final_time} [member];</li>
 *   <li>{@code snapshot} [snapshot] (the ensemble's step of each), {@code step} and {@code time}
 *       [snapshot, member] (each member's own), {@code omega} [snapshot, member, y, x] float32/float64
 *       (row = y, column = x, x_i = 2πi/N, coordinates {@code x} and {@code y}), {@code spectrum}
 *       [snapshot, member, k] (shell energy spectrum, coordinate {@code k} = 0 … N/2);</li>
 *   <li>{@code sample} [sample] (the ensemble's step of each diagnostics sample), and group
 *       {@code diagnostics}: every column of the single run's series (step, time, dt, courant, energy,
 *       enstrophy, …, budgets) [sample, member];</li>
 *   <li>root attributes: the shared settings (n, precision, stepper, dt, cfl, shared_dt, …) and
 *       {@code config_json}, the full ensemble settings.</li>
 * </ul>
 */
public final class Hdf5EnsembleStore implements EnsembleStore {
    static final String MAGIC = "EDDYEFRM";
    /** The attribute that names a dataset's dimensions. */
    public static final String DIMS = "dims";

    /** A frame file's header; its values are every member's ω (N² each), then every member's E(k) (N/2+1 each). */
    record FrameHeader(int n, int members, long step, long[] steps, double[] times) {
    }

    private final Path dir;
    private final EnsembleConfig config;

    Hdf5EnsembleStore(Path dir, EnsembleConfig config) {
        this.dir = dir;
        this.config = config;
    }

    private Path framePath(long step) {
        return dir.resolve(RunFiles.ENSEMBLE_FRAMES).resolve(String.format("frame_%012d.bin", step));
    }

    @Override
    public void write(Frame f) throws IOException {
        int n = config.base().n();
        int b = config.size();
        int k = n / 2 + 1;
        double[] values = new double[b * (n * n + k)];
        for (int m = 0; m < b; m++) {
            System.arraycopy(f.omega()[m], 0, values, m * n * n, n * n);
            System.arraycopy(f.spectra()[m], 0, values, b * n * n + m * k, k);
        }
        Files.createDirectories(dir.resolve(RunFiles.ENSEMBLE_FRAMES));
        BinaryRecord.write(framePath(f.step()), MAGIC, Json.write(new FrameHeader(n, b, f.step(), f.steps(), f.times())),
                config.base().precision().bytes(), values);
    }

    @Override
    public Frame read(long step) throws IOException {
        Path file = framePath(step);
        BinaryRecord.Content c = BinaryRecord.read(file, MAGIC);
        FrameHeader h;
        try {
            h = Json.MAPPER.readValue(c.header(), FrameHeader.class);
        } catch (JsonProcessingException e) {
            throw new CorruptFileException(file, "unreadable header: " + e.getOriginalMessage());
        }
        int n = h.n();
        int b = h.members();
        int k = n / 2 + 1;
        if (n != config.base().n() || b != config.size() || c.values().length != (long) b * (n * n + k)) {
            throw new CorruptFileException(file, "holds " + c.values().length + " values of " + b + " members of N = " + n
                    + "; this ensemble has " + config.size() + " members of N = " + config.base().n());
        }
        double[] v = c.values();
        double[][] omega = new double[b][];
        double[][] spectra = new double[b][];
        for (int m = 0; m < b; m++) {
            omega[m] = java.util.Arrays.copyOfRange(v, m * n * n, (m + 1) * n * n);
            spectra[m] = java.util.Arrays.copyOfRange(v, b * n * n + m * k, b * n * n + (m + 1) * k);
        }
        return new Frame(h.step(), h.steps(), h.times(), omega, spectra);
    }

    @Override
    public List<Long> steps() throws IOException {
        return StoreFiles.steps(dir.resolve(RunFiles.ENSEMBLE_FRAMES), "frame_");
    }

    @Override
    public void dropAfter(long step) throws IOException {
        for (long s : steps()) {
            if (s > step) {
                Files.delete(framePath(s));
            }
        }
        AtomicFiles.deleteStaleTemporaries(dir.resolve(RunFiles.ENSEMBLE_FRAMES));
    }

    @Override
    public void commit(List<EnsembleSample> diagnostics, List<MemberStatus> status, long upTo) throws IOException {
        List<Frame> frames = new ArrayList<>();
        for (long s : steps()) {
            if (s <= upTo) {
                frames.add(read(s));
            }
        }
        List<EnsembleSample> samples = diagnostics.stream().filter(d -> d.step() <= upTo).toList();
        StoreFiles.writeHdf5(dir.resolve(RunFiles.ENSEMBLE), h5 -> {
            putSettings(h5);
            putMembers(h5, status);
            putSnapshots(h5, frames);
            putDiagnostics(h5, samples);
        });
    }

    /** A dataset with its named dimensions. */
    private static WritableNode put(WritableGroup g, String name, Object data, String dims) {
        WritableNode d = g.putDataset(name, data);
        d.putAttribute(DIMS, dims);
        return d;
    }

    private void putSettings(WritableHdfFile h5) {
        var base = config.base();
        h5.putAttribute("config_json", Json.write(config));
        h5.putAttribute("n", base.n());
        h5.putAttribute("members", config.size());
        h5.putAttribute("precision", base.precision().label());
        h5.putAttribute("backend", base.backend().label());
        h5.putAttribute("stepper", base.time().stepper());
        h5.putAttribute("dt", base.time().dt());
        h5.putAttribute("cfl", base.time().cfl());
        h5.putAttribute("shared_dt", config.sharedDt() ? 1 : 0);
        h5.putAttribute("forcing", base.forcing().kind().label());
        h5.putAttribute("kf", base.forcing().kf());
        h5.putAttribute("kp", base.initial().kp());
        h5.putAttribute("initial_energy", base.initial().energy());
        h5.putAttribute("domain_length", 2 * Math.PI);
        h5.putAttribute("dims_convention", "each dataset's attribute '" + DIMS + "' names its dimensions, comma-separated;"
                + " a dataset named like a dimension is its coordinate");
        h5.putAttribute("eddy_version", Versions.eddy());
    }

    private void putMembers(WritableHdfFile h5, List<MemberStatus> status) {
        int b = config.size();
        int[] member = new int[b];
        long[] seed = new long[b];
        double[] nu = new double[b];
        double[] mu = new double[b];
        double[] cs = new double[b];
        double[] amplitude = new double[b];
        int[] phase = new int[b];
        String[] reason = new String[b];
        long[] finalStep = new long[b];
        double[] finalTime = new double[b];
        for (int m = 0; m < b; m++) {
            EnsembleConfig.Member s = config.members().get(m);
            member[m] = m;
            seed[m] = s.seed();
            nu[m] = s.nu();
            mu[m] = s.mu();
            cs[m] = s.cs();
            amplitude[m] = s.forcingAmplitude();
            phase[m] = status.get(m).phase().ordinal();
            reason[m] = status.get(m).reason() == null ? "" : status.get(m).reason();
            finalStep[m] = status.get(m).step();
            finalTime[m] = status.get(m).time();
        }
        put(h5, "member", member, "member");
        put(h5, "seed", seed, "member");
        put(h5, "nu", nu, "member");
        put(h5, "mu", mu, "member");
        put(h5, "cs", cs, "member");
        put(h5, "forcing_amplitude", amplitude, "member");
        put(h5, "phase", phase, "member").putAttribute("codes", "0 running, 1 finished, 2 dropped");
        put(h5, "reason", reason, "member");
        put(h5, "final_step", finalStep, "member");
        put(h5, "final_time", finalTime, "member");
    }

    private void putSnapshots(WritableHdfFile h5, List<Frame> frames) {
        int n = config.base().n();
        int b = config.size();
        int t = frames.size();
        int k = n / 2 + 1;
        double[] x = new double[n];
        int[] ks = new int[k];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * Math.PI * i / n;
        }
        for (int i = 0; i < k; i++) {
            ks[i] = i;
        }
        put(h5, "x", x, "x");
        put(h5, "y", x.clone(), "y");
        put(h5, "k", ks, "k");
        if (t == 0) {
            return; // jhdf writes no empty datasets: a store without snapshots has none
        }
        long[] snapshot = new long[t];
        long[][] steps = new long[t][];
        double[][] times = new double[t][];
        double[][][] spectra = new double[t][b][];
        boolean fp32 = config.base().precision().bytes() == 4;
        float[][][][] omega32 = fp32 ? new float[t][b][n][n] : null;
        double[][][][] omega64 = fp32 ? null : new double[t][b][n][n];
        for (int f = 0; f < t; f++) {
            Frame fr = frames.get(f);
            snapshot[f] = fr.step();
            steps[f] = fr.steps();
            times[f] = fr.times();
            for (int m = 0; m < b; m++) {
                spectra[f][m] = fr.spectra()[m];
                double[] w = fr.omega()[m];
                for (int y = 0; y < n; y++) {
                    for (int i = 0; i < n; i++) {
                        if (fp32) {
                            omega32[f][m][y][i] = (float) w[y * n + i];
                        } else {
                            omega64[f][m][y][i] = w[y * n + i];
                        }
                    }
                }
            }
        }
        put(h5, "snapshot", snapshot, "snapshot");
        put(h5, "step", steps, "snapshot,member");
        put(h5, "time", times, "snapshot,member");
        put(h5, "omega", fp32 ? omega32 : omega64, "snapshot,member,y,x");
        put(h5, "spectrum", spectra, "snapshot,member,k");
    }

    private void putDiagnostics(WritableHdfFile h5, List<EnsembleSample> samples) {
        if (samples.isEmpty()) {
            return;
        }
        WritableGroup g = h5.putGroup("diagnostics");
        int s = samples.size();
        int b = config.size();
        long[] sample = new long[s];
        List<String> names = DiagnosticSample.valueNames();
        double[][][] columns = new double[names.size()][s][b];
        for (int i = 0; i < s; i++) {
            sample[i] = samples.get(i).step();
            for (int m = 0; m < b; m++) {
                double[] v = samples.get(i).members().get(m).values();
                for (int c = 0; c < names.size(); c++) {
                    columns[c][i][m] = v[c];
                }
            }
        }
        put(h5, "sample", sample, "sample");
        for (int c = 0; c < names.size(); c++) {
            if (names.get(c).equals("step")) {
                long[][] steps = new long[s][b];
                for (int i = 0; i < s; i++) {
                    for (int m = 0; m < b; m++) {
                        steps[i][m] = (long) columns[c][i][m];
                    }
                }
                put(g, "step", steps, "sample,member");
            } else {
                put(g, names.get(c), columns[c], "sample,member");
            }
        }
    }

    /** The settings of the store's ensemble (for readers of a finished run: the report, the proxy's score). */
    public static EnsembleConfig settings(Path dir) throws IOException {
        return Json.MAPPER.readValue(dir.resolve(RunFiles.ENSEMBLE_CONFIG).toFile(), EnsembleConfig.class);
    }
}
