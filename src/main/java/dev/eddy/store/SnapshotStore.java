package dev.eddy.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.config.RunConfig;
import dev.eddy.io.CorruptFileException;
import dev.eddy.io.Json;
import dev.eddy.io.Versions;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.DiagnosticSample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A run's snapshots and diagnostics, in one labelled Zarr store ({@code snapshots.zarr}) that grows as
 * the run goes and is committed with every checkpoint ({@link ZarrStore}; layout in
 * docs/store-format.md). {@code xr.open_zarr(dir + "/snapshots.zarr")} gives:
 * <ul>
 *   <li>{@code omega(time, y, x)} float32/float64, the vorticity, row = y, column = x;</li>
 *   <li>coordinates {@code time(time)} (simulated time), {@code x(x)}, {@code y(y)} (x_i = 2πi/N),
 *       {@code k(k)} (shell wavenumber 0 … N/2), and {@code step(time)};</li>
 *   <li>{@code spectrum(time, k)}: the shell energy spectrum E(k) of each snapshot;</li>
 *   <li>the diagnostics series on their own time axis {@code diag_time}: {@code energy}, {@code enstrophy},
 *       {@code dt}, {@code courant}, the budgets, …, and {@code diag_step};</li>
 *   <li>root attributes: every setting and {@code config_json}, the full settings.</li>
 * </ul>
 * Memory does not grow with the number of snapshots: each field is written as it is appended.
 */
public final class SnapshotStore {
    /** Rows per chunk of the series (time, step: 1024 values; spectra: 64 rows; diagnostics: 4096 values). */
    static final int SERIES_CHUNK = 1024;
    static final int SPECTRUM_CHUNK = 64;
    static final int DIAGNOSTICS_CHUNK = 4096;
    static final String DIAG_TIME = "diag_time";
    static final String DIAG_STEP = "diag_step";

    /** How many snapshots and diagnostics samples a commit holds (what a checkpoint names). */
    public record Counts(long snapshots, long diagnostics) {
    }

    private final ZarrStore store;
    private final int n;

    private SnapshotStore(ZarrStore store, int n) {
        this.store = store;
        this.n = n;
    }

    public static Path path(Path runDir) {
        return runDir.resolve(RunFiles.SNAPSHOTS);
    }

    /** A new, empty store for a run (a leftover one, of a start that never reached a checkpoint, is replaced). */
    public static SnapshotStore create(Path dir, RunConfig config, int compressLevel) throws IOException {
        ZarrStore s = ZarrStore.create(path(dir), settings(config));
        layout(s, config, compressLevel);
        int n = config.n();
        for (int i = 0; i < n; i++) {
            s.array("x").append(new double[] {2 * Math.PI * i / n});
            s.array("y").append(new double[] {2 * Math.PI * i / n});
        }
        for (int i = 0; i <= n / 2; i++) {
            s.array("k").appendLong(i);
        }
        s.commit();
        return new SnapshotStore(s, n);
    }

