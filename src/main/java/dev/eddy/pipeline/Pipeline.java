package dev.eddy.pipeline;

import dev.eddy.backend.Backend;
import dev.eddy.backend.Latents;
import dev.eddy.codec.Codecs;
import dev.eddy.codec.SnapshotCodec;
import dev.eddy.config.BackendKind;
import dev.eddy.config.ConfigException;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.FaultPoints;
import dev.eddy.io.Json;
import dev.eddy.proxy.GramAccumulator;
import dev.eddy.proxy.LinearProxy;
import dev.eddy.proxy.Proxies;
import dev.eddy.proxy.RidgeForm;
import dev.eddy.proxy.RidgeLearner;
import dev.eddy.proxy.Rollout;
import dev.eddy.proxy.SpanProjection;
import dev.eddy.proxy.Spectrum;
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
import dev.eddy.store.RunLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.ejml.data.Complex_F64;

/**
 * {@code eddy pipeline} (design §4): LES → encode → learn → rollout → decode, judged against the LES
 * continued over the same horizon, next to the baselines that say what the proxy is worth.
 *
 * <ol>
 * <li>spin-up: the LES runs {@code spinupSteps} past its initial transient (CFL-adaptive if so set);</li>
 * <li>the time step is then frozen (80% of the CFL step at the end of the spin-up), because a linear
 *     proxy needs snapshots equally spaced in time;</li>
 * <li>training window: every {@code stride} steps the state's health is checked and it is encoded into
 *     the next latent column (its residual code kept in the column's code slot); in the primal form the
 *     pairs also go into the d×d Grams as they come;</li>
 * <li>learn: in the form the sizes call for ({@link RidgeForm}: the snapshot form when there are fewer
 *     pairs than d, with ZᵀZ formed where the latents live), λ by validation on the last pairs; the
 *     residual's fading c_h from the residual Gram of the window ({@link ResidualFade});</li>
 * <li>rollout: z ← A z for the horizon from the last training latent;</li>
 * <li>the verdict: the LES continues over the horizon; every {@code compareEvery} proxy steps (and at
 *     the last) {@link HorizonJudge} compares, where the codec runs, the proxy decoded with the faded
 *     residual, latent only and with the stale residual, against the LES field, next to persistence, the
 *     span floor and the codec floor.</li>
 * </ol>
 * Stages are timed apart: setup_device (the Vulkan context), setup_sim, setup_codec, setup_proxy,
 * sim_spinup, sim (training window), diagnostics, encode, learn, residual_fade, rollout, sim_truth (the
 * LES over the horizon: what the proxy replaces), compare (the verdict, which a production rollout would
 * not do), decode (the fields of the pictures, and one timed decode), truth_fields (the LES fields of the
 * pictures and of --save-fields), plot, spectrum, rom and report.
 */
public final class Pipeline {
    /** Fraction of the CFL step used as the frozen step, so the flow can speed up a little before dt must shrink. */
    static final double FROZEN_DT_SAFETY = 0.8;

    /**
     * @param dir        output directory (new, or empty)
     * @param metrics    where to write the metrics JSON, or null (it is kept in memory for the report)
     * @param log        progress lines
     * @param report     make the pictures and report.html/report.md at the end
     * @param saveFields also keep the LES and predicted fields of every compared step in rom.h5
     */
    public record Options(Path dir, Path metrics, Consumer<String> log, boolean report, boolean saveFields) {
        public Options(Path dir, Path metrics, Consumer<String> log, boolean report) {
            this(dir, metrics, log, report, false);
        }
    }

    /** What a finished pipeline did. */
    public record Result(LinearProxy proxy, List<HorizonPoint> horizon, Map<String, Double> stageSeconds,
                         Map<String, Object> speed, double frozenDt, ResidualFade fade, List<Complex_F64> eigenvalues) {
    }

