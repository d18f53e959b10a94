package dev.eddy.store;

import dev.eddy.config.EnsembleConfig;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.CorruptFileException;
import dev.eddy.io.Json;
import dev.eddy.io.Versions;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.DiagnosticSample;
import dev.eddy.sim.EnsembleSample;
import dev.eddy.sim.MemberStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * An ensemble's outputs in one labelled, appendable Zarr store ({@code ensemble.zarr}), the ensemble twin
 * of the single run's {@link SnapshotStore}: each snapshot of every member is appended as it is taken
 * (its chunks written at once), the diagnostics samples and the members' fate at each commit, and
 * {@link #commit} (before every checkpoint) forces what was appended and writes the metadata last. Nothing
 * is rewritten at a commit but the last, partial chunks of the series (bounded by {@link #SERIES_BYTES})
 * and the small metadata files, so a commit costs the same after ten snapshots as after ten thousand, and
 * memory does not grow with them. {@code xr.open_zarr(dir + "/ensemble.zarr")} gives (docs/store-format.md):
 * <ul>
 *   <li>{@code omega(snapshot, member, y, x)} float32/float64 (row = y), {@code spectrum(snapshot, member, k)};</li>
 *   <li>coordinates {@code snapshot} (the ensemble's step of each), {@code member}, {@code x}, {@code y},
 *       {@code k}, each member's own {@code step} and {@code time} (snapshot, member), its settings
 *       {@code seed}, {@code nu}, {@code mu}, {@code cs}, {@code forcing_amplitude} and its fate {@code phase},
 *       {@code final_step}, {@code final_time} (member);</li>
 *   <li>the diagnostics of every member on the axis {@code sample} (the ensemble's step of each):
 *       {@code energy}, {@code enstrophy}, {@code dt}, …, with {@code diag_step}, {@code diag_time} (sample, member);</li>
 *   <li>root attributes: the shared settings, {@code config_json}, and {@code reason}: why each member stopped.</li>
 * </ul>
 */
public final class ZarrEnsembleStore implements EnsembleStore {
    /**
     * A series chunk holds at most this many bytes (the single run's diagnostics chunk: 4096 float64), so a
     * commit rewrites at most this much per series array, whatever the number of members.
     */
    static final int SERIES_BYTES = 32 << 10;
    static final String SNAPSHOT = "snapshot";
    static final String SAMPLE = "sample";
    static final String MEMBER = "member";
    /** The member arrays that a commit writes again (each member's fate). */
    private static final List<String> FATE = List.of("phase", "final_step", "final_time");
    /** The variables xarray makes coordinates (the root attribute {@code coordinates}, a CF convention xarray decodes). */
    static final String COORDINATES = "step time seed nu mu cs forcing_amplitude phase final_step final_time diag_step diag_time";

    private final ZarrStore store;
    private final EnsembleConfig config;

    private ZarrEnsembleStore(ZarrStore store, EnsembleConfig config) {
        this.store = store;
        this.config = config;
    }

    public static Path path(Path dir) {
        return dir.resolve(RunFiles.ENSEMBLE);
    }

    /** A new, empty store for an ensemble (one left by a start that never reached a checkpoint, or an earlier merge, is replaced). */
    public static ZarrEnsembleStore create(Path dir, EnsembleConfig config) throws IOException {
        ZarrStore s = ZarrStore.create(path(dir), settings(config));
        layout(s, config);
        int n = config.base().n();
        for (int i = 0; i < n; i++) {
            s.array("x").append(new double[] {2 * Math.PI * i / n});
            s.array("y").append(new double[] {2 * Math.PI * i / n});
        }
        for (int i = 0; i <= n / 2; i++) {
            s.array("k").appendLong(i);
        }
        for (int m = 0; m < config.size(); m++) {
            EnsembleConfig.Member member = config.members().get(m);
            s.array(MEMBER).appendLong(m);
            s.array("seed").appendLong(member.seed());
            s.array("nu").append(new double[] {member.nu()});
            s.array("mu").append(new double[] {member.mu()});
            s.array("cs").append(new double[] {member.cs()});
            s.array("forcing_amplitude").append(new double[] {member.forcingAmplitude()});
        }
        ZarrEnsembleStore e = new ZarrEnsembleStore(s, config);
        List<MemberStatus> start = new ArrayList<>();
        for (int m = 0; m < config.size(); m++) {
            start.add(MemberStatus.start());
        }
        e.commit(List.of(), start);
        return e;
    }

    /** Rows per chunk of a series whose rows are {@code rowBytes} long: at most {@code max}, at most {@link #SERIES_BYTES} a chunk. */
    static int rowsPerChunk(long rowBytes, int max) {
        return (int) Math.max(1, Math.min(max, SERIES_BYTES / rowBytes));
    }

    /** The arrays of an ensemble's store, as functions of its settings only (so a restart can rebuild the metadata). */
    private static void layout(ZarrStore s, EnsembleConfig config) throws IOException {
        int n = config.base().n();
        int b = config.size();
        int k = n / 2 + 1;
        int level = config.base().output().compressLevel();
        ZarrArray.Dtype field = config.base().precision() == Precision.FP32 ? ZarrArray.Dtype.F4 : ZarrArray.Dtype.F8;
        var f8 = ZarrArray.Dtype.F8;
        var i8 = ZarrArray.Dtype.I8;
        long[] none = new long[0];
        s.add("x", f8, none, n, 0, List.of("x"), attrs("x", "x_i = 2πi/N on [0, 2π)"));
        s.add("y", f8, none, n, 0, List.of("y"), attrs("y", "y_j = 2πj/N on [0, 2π)"));
        s.add("k", i8, none, k, 0, List.of("k"), attrs("wavenumber", "shell k collects the modes with k − 1/2 ≤ |k| < k + 1/2"));
        s.add(MEMBER, i8, none, b, 0, List.of(MEMBER), attrs("member", "the member's index in the ensemble (ensemble.json)"));
        s.add("seed", i8, none, b, 0, List.of(MEMBER), attrs("seed", "the member's initial-condition seed"));
        s.add("nu", f8, none, b, 0, List.of(MEMBER), attrs("viscosity ν", "the member's viscosity"));
        s.add("mu", f8, none, b, 0, List.of(MEMBER), attrs("drag μ", "the member's linear drag"));
        s.add("cs", f8, none, b, 0, List.of(MEMBER), attrs("Smagorinsky C_s", "the member's Smagorinsky constant"));
        s.add("forcing_amplitude", f8, none, b, 0, List.of(MEMBER), attrs("forcing amplitude", "the member's forcing amplitude"));
        s.add("phase", i8, none, b, 0, List.of(MEMBER), attrs("phase", "0 running, 1 finished, 2 dropped (why: the root attribute reason)"));
        s.add("final_step", i8, none, b, 0, List.of(MEMBER), attrs("final step", "the member's own step at the last commit"));
        s.add("final_time", f8, none, b, 0, List.of(MEMBER), attrs("final time", "the member's own simulated time at the last commit"));

        s.add(SNAPSHOT, i8, none, SnapshotStore.SERIES_CHUNK, 0, List.of(SNAPSHOT), attrs("snapshot", "the ensemble's step of each snapshot"));
        long[] perMember = {b};
        int seriesRows = rowsPerChunk(8L * b, SnapshotStore.SERIES_CHUNK);
        s.add("step", i8, perMember, seriesRows, 0, List.of(SNAPSHOT, MEMBER), attrs("step", "each member's own step at each snapshot"));
        s.add("time", f8, perMember, seriesRows, 0, List.of(SNAPSHOT, MEMBER), attrs("simulated time", "each member's own time at each snapshot"));
        s.add("omega", field, new long[] {b, n, n}, 1, level, List.of(SNAPSHOT, MEMBER, "y", "x"),
                attrs("vorticity", "ω = ∂v/∂x − ∂u/∂y; row = y, column = x"));
        s.add("spectrum", f8, new long[] {b, k}, rowsPerChunk(8L * b * k, SnapshotStore.SPECTRUM_CHUNK), 0, List.of(SNAPSHOT, MEMBER, "k"),
                attrs("energy spectrum E(k)", "shell sum of |û|²/2 (Σ_k E(k) = ½⟨u²+v²⟩)"));

        s.add(SAMPLE, i8, none, SnapshotStore.DIAGNOSTICS_CHUNK, 0, List.of(SAMPLE), attrs("sample", "the ensemble's step of each diagnostics sample"));
        int diagRows = rowsPerChunk(8L * b, SnapshotStore.DIAGNOSTICS_CHUNK);
        for (String c : DiagnosticSample.valueNames()) {
            boolean step = c.equals("step");
            String name = step || c.equals("time") ? "diag_" + c : c;
            s.add(name, step ? i8 : f8, perMember, diagRows, 0, List.of(SAMPLE, MEMBER), attrs(name.replace('_', ' '),
                    step ? "each member's own step at each sample" : c.equals("time") ? "each member's own time at each sample"
                            : "diagnostics sample (docs/physics.md)"));
        }
    }

    private static Map<String, Object> attrs(String longName, String description) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("long_name", longName);
        m.put("units", "1");
        m.put("description", description);
        return m;
    }

    private static Map<String, Object> settings(EnsembleConfig config) {
        var base = config.base();
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("title", "Eddy 2D LES ensemble: snapshots, spectra and diagnostics of every member");
        a.put("config_json", Json.write(config));
        a.put("n", base.n());
        a.put("members", config.size());
        a.put("precision", base.precision().label());
        a.put("backend", base.backend().label());
        a.put("stepper", base.time().stepper());
        a.put("dt", base.time().dt());
        a.put("cfl", base.time().cfl());
        a.put("shared_dt", config.sharedDt() ? 1 : 0);
        a.put("forcing", base.forcing().kind().label());
        a.put("kf", base.forcing().kf());
        a.put("kp", base.initial().kp());
        a.put("initial_energy", base.initial().energy());
        a.put("domain_length", 2 * Math.PI);
        a.put("units", "nondimensional: domain [0, 2π)², time in the model's units");
        a.put("coordinates", COORDINATES);
        a.put("eddy_version", Versions.eddy());
        return a;
    }

    /**
     * The store of an ensemble continued from a checkpoint that committed {@code snapshots} snapshots,
     * {@code diagnostics} and {@code status}. Its metadata is rebuilt from the settings and those counts
     * (not trusted from disk: a kill may have left it ahead of the checkpoint), chunks past them are removed,
     * the committed ones must be there, each difference is reported to {@code repaired}, and it is
     * committed again, so every reader sees the checkpoint's state.
     */
    public static ZarrEnsembleStore resume(Path dir, EnsembleConfig config, long snapshots, List<EnsembleSample> diagnostics,
                                           List<MemberStatus> status, Consumer<String> repaired) throws IOException {
        Path root = path(dir);
        if (!java.nio.file.Files.isDirectory(root) && java.nio.file.Files.isDirectory(dir.resolve(RunFiles.LEGACY_ENSEMBLE_FRAMES))) {
            throw new dev.eddy.config.ConfigException("cannot restart " + dir + ": it was written by an older Eddy ("
                    + RunFiles.LEGACY_ENSEMBLE_FRAMES + "/ and ensemble.h5); continue it with that Eddy, or start it again");
        }
        Map<String, Long> before = new LinkedHashMap<>();
        try {
            for (ZarrArray a : ZarrStore.open(root).arrays().values()) {
                before.put(a.name(), a.length());
            }
        } catch (IOException e) {
            repaired.accept(RunFiles.ENSEMBLE + "/.zmetadata was unreadable (" + e.getMessage() + "): rebuilt");
        }
        AtomicFiles.deleteStaleTemporaries(root);
        ZarrStore s = ZarrStore.reopen(root, settings(config));
        settings(config).forEach(s::setAttribute); // the settings may have changed (a restart's new --steps)
        layout(s, config);
        int n = config.base().n();
        for (ZarrArray a : s.arrays().values()) {
            String dim = String.valueOf(((List<?>) a.zattrs().get("_ARRAY_DIMENSIONS")).getFirst());
            long count = switch (dim) {
                case SNAPSHOT -> snapshots;
                case SAMPLE -> diagnostics.size();
                case MEMBER -> config.size();
                case "k" -> n / 2 + 1;
                default -> n;
            };
            a.setLength(count);
            int removed = a.truncate(count);
            a.requireChunks();
            Long old = before.get(a.name());
            if (old != null && old != count) {
                repaired.accept(RunFiles.ENSEMBLE + "/" + a.name() + ": " + old + " → " + count + " rows");
            } else if (removed > 0) {
                repaired.accept(RunFiles.ENSEMBLE + "/" + a.name() + ": " + removed + " chunk file(s) past the checkpoint removed");
            }
        }
        ZarrEnsembleStore e = new ZarrEnsembleStore(s, config);
        e.commit(diagnostics, status);
        return e;
    }

    @Override
    public void write(Frame f) throws IOException {
        int b = config.size();
        if (f.omega().length != b || f.spectra().length != b || f.steps().length != b || f.times().length != b) {
            throw new IllegalArgumentException("a frame of " + f.omega().length + " members, the ensemble has " + b);
        }
        store.array("omega").appendParts(f.omega());
        store.array("spectrum").appendParts(f.spectra());
        double[] steps = new double[b];
        for (int m = 0; m < b; m++) {
            steps[m] = f.steps()[m];
        }
        store.array("step").append(steps);
        store.array("time").append(f.times());
        store.array(SNAPSHOT).appendLong(f.step());
    }

    @Override
    public long commit(List<EnsembleSample> diagnostics, List<MemberStatus> status) throws IOException {
        int b = config.size();
        List<String> names = DiagnosticSample.valueNames();
        for (long i = store.array(SAMPLE).length(); i < diagnostics.size(); i++) {
            EnsembleSample sample = diagnostics.get(Math.toIntExact(i));
            double[][] columns = new double[names.size()][b];
            for (int m = 0; m < b; m++) {
                double[] v = sample.members().get(m).values();
                for (int c = 0; c < names.size(); c++) {
                    columns[c][m] = v[c];
                }
            }
            store.array(SAMPLE).appendLong(sample.step());
            for (int c = 0; c < names.size(); c++) {
                String name = names.get(c);
                store.array(name.equals("step") || name.equals("time") ? "diag_" + name : name).append(columns[c]);
            }
        }
        FATE.forEach(a -> store.array(a).reset());
        List<String> reasons = new ArrayList<>();
        for (int m = 0; m < b; m++) {
            MemberStatus s = status.get(m);
            store.array("phase").appendLong(s.phase().ordinal());
            store.array("final_step").appendLong(s.step());
            store.array("final_time").append(new double[] {s.time()});
            reasons.add(s.reason() == null ? "" : s.reason());
        }
        if (!reasons.equals(store.attributes().get("reason"))) {
            store.setAttribute("reason", reasons);
        }
        store.commit();
        return store.array(SNAPSHOT).length();
    }

    /** Bytes this store has written so far (chunks before compression, and metadata): what a commit costs, for tests. */
    public long bytesWritten() {
        return store.bytesWritten();
    }

    @Override
    public List<Long> steps() throws IOException {
        List<Long> out = new ArrayList<>();
        ZarrArray a = store.array(SNAPSHOT);
        if (a.length() > 0) {
            for (double s : a.readAll()) {
                out.add((long) s);
            }
        }
        return out;
    }

    @Override
    public Frame read(long step) throws IOException {
        int t = steps().indexOf(step);
        if (t < 0) {
            throw new IllegalArgumentException(path(Path.of("")) + " has no snapshot of ensemble step " + step);
        }
        int b = config.size();
        double[] s = store.array("step").read(t);
        long[] steps = new long[b];
        for (int m = 0; m < b; m++) {
            steps[m] = (long) s[m];
        }
        return new Frame(step, steps, store.array("time").read(t), split(store.array("omega").read(t), b),
                split(store.array("spectrum").read(t), b));
    }

    private static double[][] split(double[] row, int parts) {
        int each = row.length / parts;
        double[][] out = new double[parts][];
        for (int m = 0; m < parts; m++) {
            out[m] = java.util.Arrays.copyOfRange(row, m * each, (m + 1) * each);
        }
        return out;
    }

    /** A committed store opened for reading (the report, the proxy's score, a merge's parts). */
    public static ZarrEnsembleStore open(Path dir, EnsembleConfig config) throws IOException {
        ZarrStore s = ZarrStore.open(path(dir));
        ZarrArray omega = s.array("omega");
        long expected = (long) config.size() * config.base().n() * config.base().n();
        if (omega == null || s.array(SNAPSHOT) == null || omega.rowElements() != expected) {
            throw new CorruptFileException(path(dir), "is not the store of this ensemble (" + config.size() + " members of N = "
                    + config.base().n() + ")");
        }
        return new ZarrEnsembleStore(s, config);
    }
}
