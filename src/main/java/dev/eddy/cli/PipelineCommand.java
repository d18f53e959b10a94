package dev.eddy.cli;

import dev.eddy.codec.CodecSettings;
import dev.eddy.config.BackendKind;
import dev.eddy.config.ConfigException;
import dev.eddy.config.ConfigLoader;
import dev.eddy.config.RunConfig;
import dev.eddy.pipeline.Backends;
import dev.eddy.pipeline.Pipeline;
import dev.eddy.pipeline.PipelineSettings;
import dev.eddy.proxy.ProxySettings;
import dev.eddy.store.RunFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code eddy pipeline}: LES → encode → learn → rollout → decode, compared with the LES over the horizon. */
@Command(name = "pipeline", header = "Run LES → encode → learn → rollout → decode, and compare the proxy with the LES over a horizon.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the LES through a spin-up and a training window, encode a snapshot every --stride steps, learn the"
                + " linear proxy z ← A z on the latents, roll it out over --horizon steps from the last training latent, decode,"
                + " and judge it against the LES continued over the same horizon, next to persistence, the span floor and the"
                + " codec floor.",
                "Writes pipeline.json, horizon.csv, rom.h5 (the reduced-order model), metrics.json (with --log-metrics),"
                + " pictures/ and report.html into --out; docs/pipeline.md explains each.",
                "LES settings: the defaults, then --preset (default kolmogorov-256 with N = 128), --config, then the flags."})
public final class PipelineCommand implements Callable<Integer> {
    static final String DEFAULT_PRESET = "kolmogorov-256";
    static final int DEFAULT_N = 128;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "output directory (new, or empty)")
    Path out;
    @Option(names = "--preset", paramLabel = "NAME", description = "named LES settings from config/ (default ${DEFAULT-VALUE})",
            defaultValue = DEFAULT_PRESET)
    String preset;
    @Option(names = "--config", paramLabel = "FILE", description = "LES settings JSON, e.g. a run's config.json")
    Path configFile;
    @Mixin
    LesFlags les;

    @Option(names = "--spinup", paramLabel = "STEPS", defaultValue = "1000",
            description = "LES steps before the training window, past the initial transient (default ${DEFAULT-VALUE})")
    long spinup;
    @Option(names = "--window", paramLabel = "STEPS", defaultValue = "400",
            description = "LES steps of the training window (default ${DEFAULT-VALUE})")
    long window;
    @Option(names = "--stride", paramLabel = "STEPS", defaultValue = "10",
            description = "LES steps between snapshots = one proxy step (default ${DEFAULT-VALUE})")
    int stride;
    @Option(names = "--horizon", paramLabel = "STEPS", defaultValue = "200",
            description = "LES steps the proxy predicts, a multiple of --stride (default ${DEFAULT-VALUE})")
    long horizon;
    @Option(names = "--compare-every", paramLabel = "PROXY_STEPS", defaultValue = "1",
            description = "decode and compare every this many proxy steps (default ${DEFAULT-VALUE}; the last is always compared)")
    int compareEvery;

    @Mixin
    CodecFlags codecFlags;

    @Option(names = "--lambda", paramLabel = "λ|auto", defaultValue = "auto",
            description = "ridge λ (relative to tr(X Xᵀ)/d), or auto: chosen on the last --validation pairs (default ${DEFAULT-VALUE})")
    String lambda;
    @Option(names = "--rank", defaultValue = "0", description = "DMD-style rank truncation of A (0 = full rank)") int rank;
    @Option(names = "--validation", paramLabel = "FRACTION", defaultValue = "0.2",
            description = "fraction of the training pairs held out to choose λ (default ${DEFAULT-VALUE})")
    double validation;

    @Mixin
    BackendFlags where;
    @Option(names = "--sim", description = "backend of the LES: cpu or vulkan") String simBackend;
    @Option(names = "--codec", description = "backend of the codec: cpu or vulkan") String codecBackend;
    @Option(names = "--proxy", description = "backend of the proxy: cpu or vulkan") String proxyBackend;

    @Option(names = "--log-metrics", arity = "0..1", paramLabel = "FILE", fallbackValue = "",
            description = "write the metrics JSON (default DIR/metrics.json)")
    String logMetrics;
    @Option(names = "--quiet", description = "no progress lines") boolean quiet;
    @Option(names = "--no-report", description = "skip the pictures and report") boolean noReport;
    @Option(names = "--save-fields", description = "also keep the LES and predicted fields of every compared step in rom.h5 (float32)")
    boolean saveFields;

    @Override
    public Integer call() throws Exception {
        PipelineSettings settings = settings();
        dev.eddy.sim.cpu.HostMemory.requireCpuLes(settings.les());
        Pipeline.checkOutputDirectory(out);
        Path metrics = logMetrics == null ? null : logMetrics.isEmpty() ? out.resolve(RunFiles.METRICS) : Path.of(logMetrics);
        var log = quiet ? (java.util.function.Consumer<String>) s -> { } : (java.util.function.Consumer<String>) System.err::println;
        try (Backends.Running backends = settings.backends().open(where.device.device, settings.les().threads())) {
            new Pipeline(settings, backends, new Pipeline.Options(out, metrics, log, !noReport, saveFields)).run();
        }
        return ExitCodes.OK;
    }

    PipelineSettings settings() {
        BackendKind all = where.kind(BackendKind.CPU);
        Backends b = new Backends(simBackend != null ? BackendKind.parse("--sim", simBackend) : all,
                codecBackend != null ? BackendKind.parse("--codec", codecBackend) : all, proxyBackend != null ? BackendKind.parse("--proxy", proxyBackend) : all);
        ConfigLoader loader = new ConfigLoader();
        loader.preset(preset);
        if (configFile != null) {
            loader.overlay(configFile);
        }
        if (les.n == null && configFile == null && preset.equals(DEFAULT_PRESET)) {
            loader.set("n", DEFAULT_N);
        }
        loader.setAll(les.values());
        loader.set("backend", b.sim()).set("threads", where.threads());
        RunConfig config = loader.build();
        double l;
        if (lambda.equalsIgnoreCase("auto")) {
            l = Double.NaN;
        } else {
            try {
                l = Double.parseDouble(lambda);
                if (!Double.isFinite(l)) {
                    throw new NumberFormatException("not a finite number"); // NaN used to mean auto, silently
                }
            } catch (NumberFormatException e) {
                throw new ConfigException("--lambda must be a number ≥ 0 or auto, got " + lambda);
            }
        }
        CodecSettings codec = codecFlags.settings(config.n(), config.precision());
        ProxySettings proxy = new ProxySettings(l, rank, Double.isNaN(l) ? validation : 0);
        return new PipelineSettings(config, spinup, window, stride, horizon, codec, proxy, b, compareEvery);
    }
}