    private final PipelineSettings settings;
    /** The caller's running backends, or null: the pipeline opens its own (the default device) and closes them. */
    private final Backends.Running backends;
    private final Options options;
    private final StageTimes times = new StageTimes();
    private final List<String> warnings = new ArrayList<>();
    /** The health of the training window's states: a proxy learnt from grid-scale noise learns the noise. */
    private HealthCheck trainingHealth;
    private final Cuts cuts = new Cuts();

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

    /** Refuses an output path that is a file, a finished pipeline, or a non-empty directory that is no pipeline. */
    public static void checkOutputDirectory(Path dir) throws IOException {
        PipelineStages.check(dir);
    }

    /**
     * Runs the pipeline in {@code dir}, holding its lock: a new directory, or an unfinished pipeline's, which
     * is resumed from its stage checkpoints when the settings are the same (else started again in place).
     */
    public Result run() throws IOException {
        Path dir = options.dir();
        checkOutputDirectory(dir);
        if (options.saveFields()) {
            RomFile.checkFieldsFit(settings);
        }
        try (RunLock lock = RunLock.acquire(dir, "pipeline", options.log())) {
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
        try (Backends.Running own = backends == null ? settings.backends().open(null, settings.les().threads()) : null) {
            Outcome done = execute(backends != null ? backends : own);
            outcome = done;
            status = "completed";
            Result result = done.result();
            PipelineOutputs.writeHorizonCsv(dir.resolve(RunFiles.HORIZON_CSV), result.horizon());
            verdictWarnings(result);
            fillMetrics(metrics, status, (System.nanoTime() - t0) * 1e-9, done);
            if (options.report()) {
                report(dir, metrics, done);
            }
            options.log().accept(PipelineOutputs.verdict(settings, result));
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

    /** The stages on their backends; {@code gram} only in the primal form (the snapshot form reads the latents where they are). */
    private record Stages(Simulation sim, SnapshotCodec codec, GramAccumulator gram, Rollout rollout, Backend proxyBackend) {
    }

    private Outcome execute(Backends.Running on) throws IOException {
        int train = settings.trainingSnapshots();
        int horizon = settings.horizon();
        int d = settings.codec().latentDimension();
        var precision = settings.les().precision();
        RidgeForm form = Proxies.form(d, train - 1L);
        // the first fit of a process pays for class loading and the JIT: warm the learner on a host core the GPU leaves idle
        CompletableFuture<Void> warm = on.sim().kind() == BackendKind.VULKAN ? CompletableFuture.runAsync(RidgeLearner::warmUp)
                : CompletableFuture.completedFuture(null);
        // closed in reverse order of creation, before the backends
        if (on.vulkan() != null) {
            times.time("setup_device", () -> on.vulkan().context()); // instance, device, queue: opened once for every stage
            on.vulkan().softwareDeviceWarning().ifPresent(this::warn);
        }
        try (Simulation sim = times.time("setup_sim", () -> Simulations.create(settings.les(), on.sim()));
             SnapshotCodec codec = times.time("setup_codec", () -> Codecs.create(settings.codec(), on.codec(), train + horizon));
             GramAccumulator gram = form == RidgeForm.PRIMAL ? times.time("setup_proxy", () -> Proxies.gram(on.proxy(), d, precision))
                     : null;
             Rollout rollout = times.time("setup_proxy", () -> Proxies.rollout(on.proxy(), d, horizon, precision))) {
            Stages s = new Stages(sim, codec, gram, rollout, on.proxy());
            settings.les().time().warnings().forEach(this::warn);
            trainingHealth = new HealthCheck(settings.les().health(), w -> warn("training data: " + w));
            WindowCheckpoint window = times.time("checkpoint", () -> stages.window(precision.bytes()));
            double dt;
            if (window != null) {
                dt = resumeWindow(s, window);
            } else {
                dt = spinUp(s.sim());
                trainingWindow(s, dt);
            }
            times.time("compare", () -> {
                s.codec().reference(SnapshotCodec.HELD, s.sim()); // persistence: the last training field, held where the codec runs
                return null;
            });
            LinearProxy proxy = learn(s, warm);
            ResidualFade fade = times.time("residual_fade", () -> ResidualFade.fromLags(residualBand, train, horizon));
            times.time("rollout", () -> {
                s.rollout().start(s.codec().latents(), train - 1);
                s.rollout().run(horizon);
                return null;
            });
            List<PipelineReport.Frame> frames = new ArrayList<>();
            RomFile.Fields fields = options.saveFields() ? new RomFile.Fields(settings) : null;
            Horizon verdict = horizon(s, dt, fade, frames, fields);
            List<Complex_F64> eigenvalues = times.time("spectrum", () -> eigenvalues(proxy));
            Result result = new Result(proxy, List.copyOf(verdict.points()), times.asSeconds(), speed(s.rollout(), verdict.fieldsDecoded()),
                    dt, fade, eigenvalues);
            times.time("rom", () -> {
                RomFile.write(options.dir().resolve(RunFiles.ROM), settings, result, s.codec().latents(), s.rollout().trajectory(),
                        fields);
                return null;
            });
            Backend.Vulkan gpu = on.vulkan() != null && on.vulkan().opened() ? on.vulkan() : null;
            return new Outcome(result, frames, gpu != null ? gpu.context().ledger().snapshot() : List.of(),
                    gpu != null ? gpu.context().memoryMap() : sim.memoryMap(), gpu != null ? gpu.context().info().name() : "cpu");
        }
    }

    /** A's nonzero eigenvalues when the matrix they come from is small enough to solve exactly (else empty: the fit's power estimate stands). */
    private static List<Complex_F64> eigenvalues(LinearProxy proxy) {
        int size = proxy.factors().map(f -> f.m()).orElse(proxy.d());
        return size <= Spectrum.EXACT_MAX ? Spectrum.eigenvalues(proxy) : List.of();
    }

    /** 1. spin-up, 2. the frozen step; taken from the stage checkpoint when an unfinished pipeline resumes. */
    private double spinUp(Simulation sim) throws IOException {
        PipelineStages.Spinup spun = times.time("checkpoint", stages::spinup);
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
        return dt;
    }

    /**
     * 3. The training window: every stride steps the state's health is checked and the state is encoded
     * into the next latent column; in the primal form its pair with the previous one goes into the Grams
     * (the last validation pairs held out: the split goes before the latent that ends the first of them).
     */
    private void trainingWindow(Stages s, double dt) throws IOException {
        int train = settings.trainingSnapshots();
        int warningsBefore = warnings.size();
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
            accumulate(s, column, "learn");
        }
        cuts.report("training window", this::warn);
        options.log().accept(String.format(Locale.ROOT, "training window done: %d snapshots to step %d", train, s.sim().stepCount()));
        // the fade is learnt from these products of the window's codes: taken now, only they (and the last code) need be kept
        residualBand = times.time("residual_fade", () -> s.codec().residualLags(0, train, settings.horizon()));
        saveWindow(s, dt, warnings.subList(warningsBefore, warnings.size()));
        FaultPoints.reach("pipeline-stage:window");
    }

    /** In the primal form, latent {@code column} of the window goes into the Grams (the split before the validation pairs). */
    private void accumulate(Stages s, int column, String stage) {
        if (s.gram() != null) {
            times.time(stage, () -> {
                if (column == settings.splitBeforeLatent()) {
                    s.gram().split();
                }
                s.gram().add(s.codec().latents(), column);
                return null;
            });
        }
    }

    /** The residual products of the window's codes at lags 0..horizon, from which the fade is learnt. */
    private double[] residualBand;
    /** The training window's stage times in the process that ran it, when this one resumed from its checkpoint (else empty). */
    private Map<String, Double> restoredWindowSeconds = Map.of();

    /** The window's checkpoint: what learn, residual_fade, rollout and the horizon read (the latents are read back once from a device). */
    private void saveWindow(Stages s, double dt, List<String> windowWarnings) throws IOException {
        int train = settings.trainingSnapshots();
        times.time("checkpoint", () -> {
            Map<String, Double> seconds = new LinkedHashMap<>();
            for (String stage : WINDOW_STAGES) {
                seconds.put(stage, times.seconds(stage));
            }
            double[] state = s.sim().spectralState();
            SnapshotCodec.Code last = s.codec().code(train - 1);
            WindowCheckpoint.Header h = new WindowCheckpoint.Header(s.sim().stepCount(), s.sim().time(), dt, state.length,
                    settings.codec().latentDimension(), train, last.alpha().length, last.packed().length, settings.horizon(),
                    residualBand, trainingHealth.state(), List.copyOf(windowWarnings), seconds);
            stages.saveWindow(h, state, s.codec().latents().columns(0, train), last, settings.les().precision().bytes());
            return null;
        });
    }

    /** The stages of the training window whose times the speed figures read. */
    private static final List<String> WINDOW_STAGES = List.of("sim", "diagnostics", "encode", "learn");

    /**
     * 1.–3. from the window's checkpoint: the LES at the end of the window, the latents and the last code
     * back in the codec, the Grams formed again from them (primal form), the window's health and warnings.
     */
    private double resumeWindow(Stages s, WindowCheckpoint w) {
        int train = settings.trainingSnapshots();
        WindowCheckpoint.Header h = w.header();
        if (h.columns() != train || h.d() != settings.codec().latentDimension() || h.maxLag() != settings.horizon()) {
            throw new IllegalStateException("the window checkpoint's sizes (" + h.d() + "×" + h.columns() + ", lags " + h.maxLag()
                    + ") are not this pipeline's: its settings file should have told them apart");
        }
        times.time("checkpoint", () -> {
            s.sim().restore(w.state(), h.step(), h.time());
            s.codec().restoreLatents(w.latents(), 0, train);
            s.codec().restoreCode(train - 1, w.lastCode());
            return null;
        });
        for (int column = 0; column < train; column++) {
            accumulate(s, column, "checkpoint"); // the window's own adds are in its "learn" time, restored below
        }
        trainingHealth.restore(h.health());
        h.warnings().forEach(this::warn);
        residualBand = h.band();
        restoredWindowSeconds = h.windowSeconds();
        options.log().accept(String.format(Locale.ROOT, "training window restored: %d snapshots to step %d, t = %.4g; frozen dt = %.4g",
                train, s.sim().stepCount(), s.sim().time(), h.frozenDt()));
        return h.frozenDt();
    }

    /** The seconds of a window stage: this process's, plus the window's own when it came from the checkpoint. */
    private double windowSeconds(String stage) {
        return times.seconds(stage) + restoredWindowSeconds.getOrDefault(stage, 0.0);
    }

    /** 4. Learn: A in the form the sizes call for, handed to the rollout. */
    private LinearProxy learn(Stages s, CompletableFuture<Void> warm) {
        if (!trainingHealth.healthy()) {
            options.log().accept("learning from training data that failed the health check (see the warning above):"
                    + " the proxy will partly learn grid-scale noise");
        }
        int train = settings.trainingSnapshots();
        times.time("learn_warmup_wait", warm::join); // normally done long before: it ran while the GPU took the window
        LinearProxy proxy = times.time("learn", () -> {
            LinearProxy p = s.gram() != null ? Proxies.learn(s.gram(), settings.proxy())
                    : Proxies.learn(s.proxyBackend(), s.codec().latents(), train, settings.splitBeforeLatent(), settings.proxy());
            s.rollout().setOperator(p);
            return p;
        });
        options.log().accept(String.format(Locale.ROOT, "learnt A (d = %d, %s form): λ = %.3g, spectral radius %s, validation error %s",
                proxy.d(), proxy.fit().get("form"), proxy.lambda(), proxy.fit().get("spectral_radius"),
                proxy.fit().get("validation_relative_error")));
        return proxy;
    }

    /**
     * 6. The horizon: the LES continues as the ground truth; every compareEvery proxy steps (and at the
     * last) the verdict is taken where the codec runs; the fields themselves cross only for the pictured
     * steps (and, with --save-fields, every compared step).
     */
    private Horizon horizon(Stages s, double dt, ResidualFade fade, List<PipelineReport.Frame> frames, RomFile.Fields fields) {
        int train = settings.trainingSnapshots();
        int horizon = settings.horizon();
        int n = settings.les().n();
        int d = settings.codec().latentDimension();
        Latents trajectory = s.rollout().trajectory();
        List<Integer> compared = new ArrayList<>();
        for (int h = 1; h <= horizon; h++) {
            if (h % settings.compareEvery() == 0 || h == horizon) {
                compared.add(h);
            }
        }
        java.util.Set<Integer> pictured = PipelineReport.picturedSteps(horizon, settings.compareEvery());
        List<HorizonPoint> points = new ArrayList<>();
        int[] decoded = {0};
        try (HorizonJudge judge = times.time("compare", () -> new HorizonJudge(s.codec(), s.sim(), trajectory, train - 1, fade,
                new SpanProjection(s.codec().latents().columns(0, train), d, train), compared))) {
            for (int h = 1; h <= horizon; h++) {
                advance(s.sim(), settings.stride(), dt, "sim_truth");
                if (!compared.contains(h)) {
                    continue;
                }
                int step = h;
                HorizonPoint point = times.time("compare", () -> judge.judge(step));
                points.add(point);
                boolean picture = options.report() && pictured.contains(h);
                // the prediction's field crosses for the pictures, for --save-fields, and once at the last step (the decode timing)
                if (picture || fields != null || h == horizon) {
                    double[] predicted = times.time("decode", () -> s.codec().decode(trajectory, step, judge.faded(step)));
                    decoded[0]++;
                    if (picture || fields != null) {
                        // the LES field itself, for the eye: not part of the verdict (which compares on the device)
                        double[] truth = times.time("truth_fields", () -> s.sim().vorticity());
                        if (picture) {
                            frames.add(times.time("plot", () -> PipelineReport.Frame.of(n, step, point.lesStep(), point.time(), truth,
                                    predicted)));
                        }
                        if (fields != null) {
                            fields.add(step, truth, predicted);
                        }
                    }
                }
            }
            compareWaitMillis = judge.waitMillis();
            compareDeviceMillis = judge.deviceMillis();
        }
        cuts.report("horizon", this::warn);
        return new Horizon(points, decoded[0]);
    }

    /** The host's waits on the device in the compared steps, and the device's own time there (by its timestamps), in ms. */
    private double compareWaitMillis = Double.NaN;
    private double compareDeviceMillis = Double.NaN;

    /** The verdict's points, and how many predicted fields were decoded to the host (the decode timing's count). */
    private record Horizon(List<HorizonPoint> points, int fieldsDecoded) {
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
                cuts.add(sim.stepCount(), taken / expected);
            }
        }
    }

