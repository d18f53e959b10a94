package dev.eddy.store;

import dev.eddy.config.EnsembleConfig;
import dev.eddy.io.Json;
import dev.eddy.io.Versions;
import dev.eddy.sim.DiagnosticSample;
import dev.eddy.sim.EnsembleSample;
import dev.eddy.sim.MemberStatus;
import dev.eddy.store.EnsembleStore.Frame;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import io.jhdf.api.WritableNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code eddy ensemble export --h5}: an ensemble's store ({@code ensemble.zarr}) copied into one HDF5 file
 * for readers without Zarr (h5py alone), with the diagnostics and fate of its checkpoint. Written with jhdf,
 * which writes whole datasets from memory: the export holds every snapshot at once, so it is a one-off at
 * the end, not the run's store (docs/store-format.md: why the run writes Zarr).
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
public final class Hdf5EnsembleExport {
    /** The attribute that names a dataset's dimensions. */
    public static final String DIMS = "dims";

    private final EnsembleConfig config;

    private Hdf5EnsembleExport(EnsembleConfig config) {
        this.config = config;
    }

    /** Writes {@code target} (atomically) from the committed store and checkpoint of the ensemble in {@code dir}. */
    public static void write(Path dir, Path target) throws IOException {
        EnsembleCheckpoint cp = EnsembleCheckpoint.read(dir);
        EnsembleStore source = EnsembleStore.open(dir, cp.config());
        List<Frame> frames = new ArrayList<>();
        for (long s : source.steps().subList(0, Math.toIntExact(Math.min(cp.snapshots(), source.steps().size())))) {
            frames.add(source.read(s));
        }
        Hdf5EnsembleExport e = new Hdf5EnsembleExport(cp.config());
        StoreFiles.writeHdf5(target, h5 -> {
            e.putSettings(h5);
            e.putMembers(h5, cp.status());
            e.putSnapshots(h5, frames);
            e.putDiagnostics(h5, cp.diagnostics());
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
}