    /** The arrays of a run's store, as functions of its settings only (so a restart can rebuild the metadata). */
    private static void layout(ZarrStore s, RunConfig config, int compressLevel) throws IOException {
        int n = config.n();
        ZarrArray.Dtype field = config.precision() == Precision.FP32 ? ZarrArray.Dtype.F4 : ZarrArray.Dtype.F8;
        s.add("x", ZarrArray.Dtype.F8, new long[0], n, 0, List.of("x"), attrs("x", "1", "x_i = 2πi/N on [0, 2π)"));
        s.add("y", ZarrArray.Dtype.F8, new long[0], n, 0, List.of("y"), attrs("y", "1", "y_j = 2πj/N on [0, 2π)"));
        s.add("k", ZarrArray.Dtype.I8, new long[0], n / 2 + 1, 0, List.of("k"),
                attrs("wavenumber", "1", "shell k collects the modes with k − 1/2 ≤ |k| < k + 1/2"));
        s.add("time", ZarrArray.Dtype.F8, new long[0], SERIES_CHUNK, 0, List.of("time"), attrs("simulated time", "1", "time of each snapshot"));
        s.add("step", ZarrArray.Dtype.I8, new long[0], SERIES_CHUNK, 0, List.of("time"), attrs("step", "1", "step of each snapshot"));
        s.add("omega", field, new long[] {n, n}, 1, compressLevel, List.of("time", "y", "x"),
                attrs("vorticity", "1", "ω = ∂v/∂x − ∂u/∂y; row = y, column = x"));
        String[][] spectra = {
            {"spectrum", "energy spectrum E(k)", "shell sum of |û|²/2 (Σ_k E(k) = ½⟨u²+v²⟩)"},
            {"enstrophy_spectrum", "enstrophy spectrum Z(k)", "shell sum of |ω̂|²/2 (Σ_k Z(k) = ½⟨ω²⟩)"},
            {"spectral_energy_transfer", "energy transfer T_E(k)", "shell sum of Re(ω̂* N̂)/|k|², N = −u·∇ω dealiased (SpectralTransfer)"},
            {"spectral_enstrophy_transfer", "enstrophy transfer T_Z(k)", "shell sum of Re(ω̂* N̂), N = −u·∇ω dealiased"},
            {"energy_flux", "energy flux Π(k)", "Π(k) = −Σ_{k'≤k} T_E(k'): > 0 towards larger k"},
            {"enstrophy_flux", "enstrophy flux Z(k)", "Z(k) = −Σ_{k'≤k} T_Z(k'): > 0 towards larger k"}};
        for (String[] sp : spectra) {
            s.add(sp[0], ZarrArray.Dtype.F8, new long[] {n / 2 + 1}, SPECTRUM_CHUNK, 0, List.of("time", "k"), attrs(sp[1], "1", sp[2]));
        }
        if (config.output().velocity()) {
            s.add("u", field, new long[] {n, n}, 1, compressLevel, List.of("time", "y", "x"), attrs("velocity u", "1", "u = ∂ψ/∂y"));
            s.add("v", field, new long[] {n, n}, 1, compressLevel, List.of("time", "y", "x"), attrs("velocity v", "1", "v = −∂ψ/∂x"));
            s.add("psi", field, new long[] {n, n}, 1, compressLevel, List.of("time", "y", "x"),
                    attrs("stream function ψ", "1", "ω = −∇²ψ, mean zero"));
        }
        s.add(DIAG_TIME, ZarrArray.Dtype.F8, new long[0], DIAGNOSTICS_CHUNK, 0, List.of(DIAG_TIME),
                attrs("simulated time of the diagnostics", "1", "time of each diagnostics sample"));
        s.add(DIAG_STEP, ZarrArray.Dtype.I8, new long[0], DIAGNOSTICS_CHUNK, 0, List.of(DIAG_TIME),
                attrs("step of the diagnostics", "1", "step of each diagnostics sample"));
        for (String c : diagnosticColumns()) {
            s.add(c, ZarrArray.Dtype.F8, new long[0], DIAGNOSTICS_CHUNK, 0, List.of(DIAG_TIME), attrs(c.replace('_', ' '), "1",
                    "diagnostics sample (docs/physics.md)"));
        }
    }

    /**
     * A store of plain snapshots (no diagnostics: {@code eddy decode}'s output): x, y, time, step and omega,
     * with the given root attributes. The caller commits it.
     */
    public static SnapshotStore createPlain(Path root, int n, Precision precision, Map<String, Object> rootAttrs) throws IOException {
        ZarrStore s = ZarrStore.create(root, rootAttrs);
        ZarrArray x = s.add("x", ZarrArray.Dtype.F8, new long[0], n, 0, List.of("x"), attrs("x", "1", "x_i = 2πi/N on [0, 2π)"));
        ZarrArray y = s.add("y", ZarrArray.Dtype.F8, new long[0], n, 0, List.of("y"), attrs("y", "1", "y_j = 2πj/N on [0, 2π)"));
        for (int i = 0; i < n; i++) {
            x.append(new double[] {2 * Math.PI * i / n});
            y.append(new double[] {2 * Math.PI * i / n});
        }
        s.add("time", ZarrArray.Dtype.F8, new long[0], SERIES_CHUNK, 0, List.of("time"), attrs("simulated time", "1", "time of each snapshot"));
        s.add("step", ZarrArray.Dtype.I8, new long[0], SERIES_CHUNK, 0, List.of("time"), attrs("step", "1", "step of each snapshot"));
        s.add("omega", precision == Precision.FP32 ? ZarrArray.Dtype.F4 : ZarrArray.Dtype.F8, new long[] {n, n}, 1, 0,
                List.of("time", "y", "x"), attrs("vorticity", "1", "ω = ∂v/∂x − ∂u/∂y; row = y, column = x"));
        s.commit();
        return new SnapshotStore(s, n);
    }

    /** The diagnostics columns other than step and time, in {@link DiagnosticSample#columns} order. */
    static List<String> diagnosticColumns() {
        List<String> c = new ArrayList<>(DiagnosticSample.columns(List.of()).keySet());
        c.remove("step");
        c.remove("time");
        return c;
    }

