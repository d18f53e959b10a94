package dev.eddy.cli;

import dev.eddy.bench.PipelineBench;
import dev.eddy.config.BackendKind;
import dev.eddy.config.ConfigException;
import dev.eddy.numerics.Precision;
import dev.eddy.pipeline.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code eddy bench pipeline}: the CPU, mixed and GPU pipelines on one case per N, and the stride/K/precision sweeps. */
@Command(name = "pipeline", header = "Time the CPU, mixed and GPU pipelines for several N and write benchmark JSON.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the pipeline (LES → encode → learn → rollout → decode → compare) as the CPU, mixed (CPU LES and"
                + " codec, GPU proxy) and GPU pipeline for each N, then the GPU pipeline at --sweep-n for each stride, K and"
                + " precision; write DIR/<timestamp>-pipeline.json (one summary row per run; each run's own metrics.json"
                + " stays under --runs); then the benchmark report of DIR (eddy bench report) to --report."})
public final class BenchPipelineCommand implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", defaultValue = "256,512,1024", description = "grid sizes (default ${DEFAULT-VALUE})")
    List<Integer> sizes;
    @Option(names = "--cpu-max-n", defaultValue = "1024", description = "largest N of the CPU and mixed pipelines (default ${DEFAULT-VALUE})")
    int cpuMaxN;
    @Option(names = "--sweep-n", defaultValue = "1024", description = "N of the stride/K/precision sweeps (default ${DEFAULT-VALUE})")
    int sweepN;
    @Option(names = "--strides", split = ",", defaultValue = "5,10,20", description = "default ${DEFAULT-VALUE}") List<Integer> strides;
    @Option(names = "--ks", split = ",", defaultValue = "8,16,32", description = "default ${DEFAULT-VALUE}") List<Integer> ks;
    @Option(names = "--precisions", split = ",", defaultValue = "fp32,fp64", description = "default ${DEFAULT-VALUE}")
    List<String> precisions;
    @Option(names = "--precision", defaultValue = "fp32", description = "precision of the table (default ${DEFAULT-VALUE})")
    String precision;
    @Option(names = "--preset", defaultValue = "kolmogorov-256", description = "LES settings (N is set per row; default ${DEFAULT-VALUE})")
    String preset;
    @Option(names = "--spinup", defaultValue = "1000", description = "default ${DEFAULT-VALUE}") long spinup;
    @Option(names = "--window", defaultValue = "400", description = "default ${DEFAULT-VALUE}") long window;
    @Option(names = "--stride", defaultValue = "10", description = "default ${DEFAULT-VALUE}") int stride;
    @Option(names = "--horizon", defaultValue = "200", description = "default ${DEFAULT-VALUE}") long horizon;
    @Option(names = "--k", defaultValue = "16", description = "default ${DEFAULT-VALUE}") int k;
    @Option(names = "--tile", defaultValue = "8", description = "default ${DEFAULT-VALUE}") int tile;
    @Option(names = "--theta", defaultValue = "0.7", description = "default ${DEFAULT-VALUE}") double theta;
    @Option(names = "--compare-every", defaultValue = "5", description = "default ${DEFAULT-VALUE}") int compareEvery;
    @Option(names = "--cpu-les-seconds", defaultValue = "5", description = "time the CPU LES of every N for at least this long, the"
            + " baseline of the end-to-end speed-up (0 = skip; default ${DEFAULT-VALUE})") double cpuLesSeconds;
    @Mixin
    DeviceFlags where;
    @Option(names = "--out", defaultValue = "${sys:user.home}/eddy-benchmarks", paramLabel = "DIR",
            description = "where the benchmark JSON goes (default ${DEFAULT-VALUE}, outside any checkout; planning/benchmarks for the project's record)")
    Path out;
    @Option(names = "--runs", paramLabel = "DIR", description = "where each run's folder goes (default: a temporary folder)")
    Path runs;
    @Option(names = "--label", defaultValue = "", description = "a note stored with the results") String label;
    @Mixin
    AfterBenchReport report;

    @Override
    public Integer call() throws Exception {
        PipelineBench.Case base = new PipelineBench.Case(sizes.getFirst(), Precision.parse(precision), Backends.all(BackendKind.CPU),
                spinup, window, stride, horizon, k, tile, theta, compareEvery, preset, where.threads(0));
        List<Map.Entry<String, PipelineBench.Case>> plan = PipelineBench.plan(base, sizes, cpuMaxN, sweepN, strides, ks,
                precisions.stream().map(Precision::parse).toList());
        for (var e : plan) {
            e.getValue().settings(); // refuse a bad row before the first one runs
        }
        Path root = runs != null ? runs : Files.createTempDirectory("eddy-bench-pipeline");
        if (runs != null && Files.isDirectory(runs)) {
            try (var entries = Files.list(runs)) {
                if (entries.findAny().isPresent()) {
                    throw new ConfigException("--runs " + runs + " is not empty");
                }
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        int i = 0;
        for (var e : plan) {
            PipelineBench.Case c = e.getValue();
            System.out.printf(Locale.ROOT, "[%d/%d] %s: %s N=%d %s stride %d K %d%n", ++i, plan.size(), e.getKey(),
                    c.backends().label(), c.n(), c.precision().label(), c.stride(), c.k());
            Map<String, Object> row = PipelineBench.run(e.getKey(), c, PipelineBench.rowDir(root, i, c), where.device, s -> { });
            rows.add(row);
            if (row.containsKey("error")) {
                System.out.println("  FAILED: " + row.get("error"));
            } else {
                var sp = (com.fasterxml.jackson.databind.JsonNode) row.get("speed");
                @SuppressWarnings("unchecked")
                var last = (Map<String, Object>) row.get("last");
                System.out.printf(Locale.ROOT, "  LES %.4g ms/step, proxy %.4g ms/step, rollout speed-up %.3g, end-to-end %.3g s;"
                                + " last rel L2 %.3g (persistence %.3g, codec floor %.3g)%n", sp.path("les_ms_per_step").asDouble(),
                        sp.path("proxy_ms_per_step_wall").asDouble(), sp.path("speedup_rollout_vs_les").asDouble(),
                        sp.path("pipeline_seconds").asDouble(), last.get("rel_l2"), last.get("persistence_rel_l2"),
                        last.get("codec_floor_rel_l2"));
            }
        }
        if (cpuLesSeconds > 0) {
            for (int n : sizes) {
                System.out.printf(Locale.ROOT, "CPU LES at N=%d (%s threads), at least %.3g s%n", n, where.threads(0) == 0 ? "all"
                        : String.valueOf(where.threads(0)), cpuLesSeconds);
                Map<String, Object> row = PipelineBench.cpuLes(base.withN(n), cpuLesSeconds);
                rows.add(row);
                System.out.println("  " + (row.containsKey("error") ? "FAILED: " + row.get("error") : String.format(Locale.ROOT,
                        "%.4g ms/step over %s steps: %.4g s for the pipeline's %s LES steps", (double) row.get("ms_per_step"),
                        row.get("steps_timed"), (double) row.get("estimated_wall_seconds"), row.get("pipeline_les_steps"))));
            }
            PipelineBench.endToEnd(rows);
            for (Map<String, Object> row : rows) {
                if (row.containsKey("end_to_end_speedup")) {
                    System.out.printf(Locale.ROOT, "end to end, %s pipeline N=%s: %.3g s against the CPU LES's %.4g s: %.3g×%n",
                            row.get("pipeline"), row.get("n"), (double) row.get("wall_seconds"), (double) row.get("cpu_les_wall_seconds"),
                            (double) row.get("end_to_end_speedup"));
                }
            }
        }
        Path json = new BenchRecord("pipeline", label, "seconds (stage_seconds, wall), milliseconds per step (speed.*_ms_*);"
                + " errors relative to the LES continued over the horizon; one proxy step = stride LES steps")
                .put("base_case", base).write(out, "pipeline", null, rows);
        System.out.println("wrote " + json + " (runs in " + root + ")");
        report.write(out);
        return rows.stream().anyMatch(r -> r.containsKey("error")) ? ExitCodes.RUNTIME : ExitCodes.OK;
    }
}
