package dev.eddy.cli;

import dev.eddy.bench.CodecBench;
import dev.eddy.config.ConfigException;
import dev.eddy.gpu.ContextOptions;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.numerics.Precision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eddy bench codec} (before issue 17: {@code bench --codec}): the GPU codec per snapshot on the Vulkan
 * device, and the CPU codec up to --cpu-max-n, into a lab-notebook JSON. Its codec flags are {@link CodecFlags},
 * spelled and defaulted as in run, encode and pipeline.
 */
@Command(name = "codec", header = "Time the codec per snapshot (GPU, and CPU up to --cpu-max-n) and write benchmark JSON.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time the GPU codec per snapshot (encode from a device spectrum, code read-back, decode with and without"
                + " the residual) for every N and precision, and the CPU codec up to --cpu-max-n; write"
                + " DIR/<timestamp>-codec-<device>.json, add a summary line to DIR/README.md, then the benchmark report of DIR"
                + " (eddy bench report) to --report.",
                "The committed H100 record (planning/benchmarks) was timed at --k 32 --tile 16."})
public final class BenchCodecCommand implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", defaultValue = "256,512,1024", description = "grid sizes (default ${DEFAULT-VALUE})")
    List<Integer> sizes;
    @Option(names = "--precisions", split = ",", defaultValue = "fp32,fp64", description = "default ${DEFAULT-VALUE}")
    List<String> precisions;
    @Mixin
    CodecFlags codec;
    @Option(names = "--cpu-max-n", defaultValue = "1024", description = "largest N the CPU codec is timed at (default ${DEFAULT-VALUE})")
    int cpuMaxN;
    @Option(names = "--warmup", defaultValue = "3", description = "untimed calls after the first (default ${DEFAULT-VALUE})")
    int warmup;
    @Option(names = "--repeats", defaultValue = "5", description = "timed calls (default ${DEFAULT-VALUE})")
    int repeats;
    @Mixin
    DeviceFlags where;
    @Option(names = "--out", defaultValue = "${sys:user.home}/eddy-benchmarks", paramLabel = "DIR",
            description = "where the benchmark JSON goes (default ${DEFAULT-VALUE}, outside any checkout; planning/benchmarks for the project's record)")
    Path out;
    @Option(names = "--label", defaultValue = "", description = "a note stored with the results") String label;
    @Mixin
    AfterBenchReport report;

    @Override
    public Integer call() throws Exception {
        if (repeats < 1 || warmup < 0) {
            throw new ConfigException("--repeats must be ≥ 1 and --warmup ≥ 0 (got " + repeats + ", " + warmup + ")");
        }
        List<Precision> ps = precisions.stream().map(Precision::parse).toList();
        // every setting is checked before anything runs: K < N/3 and T | N at every N
        List<dev.eddy.codec.CodecSettings> settings = new ArrayList<>();
        for (int n : sizes) {
            for (Precision p : ps) {
                settings.add(codec.settings(n, p));
            }
        }
        List<Map<String, Object>> results = new ArrayList<>();
        Map<String, Object> deviceInfo;
        List<Map<String, Object>> ledger;
        try (VulkanContext ctx = VulkanContext.open(ContextOptions.withDevice(where.device))) {
            deviceInfo = ctx.info().toMap();
            System.out.println("device: " + ctx.info().name() + " (driver " + ctx.info().driverVersionText() + ")");
            for (var s : settings) {
                if (!ctx.supports(s.precision())) {
                    System.out.println("skip " + s.precision().label() + ": the device has no shaderFloat64");
                    continue;
                }
                var r = CodecBench.time(ctx, s, warmup, repeats, s.n() <= cpuMaxN, where.threads(0));
                results.add(r);
                @SuppressWarnings("unchecked") var g = (Map<String, Object>) r.get("gpu");
                @SuppressWarnings("unchecked") var enc = (Map<String, Object>) g.get("encode_spectral");
                @SuppressWarnings("unchecked") var dec = (Map<String, Object>) g.get("decode_residual");
                System.out.printf(Locale.ROOT, "codec N=%-5d %s K=%d T=%d  ratio %.1f  encode gpu %s ms (wall %.3f)  decode+residual gpu %s ms"
                                + " (wall %.3f)  rel L2 %.4f%s%n", s.n(), s.precision().label(), s.k(), s.tile(), r.get("compression_ratio"),
                        fmt(enc.get("gpu_median_ms")), enc.get("wall_median_ms"), fmt(dec.get("gpu_median_ms")), dec.get("wall_median_ms"),
                        ((dev.eddy.codec.FieldErrors) g.get("errors_latent_residual")).relL2(), cpuLine(r));
            }
            ledger = ctx.ledger().snapshot();
        }
        BenchRecord record = new BenchRecord("codec", label,
                "milliseconds per snapshot; gpu = timestamps around the device work of one call (median of --repeats after"
                + " one cold call and --warmup untimed ones); wall = host clock per call (submit, wait, read-back, unpadding);"
                + " ratio = raw field bytes / encoded record bytes; errors of the decode against the original field")
                .put("bytes_model", CodecBench.BYTES_MODEL).put("device", deviceInfo);
        String stamp = record.stamp();
        Path json = record.write(out, "codec-" + BenchRecord.slug(deviceInfo.get("name")), ledger, results);
        StringBuilder line = new StringBuilder();
        line.append("| ").append(stamp).append(" | codec ").append(deviceInfo.get("name")).append(" | encode / decode+residual gpu ms | ");
        for (var r : results) {
            @SuppressWarnings("unchecked") var g = (Map<String, Object>) r.get("gpu");
            @SuppressWarnings("unchecked") var enc = (Map<String, Object>) g.get("encode_spectral");
            @SuppressWarnings("unchecked") var dec = (Map<String, Object>) g.get("decode_residual");
            line.append(String.format(Locale.ROOT, "%s %s %s / %s; ", r.get("n"), r.get("precision"), fmt(enc.get("gpu_median_ms")),
                    fmt(dec.get("gpu_median_ms"))));
        }
        line.append("| ").append(json.getFileName()).append(" |\n");
        BenchCommand.appendReadme(out, line.toString());
        System.out.println("wrote " + json);
        report.write(out);
        return ExitCodes.OK;
    }


    private static String fmt(Object ms) {
        return ms == null ? "n/a" : String.format(Locale.ROOT, "%.4f", (double) ms);
    }

    private static String cpuLine(Map<String, Object> r) {
        if (!r.containsKey("cpu")) {
            return "";
        }
        @SuppressWarnings("unchecked") var c = (Map<String, Object>) r.get("cpu");
        @SuppressWarnings("unchecked") var enc = (Map<String, Object>) c.get("encode");
        @SuppressWarnings("unchecked") var dec = (Map<String, Object>) c.get("decode_residual");
        return String.format(Locale.ROOT, "  | cpu encode %.3f ms, decode+residual %.3f ms", enc.get("wall_median_ms"), dec.get("wall_median_ms"));
    }

}