    private static Map<String, Object> attrs(String longName, String units, String description) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("long_name", longName);
        m.put("units", units);
        m.put("description", description);
        return m;
    }

    private static Map<String, Object> settings(RunConfig config) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("title", "Eddy 2D LES snapshots and diagnostics");
        a.put("config_json", Json.write(config));
        a.put("n", config.n());
        a.put("precision", config.precision().label());
        a.put("backend", config.backend());
        a.put("nu", config.physics().nu());
        a.put("mu", config.physics().mu());
        a.put("cs", config.physics().cs());
        a.put("forcing", config.forcing().kind().label());
        a.put("kf", config.forcing().kf());
        a.put("forcing_amplitude", config.forcing().amplitude());
        a.put("kp", config.initial().kp());
        a.put("initial_energy", config.initial().energy());
        a.put("seed", config.initial().seed());
        a.put("stepper", config.time().stepper());
        a.put("dt", config.time().dt());
        a.put("cfl", config.time().cfl());
        a.put("domain_length", 2 * Math.PI);
        a.put("units", "nondimensional: domain [0, 2π)², time in the model's units");
        a.put("eddy_version", Versions.eddy());
        return a;
    }

    /**
     * The store of a run continued from a checkpoint that committed {@code committed}. Its metadata is
     * rebuilt from the settings and those counts (not trusted from disk: a kill or a crash may have left it
     * ahead of the checkpoint, or torn); chunks past the counts are removed, the committed ones must be
     * there, and each difference from what the old metadata said is reported to {@code repaired}. Then
     * committed again, so every reader sees the checkpoint's state.
     */
    public static SnapshotStore resume(Path dir, RunConfig config, Counts committed, Consumer<String> repaired) throws IOException {
        Path root = path(dir);
        Map<String, Long> before = new LinkedHashMap<>();
        try {
            for (ZarrArray a : ZarrStore.open(root).arrays().values()) {
                before.put(a.name(), a.length());
            }
        } catch (IOException e) {
            repaired.accept(RunFiles.SNAPSHOTS + "/.zmetadata was unreadable (" + e.getMessage() + "): rebuilt");
        }
        dev.eddy.io.AtomicFiles.deleteStaleTemporaries(root);
        ZarrStore s = ZarrStore.reopen(root, settings(config));
        layout(s, config, config.output().compressLevel());
        for (ZarrArray a : s.arrays().values()) {
            long count = switch (dimensionOf(a)) {
                case "time" -> committed.snapshots();
                case DIAG_TIME -> committed.diagnostics();
                case "k" -> config.n() / 2 + 1;
                default -> config.n();
            };
            a.setLength(count);
            int removed = a.truncate(count);
            a.requireChunks();
            Long old = before.get(a.name());
            if (old != null && old != count) {
                repaired.accept(RunFiles.SNAPSHOTS + "/" + a.name() + ": " + old + " → " + count + " rows");
            } else if (removed > 0) {
                repaired.accept(RunFiles.SNAPSHOTS + "/" + a.name() + ": " + removed + " chunk file(s) past the checkpoint removed");
            }
        }
        s.commit();
        return new SnapshotStore(s, config.n());
    }

    private static String dimensionOf(ZarrArray a) {
        return String.valueOf(a.zattrs().get("_ARRAY_DIMENSIONS") instanceof List<?> l && !l.isEmpty() ? l.getFirst() : "");
    }

    /** Appends one snapshot of a run with its spectral transfer (and u, v, ψ when the store has them). */
    public void appendSnapshot(long step, double time, double[] omega, double[] spectrum,
                               dev.eddy.sim.SpectralTransfer.Result t) throws IOException {
        appendSnapshot(step, time, omega, spectrum);
        store.array("enstrophy_spectrum").append(t.enstrophy());
        store.array("spectral_energy_transfer").append(t.energyTransfer());
        store.array("spectral_enstrophy_transfer").append(t.enstrophyTransfer());
        store.array("energy_flux").append(t.energyFlux());
        store.array("enstrophy_flux").append(t.enstrophyFlux());
        if (store.array("u") != null) {
            store.array("u").append(t.u());
            store.array("v").append(t.v());
            store.array("psi").append(t.psi());
        }
    }

    /** Appends one snapshot (on the snapshot writer's thread): the field is on disk when this returns. */
    public void appendSnapshot(long step, double time, double[] omega, double[] spectrum) throws IOException {
        if (omega.length != n * n) {
            throw new IllegalArgumentException("a snapshot of " + omega.length + " values, N = " + n);
        }
        store.array("omega").append(omega);
        if (spectrum != null) {
            store.array("spectrum").append(spectrum);
        }
        store.array("time").append(new double[] {time});
        store.array("step").appendLong(step);
    }

    /** Appends one diagnostics sample. */
    public void appendDiagnostics(DiagnosticSample d) throws IOException {
        Map<String, Object> row = DiagnosticSample.columns(List.of(d));
        store.array(DIAG_TIME).append(new double[] {d.time()});
        store.array(DIAG_STEP).appendLong(d.step());
        for (String c : diagnosticColumns()) {
            store.array(c).append(new double[] {((double[]) row.get(c))[0]});
        }
    }

    /** Makes everything appended so far visible to readers; returns what it holds (for the checkpoint). */
    public Counts commit() throws IOException {
        store.commit();
        return counts();
    }

    public Counts counts() {
        ZarrArray diag = store.array(DIAG_TIME);
        return new Counts(store.array("omega").length(), diag != null ? diag.length() : 0);
    }

    // ------------------------------------------------------------------ reading

    /** A committed store opened for reading, one snapshot at a time. */
    public static Reader open(Path dir) throws IOException {
        Path p = Files.isDirectory(dir.resolve(RunFiles.SNAPSHOTS)) ? dir.resolve(RunFiles.SNAPSHOTS) : dir;
        return new Reader(p, ZarrStore.open(p));
    }

    /** A snapshot read back: ω[y*n + x] (row = y) and its shell spectrum E(k), k = 0 … N/2. */
    public record Frame(int n, long step, double time, double[] omega, double[] spectrum) {
    }

    /** Reads a committed store; every chunk's checksum is verified as it is read. */
    public static final class Reader {
        private final Path root;
        private final ZarrStore store;
        private final int n;
        private final long[] steps;
        private final double[] times;

        private Reader(Path root, ZarrStore store) throws IOException {
            this.root = root;
            this.store = store;
            ZarrArray omega = store.array("omega");
            if (omega == null || store.array("time") == null || store.array("step") == null) {
                throw new CorruptFileException(root, "has no omega, time and step arrays (not a snapshot store)");
            }
            this.n = (int) Math.round(Math.sqrt(omega.rowElements()));
            double[] s = store.array("step").readAll();
            this.times = store.array("time").readAll();
            if (s.length != omega.length() || times.length != omega.length()) {
                throw new CorruptFileException(root, "step/time lengths do not match omega's " + omega.length() + " snapshots");
            }
            this.steps = new long[s.length];
            for (int i = 0; i < s.length; i++) {
                steps[i] = (long) s[i];
            }
        }

        public Path path() {
            return root;
        }

        public int n() {
            return n;
        }

        public Precision precision() {
            return store.array("omega").dtype() == ZarrArray.Dtype.F4 ? Precision.FP32 : Precision.FP64;
        }

        public int size() {
            return steps.length;
        }

        public long step(int i) {
            return steps[i];
        }

        public double time(int i) {
            return times[i];
        }

        public List<Long> steps() {
            List<Long> l = new ArrayList<>();
            for (long s : steps) {
                l.add(s);
            }
            return l;
        }

        public double[] omega(int i) throws IOException {
            return store.array("omega").read(i);
        }

        public Frame frame(int i) throws IOException {
            ZarrArray spectrum = store.array("spectrum");
            return new Frame(n, steps[i], times[i], omega(i), spectrum != null ? spectrum.read(i) : null);
        }

        /** Row i of a (time, k) array (spectrum, energy_flux, …), or null if the store has no such array. */
        public double[] spectral(String name, int i) throws IOException {
            ZarrArray a = store.array(name);
            return a == null ? null : a.read(i);
        }

        public Map<String, Object> attributes() {
            return store.attributes();
        }

        /** The diagnostics series, as {@link DiagnosticSample}s. */
        public List<DiagnosticSample> diagnostics() throws IOException {
            if (store.array(DIAG_STEP) == null) {
                return List.of();
            }
            Map<String, Object> cols = new LinkedHashMap<>();
            cols.put("step", store.array(DIAG_STEP).readAll());
            cols.put("time", store.array(DIAG_TIME).readAll());
            for (String c : diagnosticColumns()) {
                ZarrArray a = store.array(c);
                if (a != null) {
                    cols.put(c, a.readAll());
                }
            }
            JsonNode tree = Json.MAPPER.valueToTree(cols);
            return DiagnosticSample.fromColumns(tree);
        }
    }
}