    /** Intervals where the CFL limit cut the frozen step, gathered over a stage and reported once. */
    private static final class Cuts {
        private int count;
        private long first;
        private long last;
        private double worst = 1;

        void add(long step, double ratio) {
            if (count++ == 0) {
                first = step;
            }
            last = step;
            worst = Math.min(worst, ratio);
        }

        /** One warning for the stage's cuts, if any; then starts over. */
        void report(String stage, java.util.function.Consumer<String> warn) {
            if (count > 0) {
                warn.accept(String.format(Locale.ROOT, "the CFL limit cut the frozen step in %d interval(s) of the %s, from step %d to"
                        + " %d (at worst to %.3g of it): the flow sped up by more than the frozen step's margin, so snapshots there"
                        + " are not equally spaced and the proxy's step is not one stride (a shorter --window, or a lower --cfl for"
                        + " the spin-up, keeps them equal)", count, stage, first, last, worst));
            }
            count = 0;
            worst = 1;
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

    /** The warnings a verdict must carry ({@link PipelineOutputs#warnings}), in the console, metrics.json and the report. */
    private void verdictWarnings(Result r) {
        PipelineOutputs.warnings(r).forEach(this::warn);
    }

    /** The speed figures the pipeline exists for: the LES per step against the proxy per step. */
    private Map<String, Object> speed(Rollout rollout, int framesDecoded) {
        Map<String, Object> s = new LinkedHashMap<>();
        int stride = settings.stride();
        int horizon = settings.horizon();
        double lesTrain = windowSeconds("sim") / settings.windowSteps();
        double lesTruth = times.seconds("sim_truth") / settings.horizonSteps();
        double rolloutSeconds = times.seconds("rollout");
        double decodePerFrame = framesDecoded == 0 ? Double.NaN : times.seconds("decode") / framesDecoded;
        int compared = (int) Math.ceil((double) horizon / settings.compareEvery());
        s.put("les_ms_per_step", 1e3 * lesTrain);
        s.put("les_ms_per_step_horizon", 1e3 * lesTruth);
        s.put("encode_ms_per_snapshot", 1e3 * windowSeconds("encode") / settings.trainingSnapshots());
        s.put("proxy_ms_per_step_wall", 1e3 * rolloutSeconds / horizon);
        double device = rollout.deviceMillis();
        s.put("proxy_ms_per_step_device", Double.isNaN(device) ? null : device / horizon);
        s.put("proxy_step_les_steps", stride);
        s.put("decode_ms_per_frame", 1e3 * decodePerFrame);
        s.put("compare_ms_per_step", 1e3 * times.seconds("compare") / compared);
        // of which: waiting for the device in the compared steps (0 on the host), and the device's own time there (0 without timestamps)
        s.put("compare_wait_ms_per_step", compareWaitMillis / compared);
        s.put("compare_device_ms_per_step", compareDeviceMillis / compared);
        // The horizon: the LES took sim_truth; the proxy takes the rollout plus decoding every frame the user wants.
        s.put("horizon_les_seconds", times.seconds("sim_truth"));
        s.put("horizon_proxy_seconds_rollout", rolloutSeconds);
        s.put("horizon_proxy_seconds_rollout_and_decode_all", rolloutSeconds + horizon * decodePerFrame);
        s.put("speedup_rollout_vs_les", times.seconds("sim_truth") / rolloutSeconds);
        s.put("speedup_rollout_and_decode_all_vs_les", times.seconds("sim_truth") / (rolloutSeconds + horizon * decodePerFrame));
        s.put("lesstep_over_proxystep", lesTruth * stride / (rolloutSeconds / horizon));
        s.put("pipeline_seconds", windowSeconds("sim") + windowSeconds("encode") + windowSeconds("learn") + rolloutSeconds);
        return s;
    }

    private void fillMetrics(MetricsWriter m, String status, double wall, Outcome outcome) {
        m.put("status", status);
        m.put("wall_seconds", wall);
        m.put("stage_seconds", times.asSeconds());
        if (!restoredWindowSeconds.isEmpty()) {
            // this process did not run the window: its speed figures take the window's times from the checkpoint
            m.put("resumed_from", Map.of("stage", "window", "window_stage_seconds", restoredWindowSeconds));
        }
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
        Map<String, Object> proxy = new LinkedHashMap<>();
        proxy.put("lambda", r.proxy().lambda());
        proxy.put("rank", r.proxy().rank());
        proxy.put("fit", r.proxy().fit());
        proxy.put("eigenvalues", PipelineOutputs.eigenvalues(r.eigenvalues()));
        m.put("proxy", proxy);
        m.put("residual_fade", r.fade().describe());
        m.put("speed", r.speed());
        m.put("verdict", PipelineOutputs.verdictMap(r));
        m.put("horizon", r.horizon().stream().map(PipelineOutputs::describe).toList());
        m.put("transfers", outcome.transfers());
        m.put("memory_map", outcome.memoryMap());
    }
}
