package dev.eddy.cli;

import dev.eddy.bench.CpuLesBench;
import dev.eddy.config.ConfigException;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.Json;
import dev.eddy.io.Versions;
import dev.eddy.sim.FftSizes;
import dev.eddy.sim.Precision;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eddy bench}: times the LES step and records the result as a lab-notebook JSON. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time LES steps for several N and precisions after warm-up; write",
                "DIR/<timestamp>.json and add a summary line to DIR/README.md."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", defaultValue = "256,512,1024", description = "grid sizes (default ${DEFAULT-VALUE})")
    List<Integer> sizes;
    @Option(names = "--precisions", split = ",", defaultValue = "fp32,fp64", description = "default ${DEFAULT-VALUE}")
    List<String> precisions;
    @Option(names = "--backend", defaultValue = "cpu", description = "default ${DEFAULT-VALUE}") String backend;
    @Option(names = "--cs", defaultValue = "0.17", description = "Smagorinsky constant; 0 times the DNS step") double cs;
    @Option(names = "--warmup", defaultValue = "3", description = "untimed steps after the first (default ${DEFAULT-VALUE})")
    int warmup;
    @Option(names = "--steps", defaultValue = "10", description = "timed steps (default ${DEFAULT-VALUE})") int steps;
    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (0 = all cores)") int threads;
    @Option(names = "--out", defaultValue = "planning/benchmarks", paramLabel = "DIR", description = "default ${DEFAULT-VALUE}")
    Path out;
    @Option(names = "--label", defaultValue = "", description = "a note stored with the results") String label;

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || warmup < 0) {
            throw new ConfigException("--steps must be ≥ 1 and --warmup ≥ 0");
        }
        for (int n : sizes) {
            String why = FftSizes.whyNot(n);
            if (why != null) {
                throw new ConfigException(why);
            }
        }
        List<Precision> ps = precisions.stream().map(Precision::parse).toList();
        List<Map<String, Object>> results = new ArrayList<>();
        for (int n : sizes) {
            for (Precision p : ps) {
                var r = CpuLesBench.time(CpuLesBench.caseFor(n, p, backend, cs, threads), warmup, steps);
                results.add(r);
                System.out.printf(Locale.ROOT, "%-10s N=%-5d %s  first %.1f ms  mean %.2f ms/step  (min %.2f, max %.2f)%n",
                        r.get("backend"), n, p.label(), r.get("first_step_ms"), r.get("mean_ms"), r.get("min_ms"), r.get("max_ms"));
            }
        }
        Instant now = Instant.now();
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(now);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", "eddy-bench/1");
        doc.put("kind", "les-step");
        doc.put("date", now.toString());
        doc.put("label", label);
        doc.put("units", "milliseconds per LES step (Heun IF-RK2: 2 stages, each 1 batched inverse + 1 batched forward FFT)");
        doc.put("software", Versions.software());
        doc.put("machine", Versions.machine());
        doc.put("results", results);
        Files.createDirectories(out);
        Path json = out.resolve(stamp + "-" + backend + ".json");
        AtomicFiles.writeString(json, Json.write(doc));
        StringBuilder line = new StringBuilder();
        line.append("| ").append(stamp).append(" | ").append(backend).append(" | ")
                .append(Versions.machine().get("cores")).append(" cores | ");
        for (var r : results) {
            line.append(String.format(Locale.ROOT, "%s %s %.2f; ", r.get("n"), r.get("precision"), r.get("mean_ms")));
        }
        line.append("| ").append(json.getFileName()).append(" |\n");
        Path readme = out.resolve("README.md");
        if (!Files.exists(readme)) {
            AtomicFiles.writeString(readme, "# Benchmarks\n\n| date (UTC) | backend | machine | N precision mean ms/step | file |\n|---|---|---|---|---|\n");
        }
        Files.writeString(readme, line.toString(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        System.out.println("wrote " + json);
        return ExitCodes.OK;
    }
}
