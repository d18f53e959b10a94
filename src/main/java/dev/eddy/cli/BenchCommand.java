package dev.eddy.cli;

import dev.eddy.backend.Backend;
import dev.eddy.bench.CodecBench;
import dev.eddy.bench.CpuLesBench;
import dev.eddy.bench.GpuFftBench;
import dev.eddy.config.BackendKind;
import dev.eddy.config.ConfigException;
import dev.eddy.gpu.ContextOptions;
import dev.eddy.gpu.FftPlans;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.Versions;
import dev.eddy.numerics.FftSizes;
import dev.eddy.numerics.Precision;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code eddy bench}: times the LES step (or, with --fft, GPU FFT round trips) and records a lab-notebook JSON; {@code bench codec}, {@code bench pipeline} and {@code bench report} are its subcommands. */
@Command(name = "bench", header = "Time the LES (or the GPU FFT) and write benchmark JSON and its report; bench codec, bench pipeline and bench report for the rest.",
        mixinStandardHelpOptions = true, sortOptions = false,
        subcommands = {BenchCodecCommand.class, BenchPipelineCommand.class, BenchReportCommand.class},
        description = {"Time LES steps for several N and precisions after warm-up; write",
                "With --members: time ensembles of B members stepped together instead (ms per member-step,",
                "member-steps/s and the bytes-per-member-step floor; DIR/<timestamp>-ensemble-<device>.json).",
                "DIR/<timestamp>.json and add a summary line to DIR/README.md.",
                "With --fft: time batched R2C+C2R round trips on the Vulkan device instead",
                "(GPU timestamps and wall clock; DIR/<timestamp>-fft-<device>.json).",
                "The codec is timed by 'eddy bench codec' (before: bench --codec), the pipeline by 'eddy bench pipeline'.",
                "Each mode ends by writing the benchmark report of DIR (eddy bench report) to --report."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--sizes", split = ",", defaultValue = "256,512,1024", description = "grid sizes (default ${DEFAULT-VALUE})")
    List<Integer> sizes;
    @Option(names = "--precisions", split = ",", defaultValue = "fp32,fp64", description = "default ${DEFAULT-VALUE}")
    List<String> precisions;
    @Mixin
    BackendFlags where;
    @Option(names = "--cs", defaultValue = "" + dev.eddy.config.Physics.DEFAULT_CS, description = "Smagorinsky constant; 0 times the DNS step (default ${DEFAULT-VALUE})")
    double cs;
    @Option(names = "--stepper", defaultValue = dev.eddy.config.TimeControl.DEFAULT_STEPPER,
            description = "time stepper of the timed LES (default ${DEFAULT-VALUE})") String stepper;
    @Option(names = "--cfl", defaultValue = "" + dev.eddy.config.TimeControl.DEFAULT_CFL,
            description = "its Courant number (default ${DEFAULT-VALUE})") double cfl;
    @Option(names = "--warmup", defaultValue = "3", description = "untimed steps after the first (default ${DEFAULT-VALUE})")
    int warmup;
    @Option(names = "--steps", defaultValue = "10", description = "timed steps (default ${DEFAULT-VALUE})") int steps;
    @Option(names = "--out", defaultValue = "${sys:user.home}/eddy-benchmarks", paramLabel = "DIR",
            description = "where the benchmark JSON goes (default ${DEFAULT-VALUE}, outside any checkout; planning/benchmarks for the project's record)")
    Path out;
    @Option(names = "--label", defaultValue = "", description = "a note stored with the results") String label;
    @Option(names = "--fft", description = "benchmark the GPU FFT (R2C+C2R round trips) instead of the LES step") boolean fft;
    @Option(names = "--batches", split = ",", defaultValue = "1,6", description = "fields per FFT for --fft (default ${DEFAULT-VALUE})")
    List<Integer> batches;
    @Option(names = "--round-trips", defaultValue = "100", description = "round trips recorded per submit for --fft (default ${DEFAULT-VALUE})")
    int roundTrips;
    @Option(names = "--snapshot-every", paramLabel = "S", defaultValue = "0",
            description = "also time ms/step with a snapshot every S steps, synchronous vs overlapped with the next steps "
                    + "(--steps per mode and round, --repeats rounds; 0 = off)")
    int snapshotEvery;
    /**
     * Before issue 17 the codec benchmark was {@code bench --codec}, while {@code --codec} names the codec's
     * backend in {@code pipeline}; it is {@code eddy bench codec} now. The old flag is refused with the new
     * spelling as soon as it is read (its options, --k and the rest, are the subcommand's).
     */
    @Option(names = "--codec", hidden = true, preprocessor = MovedToSubcommand.class, description = "moved: eddy bench codec")
    boolean codecMoved;
    @Option(names = "--repeats", defaultValue = "5", description = "timed submits for --fft; for the LES, timed batches that --steps is split into (default ${DEFAULT-VALUE})")
    int repeats;
    @Option(names = "--members", split = ",", paramLabel = "B,…",
            description = "time ensembles of these many members at every N and precision (each member its own seed and CFL dt)")
    List<Integer> members;
    @Option(names = "--seconds", defaultValue = "0", paramLabel = "S",
            description = "with --members: time at least S seconds of steps per case (at the warm-up's pace; default 0: --steps)")
    double seconds;
    @Mixin
    AfterBenchReport report;

    @Override
    public Integer call() throws Exception {
        if (steps < 1 || warmup < 0 || repeats < 1) {
            throw new ConfigException("--steps and --repeats must be ≥ 1 and --warmup ≥ 0 (got " + steps + ", " + repeats + ", " + warmup + ")");
        }
        if (snapshotEvery < 0 || (snapshotEvery > 0 && (steps < snapshotEvery || repeats < 1))) {
            throw new ConfigException("--snapshot-every S needs 0 < S ≤ --steps and --repeats ≥ 1 (got S = " + snapshotEvery
                    + ", --steps " + steps + ")");
        }
        for (int n : sizes) {
            String why = FftSizes.whyNot(n);
            if (why != null) {
                throw new ConfigException(why);
            }
        }
        List<Precision> ps = precisions.stream().map(Precision::parse).toList();
        if (fft) {
            return benchFft(ps);
        }
        if (members != null) {
            return benchEnsemble(ps);
        }
        BackendKind kind = where.kind(BackendKind.CPU);
        int threads = where.threads(0);
        String backend = kind.label();
        // the LES timing splits --steps into --repeats batches, each one advance() (one host sync on a GPU)
        int lesRepeats = repeats;
        List<Map<String, Object>> results = new ArrayList<>();
        Map<String, Object> ranOn = null;
        try (Backend on = where.backend(kind, threads)) {
        for (int n : sizes) {
            for (Precision p : ps) {
                var c = CpuLesBench.caseFor(n, p, kind, cs, stepper, cfl, threads);
                var r = CpuLesBench.time(c, on, warmup, steps, lesRepeats);
                results.add(r);
                System.out.printf(Locale.ROOT, "%-10s N=%-5d %s %s C=%.2f  first %.1f ms  mean %.3f ms/step, %.3f ms/RHS,"
                                + " %.4g ms per unit time  (min %.3f, max %.3f)%n", r.get("backend"), n, p.label(), stepper, cfl,
                        r.get("first_step_ms"), r.get("mean_ms"), r.get("ms_per_rhs"), r.get("ms_per_unit_time"), r.get("min_ms"),
                        r.get("max_ms"));
                if (snapshotEvery > 0) {
                    var sr = CpuLesBench.timeSnapshots(c, on, warmup, steps, snapshotEvery, repeats);
                    r.putAll(sr); // same case, a fresh instance
                    System.out.printf(Locale.ROOT, "%-10s N=%-5d %s  snapshot every %d: plain %.3f, sync %.3f, overlapped %.3f ms/step;"
                                    + " hidden %.2f ms per snapshot (writer %.2f ms each)%n",
                            r.get("backend"), n, p.label(), snapshotEvery, sr.get("ms_per_step_plain"), sr.get("ms_per_step_sync"),
                            sr.get("ms_per_step_overlapped"), sr.get("hidden_ms_per_snapshot"), sr.get("writer_ms_per_snapshot"));
                }
            }
        }
            // the device the GPU LES ran on, as the FFT and codec files name theirs: the benchmark report
            // tells two GPUs behind the same kind of host apart
            ranOn = on.deviceInfo();
        }
        BenchRecord record = new BenchRecord("les-step", label, "milliseconds per LES step (" + stepper + " at C = " + cfl + ": "
                + dev.eddy.numerics.ButcherTableau.named(stepper).stages() + " right-hand-side evaluations per step, each 1 batched"
                + " inverse + 1 batched forward FFT), per evaluation and per unit of simulated time");
        if (ranOn != null) {
            record.put("device", ranOn);
        }
        String stamp = record.stamp();
        Path json = record.write(out, backend, null, results);
        StringBuilder line = new StringBuilder();
        line.append("| ").append(stamp).append(" | ").append(backend).append(" | ")
                .append(Versions.machine().get("cores")).append(" cores | ");
        for (var r : results) {
            line.append(String.format(Locale.ROOT, "%s %s %.2f; ", r.get("n"), r.get("precision"), r.get("mean_ms")));
        }
        line.append("| ").append(json.getFileName()).append(" |\n");
        appendReadme(line.toString());
        System.out.println("wrote " + json);
        report.write(out);
        return ExitCodes.OK;
    }

    /** --fft: batched R2C+C2R round trips on the Vulkan device. */
    private Integer benchFft(List<Precision> ps) throws Exception {
        if (roundTrips < 1 || repeats < 1 || batches.stream().anyMatch(b -> b < 1)) {
            throw new ConfigException("--round-trips, --repeats and --batches must be ≥ 1");
        }
        List<Map<String, Object>> results = new ArrayList<>();
        Map<String, Object> deviceInfo;
        List<Map<String, Object>> ledger;
        try (VulkanContext ctx = VulkanContext.open(ContextOptions.withDevice(where.device.device));
             FftPlans plans = FftPlans.withDefaultCache(ctx)) {
            deviceInfo = ctx.info().toMap();
            System.out.println("device: " + ctx.info().name() + " (driver " + ctx.info().driverVersionText() + ")");
            for (int n : sizes) {
                for (Precision p : ps) {
                    if (!ctx.supports(p)) {
                        System.out.println("skip " + p.label() + ": the device has no shaderFloat64");
                        continue;
                    }
                    for (int batch : batches) {
                        var r = GpuFftBench.time(ctx, plans, n, p, batch, roundTrips, repeats);
                        results.add(r);
                        System.out.printf(Locale.ROOT, "fft N=%-5d %s batch %-2d plan %.0f ms%s  round trip: gpu %.4f ms (min %.4f, max %.4f), wall %.4f ms, %.1f GB/s%n",
                                n, p.label(), batch, r.get("plan_ms"), (boolean) r.get("plan_from_disk_cache") ? " (disk cache)" : "",
                                r.get("gpu_median_ms"), r.get("gpu_min_ms"), r.get("gpu_max_ms"), r.get("wall_median_ms"), r.get("bandwidth_gb_s"));
                    }
                }
            }
            ledger = ctx.ledger().snapshot();
        }
        BenchRecord record = new BenchRecord("fft-round-trip", label,
                "milliseconds per batched 2D R2C + C2R round trip (VkFFT, in place, padded layout); "
                + "gpu = timestamp queries around " + roundTrips + " round trips recorded in one command buffer, median of "
                + repeats + " submits after one cold submit; wall = host clock per round trip including submit and fence wait")
                .put("bytes_model", GpuFftBench.BYTES_MODEL).put("device", deviceInfo);
        String stamp = record.stamp();
        Path json = record.write(out, "fft-" + BenchRecord.slug(deviceInfo.get("name")), ledger, results);
        StringBuilder line = new StringBuilder();
        line.append("| ").append(stamp).append(" | fft ").append(deviceInfo.get("name")).append(" | round trip gpu ms (GB/s) | ");
        for (var r : results) {
            line.append(String.format(Locale.ROOT, "%s %s b%s %.4f (%.1f); ", r.get("n"), r.get("precision"), r.get("batch"),
                    r.get("gpu_median_ms"), r.get("bandwidth_gb_s")));
        }
        line.append("| ").append(json.getFileName()).append(" |\n");
        appendReadme(line.toString());
        System.out.println("wrote " + json);
        report.write(out);
        return ExitCodes.OK;
    }

    /** --members: ensembles of B members at every N and precision; a case the memory check refuses is listed as skipped. */
    private Integer benchEnsemble(List<Precision> ps) throws Exception {
        if (members.stream().anyMatch(b -> b < 1) || seconds < 0 || repeats < 1) {
            throw new ConfigException("--members must be ≥ 1, --seconds ≥ 0 and --repeats ≥ 1");
        }
        BackendKind kind = where.kind(BackendKind.CPU);
        int threads = where.threads(0);
        List<Map<String, Object>> results = new ArrayList<>();
        List<Map<String, Object>> skipped = new ArrayList<>();
        Map<String, Object> ranOn;
        List<Map<String, Object>> ledger;
        try (Backend on = where.backend(kind, threads)) {
            for (int n : sizes) {
                for (Precision p : ps) {
                    for (int b : members) {
                        var c = dev.eddy.bench.EnsembleBench.caseFor(n, b, p, kind, cs, stepper, cfl, threads);
                        try {
                            var r = dev.eddy.bench.EnsembleBench.time(c, on, warmup, steps, repeats, seconds);
                            results.add(r);
                            System.out.printf(Locale.ROOT, "%-11s N=%-5d %s %s B=%-4d %.4f ms/step  %.5f ms per member-step (%.4g member-steps/s,"
                                            + " %.2f× the H200 floor)  first %.1f ms, setup %.0f ms%n", r.get("backend"), n, p.label(), stepper, b,
                                    r.get("ms_per_step"), r.get("ms_per_member_step"), r.get("member_steps_per_second"), r.get("times_floor_h200"),
                                    r.get("first_step_ms"), r.get("setup_ms"));
                        } catch (dev.eddy.gpu.GpuException | ConfigException refused) {
                            if (refused instanceof dev.eddy.gpu.GpuUnavailableException) {
                                throw refused;
                            }
                            skipped.add(dev.eddy.bench.EnsembleBench.skipped(c, refused.getMessage()));
                            System.out.printf(Locale.ROOT, "skip N=%d %s B=%d: %s%n", n, p.label(), b, refused.getMessage());
                        }
                    }
                }
            }
            ranOn = on.deviceInfo();
            ledger = on instanceof Backend.Vulkan v && v.opened() ? v.context().ledger().snapshot() : null;
        }
        BenchRecord record = new BenchRecord("ensemble", label, "milliseconds per member-step: wall ms of one ensemble step (" + stepper
                + " at C = " + cfl + ", " + dev.eddy.numerics.ButcherTableau.named(stepper).stages() + " right-hand-side evaluations, each"
                + " member its own CFL dt) / members; member-steps per second; the bytes-per-member-step floor")
                .put("floor_model", dev.eddy.bench.EnsembleBench.FLOOR_MODEL);
        if (ranOn != null) {
            record.put("device", ranOn);
        }
        record.put("skipped", skipped);
        String stamp = record.stamp();
        String name = ranOn != null ? "ensemble-" + BenchRecord.slug(ranOn.get("name")) : "ensemble-" + kind.label();
        Path json = record.write(out, name, ledger, results);
        StringBuilder line = new StringBuilder();
        line.append("| ").append(stamp).append(" | ensemble ").append(ranOn != null ? ranOn.get("name") : kind.label())
                .append(" | ms per member-step | ");
        for (var r : results) {
            line.append(String.format(Locale.ROOT, "%s×%s %s %.4g; ", r.get("n"), r.get("members"), r.get("precision"), r.get("ms_per_member_step")));
        }
        line.append("| ").append(json.getFileName()).append(" |\n");
        appendReadme(line.toString());
        System.out.println("wrote " + json);
        report.write(out);
        return ExitCodes.OK;
    }

    private void appendReadme(String line) throws java.io.IOException {
        appendReadme(out, line);
    }

    /** Refuses the old {@code bench --codec} at once, naming its new spelling. */
    static final class MovedToSubcommand implements picocli.CommandLine.IParameterPreprocessor {
        @Override
        public boolean preprocess(java.util.Stack<String> args, picocli.CommandLine.Model.CommandSpec command,
                                  picocli.CommandLine.Model.ArgSpec arg, Map<String, Object> info) {
            throw new picocli.CommandLine.ParameterException(command.commandLine(), "eddy bench --codec is now 'eddy bench codec'"
                    + " (same options; --codec is the codec's backend in eddy pipeline): write eddy bench codec "
                    + String.join(" ", args.reversed()));
        }
    }

    /** A summary line in DIR/README.md, the table of every benchmark written there. */
    static void appendReadme(Path out, String line) throws java.io.IOException {
        Path readme = out.resolve("README.md");
        if (!Files.exists(readme)) {
            AtomicFiles.writeString(readme, "# Benchmarks\n\n| date (UTC) | backend | machine | N precision mean ms/step | file |\n|---|---|---|---|---|\n");
        }
        Files.writeString(readme, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }
}
