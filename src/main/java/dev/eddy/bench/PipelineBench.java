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

        public Case withN(int newN) {
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

    /**
     * The CPU LES the pipeline is measured against (issue #14's end-to-end speed-up): the case's LES on the
     * CPU with {@code threads} threads (0 = every core), timed per step after two warm-up steps until at least
     * {@code seconds} have passed (and at least three steps), and that rate times the pipeline's LES steps
     * (spin-up + window + horizon) as the wall a CPU LES of the same run would take. An estimate from a
     * timed sample, not a full run: at N = 4096 the full run would take an hour; the row says how many
     * steps were timed.
     */
    public static Map<String, Object> cpuLes(Case c, double seconds) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("group", "cpu_les");
        row.put("n", c.n());
        row.put("precision", c.precision().label());
        PipelineSettings s = c.with(Backends.all(BackendKind.CPU)).settings();
        long pipelineSteps = s.spinupSteps() + s.windowSteps() + s.horizonSteps();
        try (dev.eddy.backend.Backend cpu = new dev.eddy.backend.Backend.Cpu(c.threads());
             dev.eddy.sim.Simulation sim = dev.eddy.sim.Simulations.create(s.les(), cpu)) {
            sim.advance(2, Double.POSITIVE_INFINITY);
            long t0 = System.nanoTime();
            int steps = 0;
            while (steps < 3 || (System.nanoTime() - t0) * 1e-9 < seconds) {
                sim.advance(1, Double.POSITIVE_INFINITY);
                steps++;
            }
            double elapsed = (System.nanoTime() - t0) * 1e-9;
            row.put("threads", c.threads() == 0 ? Runtime.getRuntime().availableProcessors() : c.threads());
            row.put("steps_timed", steps);
            row.put("seconds_timed", elapsed);
            row.put("ms_per_step", 1e3 * elapsed / steps);
            row.put("pipeline_les_steps", pipelineSteps);
            row.put("estimated_wall_seconds", elapsed / steps * pipelineSteps);
        } catch (RuntimeException e) {
            row.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return row;
    }

    /**
     * Adds to every pipeline row its end-to-end speed-up: the CPU LES wall of its N (a {@link #cpuLes} row,
     * or a CPU pipeline's own LES stages where one ran) over the pipeline's wall, every stage included.
     */
    public static void endToEnd(List<Map<String, Object>> rows) {
        for (Map<String, Object> row : rows) {
            if (!(row.get("wall_seconds") instanceof Double wall) || row.containsKey("error")) {
                continue;
            }
            for (Map<String, Object> cpu : rows) {
                if ("cpu_les".equals(cpu.get("group")) && row.get("n").equals(cpu.get("n")) && row.get("precision").equals(cpu.get("precision"))
                        && cpu.get("estimated_wall_seconds") instanceof Double les) {
                    row.put("cpu_les_wall_seconds", les);
                    row.put("end_to_end_speedup", les / wall);
                }
            }
        }
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
        JsonNode prediction = p.path("faded_residual");
        s.put("proxy_step", p.path("proxy_step").asInt());
        s.put("latent_rel_error", p.path("latent_rel_error").asDouble());
        s.put("residual_fade", p.path("residual_fade").asDouble());
        s.put("rel_l2", prediction.path("relL2").asDouble());
        s.put("rel_l2_latent_only", p.path("latent_only").path("relL2").asDouble());
        s.put("rel_l2_stale_residual", p.path("stale_residual").path("relL2").asDouble());
        s.put("correlation", prediction.path("correlation").asDouble());
        s.put("energy_drift", prediction.path("energyRelError").asDouble());
        s.put("enstrophy_drift", prediction.path("enstrophyRelError").asDouble());
        s.put("persistence_rel_l2", p.path("persistence").path("relL2").asDouble());
        s.put("span_floor_rel_l2", p.path("span_floor").path("relL2").asDouble());
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
