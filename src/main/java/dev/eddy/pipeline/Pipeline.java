package dev.eddy.pipeline;

import dev.eddy.store.RunFiles;
import dev.eddy.codec.FieldErrors;
import dev.eddy.codec.SnapshotCodec;
import dev.eddy.config.ConfigException;
import dev.eddy.gpu.ContextOptions;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.Json;
import dev.eddy.store.MetricsWriter;
import dev.eddy.proxy.LinearProxy;
import dev.eddy.report.PipelineReport;
import dev.eddy.sim.DiagnosticSample;
import dev.eddy.run.HealthCheck;
import dev.eddy.run.StageTimes;
import dev.eddy.sim.Courant;
import dev.eddy.sim.FlowDiagnostics;
import dev.eddy.sim.Simulation;
import dev.eddy.sim.Simulations;
import dev.eddy.sim.StepInfo;
import dev.eddy.sim.gpu.GpuLes;
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
 * {@code eddy pipeline} (DESIGN.md §4): LES → encode → learn → rollout → decode, compared against the
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
    private final Options options;
    private final StageTimes times = new StageTimes();
    private final List<String> warnings = new ArrayList<>();
    /** The health of the training window's states: a proxy learnt from grid-scale noise learns the noise. */
    private HealthCheck trainingHealth;

    public Pipeline(PipelineSettings settings, Options options) {
        this.settings = settings;
        this.options = options;
    }

    /** Refuses an output path that is a file, a finished pipeline, or a non-empty directory that is no pipeline. */
    public static void checkOutputDirectory(Path dir) throws IOException {
        PipelineStages.check(dir);
    }

    public Result run() throws IOException {
        Path dir = options.dir();
        try (dev.eddy.store.RunLock lock = dev.eddy.store.RunLock.acquire(dir, "pipeline", options.log())) {
            stages = PipelineStages.open(dir, settings, options.log());
            Result r = runLocked(dir);
            stages.done();
            return r;
        }
    }

    /** The pipeline's stage checkpoints (spin-up), so that a killed or failed pipeline resumes. */
    private PipelineStages stages;

    private Result runLocked(Path dir) throws IOException {
        MetricsWriter metrics = new MetricsWriter(options.metrics(), "pipeline");
        metrics.put("settings", settings);
        long t0 = System.nanoTime();
        String status = "running";
        Outcome outcome = null;
        try {
            Outcome done = execute();
            outcome = done;
            status = "completed";
            Result result = done.result();
            writeHorizonCsv(dir.resolve(RunFiles.HORIZON_CSV), result.horizon());
            fillMetrics(metrics, status, (System.nanoTime() - t0) * 1e-9, done);
            if (options.report()) {
                times.time("report", () -> {
                    try {
                        PipelineReport.write(dir, settings, metrics.tree(), done.frames(), options.log());
                    } catch (RuntimeException | IOException | Error e) {
                        // The numbers are complete; pictures are a convenience that can fail on a node without fonts.
                        String why = e.getClass().getSimpleName() + ": " + e.getMessage();
                        warnings.add("report not made: " + why);
                        System.err.println("eddy: warning: the pipeline finished, but its pictures/report could not be made ("
                                + why + ")");
                    }
                    return null;
                });
            }
            options.log().accept(summary(result));
            return result;
        } finally {
            if (options.metrics() != null) {
                fillMetrics(metrics, status, (System.nanoTime() - t0) * 1e-9, outcome);
                metrics.save();
            }
        }
    }

    /** The result plus the comparison frames kept for the pictures, and the ledger of the GPU context. */
    record Outcome(Result result, List<PipelineReport.Frame> frames, List<Map<String, Object>> transfers,
                   List<Map<String, Object>> memoryMap, String device) {
    }

    private Outcome execute() throws IOException {
        Backends b = settings.backends();
        int train = settings.trainingSnapshots();
        int horizon = settings.horizon();
        int columns = train + horizon;
        VulkanContext ctx = b.anyGpu() ? times.time("setup", () -> VulkanContext.open(
                ContextOptions.withDevice(System.getProperty(Simulations.DEVICE_PROPERTY)))) : null;
        try (Closer closer = new Closer(ctx)) {
            Simulation sim = closer.add(times.time("setup", () -> b.sim().equals("vulkan")
                    ? new GpuLes(settings.les(), ctx) : Simulations.create(settings.les())));
            CodecStage codec = closer.add(times.time("setup", () -> CodecStage.create(settings.codec(), b.codec(), ctx, columns,
                    settings.les().threads())));
            ProxyStage proxyStage = closer.add(times.time("setup", () -> ProxyStage.create(b.proxy(), settings.codec()
                    .latentDimension(), settings.les().precision(), ctx, horizon, settings.les().threads())));

            settings.les().time().warnings().forEach(this::warn);
            trainingHealth = new HealthCheck(settings.les().health(), w -> warn("training data: " + w));

            // 1. spin-up, 2. the frozen step
            PipelineStages.Spinup spun = times.time("setup", stages::spinup);
            double dt;
            if (spun != null) {
                sim.restore(spun.state(), spun.step(), spun.time());
                dt = spun.frozenDt();
            } else {
                advance(sim, settings.spinupSteps(), Double.POSITIVE_INFINITY, "sim_spinup");
                dt = frozenDt(sim);
                double frozen = dt;
                times.time("checkpoint", () -> {
                    stages.saveSpinup(sim, frozen, settings.les().precision().bytes());
                    return null;
                });
            }
            options.log().accept(String.format(Locale.ROOT, "spin-up done: %d steps, t = %.4g; frozen dt = %.4g",
                    sim.stepCount(), sim.time(), dt));

            // 3. training window; the last validationPairs pairs are held out: the split goes before the
            // latent that ends the first of them
            int split = settings.splitBeforeLatent();
            for (int i = 0; i < train; i++) {
                if (i > 0) {
                    advance(sim, settings.stride(), dt, "sim");
                }
                int column = i;
                times.time("diagnostics", () -> {
                    trainingHealth.check(new DiagnosticSample(sim.stepCount(), sim.time(), dt, 0, sim.diagnostics()));
                    return null;
                });
                times.time("encode", () -> {
                    codec.encode(sim, column);
                    return null;
                });
                times.time("learn", () -> {
                    if (column == split) {
                        proxyStage.holdOut();
                    }
                    proxyStage.add(codec, column);
                    return null;
                });
            }
            options.log().accept(String.format(Locale.ROOT, "training window done: %d snapshots to step %d", train, sim.stepCount()));
            dev.eddy.io.FaultPoints.reach("pipeline-stage:window");

            // 4. learn
            if (!trainingHealth.healthy()) {
                options.log().accept("learning from training data that failed the health check (see the warning above):"
                        + " the proxy will partly learn grid-scale noise");
            }
            LinearProxy proxy = times.time("learn", () -> proxyStage.learn(settings.proxy()));
            SnapshotCodec.Code lastTraining = times.time("decode", codec::lastCode);
            options.log().accept(String.format(Locale.ROOT, "learnt A (d = %d): λ = %.3g, spectral radius %s, validation error %s",
                    proxy.d(), proxy.lambda(), proxy.fit().get("spectral_radius"), proxy.fit().get("validation_relative_error")));

            // 5. rollout
            times.time("rollout", () -> {
                proxyStage.rollout(codec, train - 1, horizon);
                return null;
            });

            // 6. ground truth and comparisons
            List<HorizonPoint> points = new ArrayList<>();
            List<PipelineReport.Frame> frames = new ArrayList<>();
            int n = settings.les().n();
            java.util.Set<Integer> pictured = PipelineReport.picturedSteps(horizon, settings.compareEvery());
            double[][] truthField = new double[1][];
            for (int h = 1; h <= horizon; h++) {
                advance(sim, settings.stride(), dt, "sim_truth");
                if (h % settings.compareEvery() != 0 && h != horizon) {
                    continue;
                }
                int step = h;
                double[] latentOnly = times.time("decode", () -> proxyStage.decode(codec, step, null));
                double[] withResidual = times.time("decode", () -> proxyStage.decode(codec, step, lastTraining));
                int truthColumn = train - 1 + h;
                HorizonPoint point = times.time("compare", () -> {
                    FieldErrors.Reference truth = FieldErrors.reference(n, sim.vorticity());
                    truthField[0] = truth.field();
                    codec.encode(sim, truthColumn);
                    SnapshotCodec.Code own = codec.lastCode(); // Z, α and t of the truth: one read-back on the GPU
                    double[] zTrue = own.z();
                    double[] floor = codec.decodeColumn(truthColumn, own);
                    double[] floorLatent = codec.decodeColumn(truthColumn, null);
                    return new HorizonPoint(step, sim.stepCount(), sim.time(), relativeError(proxyStage.latent(step), zTrue),
                            truth.compare(latentOnly), truth.compare(withResidual), truth.compare(floor), truth.compare(floorLatent));
                });
                points.add(point);
                if (pictured.contains(h)) {
                    frames.add(times.time("plot", () -> PipelineReport.Frame.of(n, step, point.lesStep(), point.time(),
                            truthField[0], withResidual)));
                }
            }
            Result result = new Result(proxy, List.copyOf(points), times.asSeconds(), speed(proxyStage), dt);
            return new Outcome(result, frames, ctx != null ? ctx.ledger().snapshot() : List.of(), memoryMap(sim, ctx),
                    ctx != null ? ctx.info().name() : "cpu");
        }
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
                String w = String.format(Locale.ROOT, "the CFL limit cut the frozen step near step %d: %d steps advanced"
                        + " t by %.6g instead of %.6g, so snapshots are not equally spaced there", sim.stepCount(), steps, taken, expected);
                warn(w);
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

    private static double relativeError(double[] z, double[] truth) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < z.length; i++) {
            double d = z[i] - truth[i];
            num += d * d;
            den += truth[i] * truth[i];
        }
        return Math.sqrt(num / den);
    }

    /** The speed figures the pipeline exists for: the LES per step against the proxy per step. */
    private Map<String, Object> speed(ProxyStage proxyStage) {
        Map<String, Object> s = new LinkedHashMap<>();
        int stride = settings.stride();
        int horizon = settings.horizon();
        double lesTrain = times.seconds("sim") / settings.windowSteps();
        double lesTruth = times.seconds("sim_truth") / settings.horizonSteps();
        double rollout = times.seconds("rollout");
        int decoded = (int) Math.ceil((double) horizon / settings.compareEvery());
        double decodePerFrame = times.seconds("decode") / Math.max(1, 2 * decoded);
        s.put("les_ms_per_step", 1e3 * lesTrain);
        s.put("les_ms_per_step_horizon", 1e3 * lesTruth);
        s.put("encode_ms_per_snapshot", 1e3 * times.seconds("encode") / settings.trainingSnapshots());
        s.put("proxy_ms_per_step_wall", 1e3 * rollout / horizon);
        double device = proxyStage.deviceMillis();
        s.put("proxy_ms_per_step_device", Double.isNaN(device) ? null : device / horizon);
        s.put("proxy_step_les_steps", stride);
        s.put("decode_ms_per_frame", 1e3 * decodePerFrame);
        // The horizon: the LES took sim_truth; the proxy takes the rollout plus decoding every frame the user wants.
        s.put("horizon_les_seconds", times.seconds("sim_truth"));
        s.put("horizon_proxy_seconds_rollout", rollout);
        s.put("horizon_proxy_seconds_rollout_and_decode_all", rollout + horizon * decodePerFrame);
        s.put("speedup_rollout_vs_les", times.seconds("sim_truth") / rollout);
        s.put("speedup_rollout_and_decode_all_vs_les", times.seconds("sim_truth") / (rollout + horizon * decodePerFrame));
        s.put("lesstep_over_proxystep", lesTruth * stride / (rollout / horizon));
        s.put("pipeline_seconds", times.seconds("sim") + times.seconds("encode") + times.seconds("learn") + rollout
                + times.seconds("decode"));
        return s;
    }

    private static List<Map<String, Object>> memoryMap(Simulation sim, VulkanContext ctx) {
        return ctx != null ? ctx.memoryMap() : sim.memoryMap();
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
        m.put("horizon", r.horizon().stream().map(Pipeline::describe).toList());
        m.put("transfers", outcome.transfers());
        m.put("memory_map", outcome.memoryMap());
    }

    private static Map<String, Object> describe(HorizonPoint p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("proxy_step", p.step());
        m.put("les_step", p.lesStep());
        m.put("time", p.time());
        m.put("latent_rel_error", p.latentRelError());
        m.put("latent_only", p.latentOnly());
        m.put("with_residual", p.withResidual());
        m.put("codec_floor", p.codecFloor());
        m.put("codec_floor_latent_only", p.codecFloorLatentOnly());
        return m;
    }

    /** The horizon table for pandas: one row per compared proxy step. */
    static void writeHorizonCsv(Path file, List<HorizonPoint> points) throws IOException {
        StringBuilder s = new StringBuilder("proxy_step,les_step,time,latent_rel_error");
        for (String prefix : new String[] {"latent_only", "with_residual", "codec_floor", "codec_floor_latent_only"}) {
            for (String f : new String[] {"rel_l2", "max_error", "psnr_db", "correlation", "energy_rel_error", "enstrophy_rel_error"}) {
                s.append(',').append(prefix).append('_').append(f);
            }
        }
        s.append('\n');
        for (HorizonPoint p : points) {
            s.append(p.step()).append(',').append(p.lesStep()).append(',').append(num(p.time())).append(',')
                    .append(num(p.latentRelError()));
            for (FieldErrors e : new FieldErrors[] {p.latentOnly(), p.withResidual(), p.codecFloor(), p.codecFloorLatentOnly()}) {
                s.append(',').append(num(e.relL2())).append(',').append(num(e.maxError())).append(',').append(num(e.psnrDb()))
                        .append(',').append(num(e.correlation())).append(',').append(num(e.energyRelError())).append(',')
                        .append(num(e.enstrophyRelError()));
            }
            s.append('\n');
        }
        AtomicFiles.writeString(file, s.toString());
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.9g", v);
    }

    private String summary(Result r) {
        Map<String, Object> s = r.speed();
        HorizonPoint last = r.horizon().getLast();
        HorizonPoint first = r.horizon().getFirst();
        return String.format(Locale.ROOT, "done (%s pipeline): LES %.4g ms/step, proxy %.4g ms/step (= %d LES steps);"
                        + " rel L2 with residual %.3g after %d proxy step(s), %.3g after %d (codec floor %.3g); output in %s",
                settings.backends().label(), (double) s.get("les_ms_per_step_horizon"), (double) s.get("proxy_ms_per_step_wall"),
                settings.stride(), first.withResidual().relL2(), first.step(), last.withResidual().relL2(), last.step(),
                last.codecFloor().relL2(), options.dir());
    }

    /** Closes the stages in reverse order, then the shared context (after every buffer on it is gone). */
    private static final class Closer implements AutoCloseable {
        private final VulkanContext ctx;
        private final List<AutoCloseable> stages = new ArrayList<>();

        Closer(VulkanContext ctx) {
            this.ctx = ctx;
        }

        <T extends AutoCloseable> T add(T stage) {
            stages.add(stage);
            return stage;
        }

        @Override
        public void close() {
            RuntimeException failure = null;
            for (int i = stages.size() - 1; i >= 0; i--) {
                try {
                    stages.get(i).close();
                } catch (Exception e) {
                    failure = failure == null ? new IllegalStateException("closing a pipeline stage failed", e) : failure;
                }
            }
            if (ctx != null) {
                ctx.close();
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
