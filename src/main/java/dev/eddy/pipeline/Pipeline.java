package dev.eddy.pipeline;

import dev.eddy.backend.Backend;
import dev.eddy.codec.Codecs;
import dev.eddy.codec.FieldErrors;
import dev.eddy.codec.SnapshotCodec;
import dev.eddy.config.ConfigException;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.Json;
import dev.eddy.numerics.Reductions;
import dev.eddy.proxy.GramAccumulator;
import dev.eddy.proxy.LinearProxy;
import dev.eddy.proxy.Proxies;
import dev.eddy.proxy.Rollout;
import dev.eddy.report.PipelineReport;
import dev.eddy.run.HealthCheck;
import dev.eddy.run.StageTimes;
import dev.eddy.sim.Courant;
import dev.eddy.sim.DiagnosticSample;
import dev.eddy.sim.FlowDiagnostics;
import dev.eddy.sim.Simulation;
import dev.eddy.sim.Simulations;
import dev.eddy.store.MetricsWriter;
import dev.eddy.store.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code eddy pipeline} (design §4): LES → encode → learn → rollout → decode, compared against the
 * LES continued over the same horizon.
 *
 * <ol>
 * <li>spin-up: the LES runs {@code spinupSteps} past its initial transient (CFL-adaptive if so set);</li>
 * <li>the time step is then frozen (80% of the CFL step at the end of the spin-up), because a linear
 *     proxy needs snapshots equally spaced in time;</li>
 * <li>training window: every {@code stride} steps the state is encoded into a latent column and its
 *     pair with the previous latent is added to the Gram matrices (the last pairs into a held-out block
 *     when λ is chosen by validation);</li>
 * <li>learn: the d×d Gram matrices cross to the host once, A is solved there and crosses back once;</li>
 * <li>rollout: z ← A z for the horizon from the last training latent, in one submission on the GPU;</li>
 * <li>ground truth: the LES continues over the horizon; every {@code compareEvery} proxy steps the proxy
 *     latent is decoded (latent-only, and with the residual of the last training snapshot) and compared
 *     with the LES field, next to the codec floor (the LES field's own encoding decoded).</li>
 * </ol>
 * Stages are timed apart: sim_spinup, sim (training window), encode, learn, rollout, decode, sim_truth
 * (the LES over the horizon: what the proxy replaces) and compare (truth read-back and error figures,
 * which a production rollout would not do).
 */
public final class Pipeline {
    /** Fraction of the CFL step used as the frozen step, so the flow can speed up a little before dt must shrink. */
    static final double FROZEN_DT_SAFETY = 0.8;

    /**
     * @param dir     output directory (new, or empty)
     * @param metrics where to write the metrics JSON, or null (it is kept in memory for the report)
     * @param log     progress lines
     * @param report  make the pictures and report.html/report.md at the end
     */
    public record Options(Path dir, Path metrics, Consumer<String> log, boolean report) {
    }

    /**
     * The proxy against the LES after {@code step} proxy steps ({@code step·stride} LES steps).
     *
     * @param latentRelError ‖z_proxy − z_LES‖/‖z_LES‖ in latent space
     * @param latentOnly     decoded proxy (L(Z)) against the LES field
     * @param withResidual   decoded proxy plus the residual code of the last training snapshot
     * @param codecFloor     the LES field's own code decoded with its residual: no proxy can do better
     * @param codecFloorLatentOnly the LES field's own latent decoded (the floor of latent-only decoding)
     */
    public record HorizonPoint(int step, long lesStep, double time, double latentRelError, FieldErrors latentOnly,
                               FieldErrors withResidual, FieldErrors codecFloor, FieldErrors codecFloorLatentOnly) {
    }

    /** What a finished pipeline did. */
    public record Result(LinearProxy proxy, List<HorizonPoint> horizon, Map<String, Double> stageSeconds,
                         Map<String, Object> speed, double frozenDt) {
    }

    private final PipelineSettings settings;
    /** The caller's running backends, or null: the pipeline opens its own (the default device) and closes them. */
    private final Backends.Running backends;
    private final Options options;
    private final StageTimes times = new StageTimes();
    private final List<String> warnings = new ArrayList<>();
    /** The health of the training window's states: a proxy learnt from grid-scale noise learns the noise. */
    private HealthCheck trainingHealth;

    /** A pipeline on backends of its own (the default Vulkan device where a stage needs one). */
    public Pipeline(PipelineSettings settings, Options options) {
        this(settings, null, options);
    }

    /** A pipeline on the caller's backends (which must be those the settings name; the caller closes them). */
    public Pipeline(PipelineSettings settings, Backends.Running backends, Options options) {
        this.settings = settings;
        this.backends = backends;
        this.options = options;
    }

    /** Refuses an output path that is a file, or a directory that already holds something. */
    public static void checkOutputDirectory(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new ConfigException("output path " + dir + " is a file, not a directory");
        }
        if (Files.isDirectory(dir)) {
            try (var entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new ConfigException("output directory " + dir + " is not empty: choose a new --out");
                }
            }
        }
    }

    public Result run() throws IOException {
        Path dir = options.dir();
        checkOutputDirectory(dir);
        Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(RunFiles.PIPELINE_SETTINGS), Json.write(settings));
        MetricsWriter metrics = new MetricsWriter(options.metrics(), "pipeline");
        metrics.put("settings", settings);
        long t0 = System.nanoTime();
        String status = "running";
        Outcome outcome = null;
        try (Backends.Running own = backends == null ? settings.backends().open(null, settings.les().threads()) : null) {
            Outcome done = execute(backends != null ? backends : own);
            outcome = done;
            status = "completed";
            Result result = done.result();
            PipelineOutputs.writeHorizonCsv(dir.resolve(RunFiles.HORIZON_CSV), result.horizon());
            fillMetrics(metrics, status, (System.nanoTime() - t0) * 1e-9, done);
            if (options.report()) {
                report(dir, metrics, done);
            }
            options.log().accept(PipelineOutputs.summary(settings, result, dir));
            return result;
        } finally {
            if (options.metrics() != null) {
                fillMetrics(metrics, status, (System.nanoTime() - t0) * 1e-9, outcome);
                metrics.save();
            }
        }
    }

    private void report(Path dir, MetricsWriter metrics, Outcome done) {
        times.time("report", () -> {
            try {
                PipelineReport.write(dir, settings, metrics.tree(), done.frames(), options.log());
            } catch (RuntimeException | IOException | Error e) {
                // The numbers are complete; pictures are a convenience that can fail on a node without fonts.
                String why = e.getClass().getSimpleName() + ": " + e.getMessage();
                warnings.add("report not made: " + why);
                System.err.println("eddy: warning: the pipeline finished, but its pictures/report could not be made (" + why + ")");
            }
            return null;
        });
    }

    /** The result plus the comparison frames kept for the pictures, and the ledger of the GPU context. */
    record Outcome(Result result, List<PipelineReport.Frame> frames, List<Map<String, Object>> transfers,
                   List<Map<String, Object>> memoryMap, String device) {
    }

    /** The stages on their backends. */
    private record Stages(Simulation sim, SnapshotCodec codec, GramAccumulator gram, Rollout rollout) {
    }

    private Outcome execute(Backends.Running on) {
        int train = settings.trainingSnapshots();
        int horizon = settings.horizon();
        int d = settings.codec().latentDimension();
        var precision = settings.les().precision();
        // closed in reverse order of creation, before the backends
        try (Simulation sim = times.time("setup", () -> Simulations.create(settings.les(), on.sim()));
             SnapshotCodec codec = times.time("setup", () -> Codecs.create(settings.codec(), on.codec(), train + horizon));
             GramAccumulator gram = times.time("setup", () -> Proxies.gram(on.proxy(), d, precision));
             Rollout rollout = times.time("setup", () -> Proxies.rollout(on.proxy(), d, horizon, precision))) {
            Stages s = new Stages(sim, codec, gram, rollout);
            settings.les().time().warnings().forEach(this::warn);
            trainingHealth = new HealthCheck(settings.les().health(), w -> warn("training data: " + w));
            double dt = spinUp(s.sim());
            trainingWindow(s, dt);
            LinearProxy proxy = learn(s);
            SnapshotCodec.Code lastTraining = times.time("decode", () -> s.codec().code(train - 1));
            times.time("rollout", () -> {
                s.rollout().start(s.codec().latents(), train - 1);
                s.rollout().run(horizon);
                return null;
            });
            List<PipelineReport.Frame> frames = new ArrayList<>();
            List<HorizonPoint> points = horizon(s, dt, lastTraining, frames);
            Result result = new Result(proxy, List.copyOf(points), times.asSeconds(), speed(s.rollout()), dt);
            Backend.Vulkan gpu = on.vulkan() != null && on.vulkan().opened() ? on.vulkan() : null;
            return new Outcome(result, frames, gpu != null ? gpu.context().ledger().snapshot() : List.of(),
                    gpu != null ? gpu.context().memoryMap() : sim.memoryMap(), gpu != null ? gpu.context().info().name() : "cpu");
        }
    }

    /** 1. spin-up, 2. the frozen step. */
    private double spinUp(Simulation sim) {
        advance(sim, settings.spinupSteps(), Double.POSITIVE_INFINITY, "sim_spinup");
        double dt = frozenDt(sim);
        options.log().accept(String.format(Locale.ROOT, "spin-up done: %d steps, t = %.4g; frozen dt = %.4g",
                sim.stepCount(), sim.time(), dt));
        return dt;
    }

    /**
     * 3. The training window: every stride steps the state's health is checked and the state is encoded
     * into the next latent column, whose pair with the previous one goes into the Grams. The last
     * validation pairs are held out: the split goes before the latent that ends the first of them.
     */
    private void trainingWindow(Stages s, double dt) {
        int train = settings.trainingSnapshots();
        int split = settings.splitBeforeLatent();
        for (int i = 0; i < train; i++) {
            if (i > 0) {
                advance(s.sim(), settings.stride(), dt, "sim");
            }
            int column = i;
            times.time("diagnostics", () -> {
                trainingHealth.check(new DiagnosticSample(s.sim().stepCount(), s.sim().time(), dt, 0, s.sim().diagnostics()));
                return null;
            });
            times.time("encode", () -> {
                s.codec().encode(s.sim(), column);
                return null;
            });
            times.time("learn", () -> {
                if (column == split) {
                    s.gram().split();
                }
                s.gram().add(s.codec().latents(), column);
                return null;
            });
        }
        options.log().accept(String.format(Locale.ROOT, "training window done: %d snapshots to step %d", train, s.sim().stepCount()));
    }

    /** 4. Learn: the Grams cross to the host once, A is solved there and handed to the rollout. */
    private LinearProxy learn(Stages s) {
        if (!trainingHealth.healthy()) {
            options.log().accept("learning from training data that failed the health check (see the warning above):"
                    + " the proxy will partly learn grid-scale noise");
        }
        LinearProxy proxy = times.time("learn", () -> {
            LinearProxy p = Proxies.learn(s.gram(), settings.proxy());
            s.rollout().setOperator(p);
            return p;
        });
        options.log().accept(String.format(Locale.ROOT, "learnt A (d = %d): λ = %.3g, spectral radius %s, validation error %s",
                proxy.d(), proxy.lambda(), proxy.fit().get("spectral_radius"), proxy.fit().get("validation_relative_error")));
        return proxy;
    }

    /**
     * 6. The horizon: the LES continues as the ground truth; every compareEvery proxy steps (and at the
     * last) the proxy's latent is decoded, latent only and with the last training residual, and compared
     * with the LES field next to the codec floor (the LES field's own code decoded).
     */
    private List<HorizonPoint> horizon(Stages s, double dt, SnapshotCodec.Code lastTraining, List<PipelineReport.Frame> frames) {
        int train = settings.trainingSnapshots();
        int horizon = settings.horizon();
        int n = settings.les().n();
        java.util.Set<Integer> pictured = PipelineReport.picturedSteps(horizon, settings.compareEvery());
        List<HorizonPoint> points = new ArrayList<>();
        double[][] truthField = new double[1][];
        for (int h = 1; h <= horizon; h++) {
            advance(s.sim(), settings.stride(), dt, "sim_truth");
            if (h % settings.compareEvery() != 0 && h != horizon) {
                continue;
            }
            int step = h;
            double[] latentOnly = times.time("decode", () -> s.codec().decode(s.rollout().trajectory(), step, null));
            double[] withResidual = times.time("decode", () -> s.codec().decode(s.rollout().trajectory(), step, lastTraining));
            int truthColumn = train - 1 + h;
            HorizonPoint point = times.time("compare", () -> {
                FieldErrors.Reference truth = FieldErrors.reference(n, s.sim().vorticity());
                truthField[0] = truth.field();
                s.codec().encode(s.sim(), truthColumn);
                SnapshotCodec.Code own = s.codec().code(truthColumn); // Z, α and t of the truth: one read-back on the GPU
                double[] floor = s.codec().decode(s.codec().latents(), truthColumn, own);
                double[] floorLatent = s.codec().decode(s.codec().latents(), truthColumn, null);
                double latentError = Reductions.relL2(s.rollout().trajectory().column(step), own.z());
                return new HorizonPoint(step, s.sim().stepCount(), s.sim().time(), latentError, truth.compare(latentOnly),
                        truth.compare(withResidual), truth.compare(floor), truth.compare(floorLatent));
            });
            points.add(point);
            if (pictured.contains(h)) {
                frames.add(times.time("plot", () -> PipelineReport.Frame.of(n, step, point.lesStep(), point.time(),
                        truthField[0], withResidual)));
            }
        }
        return points;
    }

    /** Advances {@code steps} in chunks the backend takes in one submission, timed under {@code stage}. */
    private void advance(Simulation sim, long steps, double maxDt, String stage) {
        long done = 0;
        double t0 = sim.time();
        while (done < steps) {
            int count = (int) Math.min(steps - done, sim.maxAdvance());
            times.time(stage, () -> sim.advance(count, maxDt));
            done += count;
        }
        if (Double.isFinite(maxDt) && steps > 0) {
            double expected = steps * maxDt;
            double taken = sim.time() - t0;
            // the device sums float32 steps in fp32 runs: rounding, not a cut step, below 1e-5 of the interval
            double tolerance = settings.les().precision() == dev.eddy.numerics.Precision.FP32 ? 1e-5 : 1e-9;
            if (Math.abs(taken - expected) > tolerance * expected) {
                warn(String.format(Locale.ROOT, "the CFL limit cut the frozen step near step %d: %d steps advanced"
                        + " t by %.6g instead of %.6g, so snapshots are not equally spaced there", sim.stepCount(), steps, taken, expected));
            }
        }
    }

    /**
     * The step used from the training window on: fixed-dt runs keep theirs; CFL-adaptive runs freeze 80%
     * of the CFL step of the spun-up state (the LES still clips it if the flow speeds up by more than 25%,
     * and says so).
     */
    private double frozenDt(Simulation sim) {
        var t = settings.les().time();
        if (!t.adaptive()) {
            return t.dt();
        }
        FlowDiagnostics d = sim.diagnostics();
        return Math.min(t.dt(), FROZEN_DT_SAFETY * Courant.step(t, sim.grid(), d.maxU(), d.maxV()));
    }

    private void warn(String w) {
        if (warnings.size() < 20) {
            warnings.add(w);
            System.err.println("eddy: warning: " + w);
        }
    }

    /** The speed figures the pipeline exists for: the LES per step against the proxy per step. */
    private Map<String, Object> speed(Rollout rollout) {
        Map<String, Object> s = new LinkedHashMap<>();
        int stride = settings.stride();
        int horizon = settings.horizon();
        double lesTrain = times.seconds("sim") / settings.windowSteps();
        double lesTruth = times.seconds("sim_truth") / settings.horizonSteps();
        double rolloutSeconds = times.seconds("rollout");
        int decoded = (int) Math.ceil((double) horizon / settings.compareEvery());
        double decodePerFrame = times.seconds("decode") / Math.max(1, 2 * decoded);
        s.put("les_ms_per_step", 1e3 * lesTrain);
        s.put("les_ms_per_step_horizon", 1e3 * lesTruth);
        s.put("encode_ms_per_snapshot", 1e3 * times.seconds("encode") / settings.trainingSnapshots());
        s.put("proxy_ms_per_step_wall", 1e3 * rolloutSeconds / horizon);
        double device = rollout.deviceMillis();
        s.put("proxy_ms_per_step_device", Double.isNaN(device) ? null : device / horizon);
        s.put("proxy_step_les_steps", stride);
        s.put("decode_ms_per_frame", 1e3 * decodePerFrame);
        // The horizon: the LES took sim_truth; the proxy takes the rollout plus decoding every frame the user wants.
        s.put("horizon_les_seconds", times.seconds("sim_truth"));
        s.put("horizon_proxy_seconds_rollout", rolloutSeconds);
        s.put("horizon_proxy_seconds_rollout_and_decode_all", rolloutSeconds + horizon * decodePerFrame);
        s.put("speedup_rollout_vs_les", times.seconds("sim_truth") / rolloutSeconds);
        s.put("speedup_rollout_and_decode_all_vs_les", times.seconds("sim_truth") / (rolloutSeconds + horizon * decodePerFrame));
        s.put("lesstep_over_proxystep", lesTruth * stride / (rolloutSeconds / horizon));
        s.put("pipeline_seconds", times.seconds("sim") + times.seconds("encode") + times.seconds("learn") + rolloutSeconds
                + times.seconds("decode"));
        return s;
    }

    private void fillMetrics(MetricsWriter m, String status, double wall, Outcome outcome) {
        m.put("status", status);
        m.put("wall_seconds", wall);
        m.put("stage_seconds", times.asSeconds());
        m.put("warnings", List.copyOf(warnings));
        if (trainingHealth != null) {
            m.put("training_health", trainingHealth.summary());
        }
        if (outcome == null) {
            return;
        }
        Result r = outcome.result();
        m.put("backends", Map.of("sim", settings.backends().sim(), "codec", settings.backends().codec(),
                "proxy", settings.backends().proxy(), "label", settings.backends().label()));
        m.put("device", outcome.device());
        m.put("frozen_dt", r.frozenDt());
        m.put("latent_dimension", settings.codec().latentDimension());
        m.put("proxy", Map.of("lambda", r.proxy().lambda(), "rank", r.proxy().rank(), "fit", r.proxy().fit()));
        m.put("speed", r.speed());
        m.put("horizon", r.horizon().stream().map(PipelineOutputs::describe).toList());
        m.put("transfers", outcome.transfers());
        m.put("memory_map", outcome.memoryMap());
    }
}
