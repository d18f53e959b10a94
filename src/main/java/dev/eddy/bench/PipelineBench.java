package dev.eddy.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.codec.CodecSettings;
import dev.eddy.config.BackendKind;
import dev.eddy.config.ConfigLoader;
import dev.eddy.config.RunConfig;
import dev.eddy.io.Json;
import dev.eddy.numerics.Precision;
import dev.eddy.pipeline.Backends;
import dev.eddy.pipeline.Pipeline;
import dev.eddy.pipeline.PipelineSettings;
import dev.eddy.proxy.ProxySettings;
import dev.eddy.store.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The comparison the project exists for (issue #6): the CPU pipeline, the mixed one (CPU LES and codec,
 * GPU proxy) and the full GPU pipeline on the same case, same N and same steps, each a real
 * {@link Pipeline} run whose metrics JSON is summarised into one row; then how accuracy and speed move
 * with the stride, the latent size K and the precision (GPU pipeline at one N).
 */
public final class PipelineBench {
    /** The case every row runs: the Kolmogorov preset at N, and the pipeline's step counts. */
    public record Case(int n, Precision precision, Backends backends, long spinup, long window, int stride, long horizon, int k,
                       int tile, double theta, int compareEvery, String preset, int threads) {
        public PipelineSettings settings() {
            RunConfig les = new ConfigLoader().preset(preset).set("n", n).set("precision", precision.label())
                    .set("backend", backends.sim()).set("threads", threads).build();
            return new PipelineSettings(les, spinup, window, stride, horizon,
                    new CodecSettings(n, k, tile, theta, 0, false, precision), new ProxySettings(Double.NaN, 0, 0.2), backends,
                    compareEvery);
        }

        Case with(Backends b) {
            return new Case(n, precision, b, spinup, window, stride, horizon, k, tile, theta, compareEvery, preset, threads);
        }

        Case withN(int newN) {
            return new Case(newN, precision, backends, spinup, window, stride, horizon, k, tile, theta, compareEvery, preset, threads);
        }

        Case withStride(int s) {
            return new Case(n, precision, backends, spinup, window / stride * s, s, horizon / stride * s, k, tile, theta, compareEvery,
                    preset, threads);
        }

        Case withK(int newK) {
            return new Case(n, precision, backends, spinup, window, stride, horizon, newK, tile, theta, compareEvery, preset, threads);
        }

        Case withPrecision(Precision p) {
            return new Case(n, p, backends, spinup, window, stride, horizon, k, tile, theta, compareEvery, preset, threads);
        }
    }

    private PipelineBench() {
    }

    /**
     * The rows to run: for each N the three pipelines (CPU and mixed only up to {@code cpuMaxN}, where a
     * CPU LES takes minutes), then at {@code sweepN} the GPU pipeline for each stride (same window and
     * horizon in proxy steps), each K and each precision.
     */
    public static List<Map.Entry<String, Case>> plan(Case base, List<Integer> sizes, int cpuMaxN, int sweepN, List<Integer> strides,
                                                     List<Integer> ks, List<Precision> precisions) {
        List<Map.Entry<String, Case>> rows = new ArrayList<>();
        for (int n : sizes) {
            Case c = base.withN(n);
            if (n <= cpuMaxN) {
                rows.add(Map.entry("table", c.with(Backends.all(BackendKind.CPU))));
                rows.add(Map.entry("table", c.with(new Backends(BackendKind.CPU, BackendKind.CPU, BackendKind.VULKAN))));
            }
            rows.add(Map.entry("table", c.with(Backends.all(BackendKind.VULKAN))));
        }
        Case sweep = base.withN(sweepN).with(Backends.all(BackendKind.VULKAN));
        for (int s : strides) {
            if (s != base.stride()) {
                rows.add(Map.entry("stride", sweep.withStride(s)));
            }
        }
        for (int k : ks) {
            if (k != base.k()) {
                rows.add(Map.entry("k", sweep.withK(k)));
            }
        }
        for (Precision p : precisions) {
            if (p != base.precision()) {
                rows.add(Map.entry("precision", sweep.withPrecision(p)));
            }
        }
        return rows;
    }

    /** Runs one case into {@code dir} and returns its summary row (the run's whole metrics JSON stays in dir). */
    public static Map<String, Object> run(String group, Case c, Path dir, String device, Consumer<String> log) throws IOException {
        PipelineSettings s = c.settings();
        Path metrics = dir.resolve(RunFiles.METRICS);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("group", group);
        row.put("pipeline", c.backends().label());
        row.put("backends", c.backends().toString());
        row.put("n", c.n());
        row.put("precision", c.precision().label());
        row.put("stride", c.stride());
        row.put("k", c.k());
        row.put("d", s.codec().latentDimension());
        row.put("training_snapshots", s.trainingSnapshots());
        row.put("horizon_proxy_steps", s.horizon());
        try {
            try (Backends.Running on = c.backends().open(device, c.threads())) {
                new Pipeline(s, on, new Pipeline.Options(dir, metrics, log, false)).run();
            }
        } catch (RuntimeException e) {
            row.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            log.accept("FAILED " + row + ": " + e);
            return row;
        }
        JsonNode m = Json.MAPPER.readTree(metrics.toFile());
        row.put("device", m.path("device").asText());
        row.put("wall_seconds", m.path("wall_seconds").asDouble());
        row.put("stage_seconds", m.path("stage_seconds"));
        row.put("speed", m.path("speed"));
        row.put("lambda", m.path("proxy").path("lambda").asDouble());
        row.put("fit", m.path("proxy").path("fit"));
        JsonNode h = m.path("horizon");
        row.put("horizon", h);
        row.put("first", summary(h.get(0)));
        row.put("last", summary(h.get(h.size() - 1)));
        long up = 0;
        long down = 0;
        for (JsonNode t : m.path("transfers")) {
            if (t.path("direction").asText().equals("host_to_device")) {
                up += t.path("bytes").asLong();
            } else {
                down += t.path("bytes").asLong();
            }
        }
        row.put("bytes_host_to_device", up);
        row.put("bytes_device_to_host", down);
        row.put("transfers", m.path("transfers"));
        return row;
    }

    private static Map<String, Object> summary(JsonNode p) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("proxy_step", p.path("proxy_step").asInt());
        s.put("latent_rel_error", p.path("latent_rel_error").asDouble());
        s.put("rel_l2_latent_only", p.path("latent_only").path("relL2").asDouble());
        s.put("rel_l2_with_residual", p.path("with_residual").path("relL2").asDouble());
        s.put("correlation_with_residual", p.path("with_residual").path("correlation").asDouble());
        s.put("energy_drift", p.path("with_residual").path("energyRelError").asDouble());
        s.put("enstrophy_drift", p.path("with_residual").path("enstrophyRelError").asDouble());
        s.put("codec_floor_rel_l2", p.path("codec_floor").path("relL2").asDouble());
        return s;
    }

    /** A fresh directory per row under {@code root}. */
    public static Path rowDir(Path root, int index, Case c) throws IOException {
        Path d = root.resolve(String.format(java.util.Locale.ROOT, "%02d-%s-n%d-%s-s%d-k%d", index, c.backends().label(), c.n(),
                c.precision().label(), c.stride(), c.k()));
        Files.createDirectories(root);
        return d;
    }
}
