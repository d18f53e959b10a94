package dev.eddy.cli;

import dev.eddy.report.bench.BenchReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eddy bench report [FILES or DIRS]}: the benchmark report from benchmark JSON. */
@Command(name = "report", header = "Make the benchmark report (HTML, markdown, figures) from benchmark JSON files.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Read benchmark JSON (eddy bench: LES step, --fft, --codec; eddy bench pipeline; ensemble files; eddy encode"
                + " reports) and write report.html, report.md and the figures' PNGs: LES ms/step against N with the peers and the"
                + " bandwidth floor, the pipelines' stages and speed-up, the proxy against horizon, the sweeps, ensembles, the codec.",
                "Where several files measure the same thing, the newest wins and the report says so. Files that are not benchmark"
                        + " JSON are skipped with a warning; nothing usable exits with 2."})
public final class BenchReportCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "FILE|DIR", description = "benchmark JSON files, or folders of them (default: planning/benchmarks)")
    List<Path> inputs;
    @Option(names = "--out", paramLabel = "DIR", description = "the report folder (default: outputs/bench-<UTC time> under the current folder)")
    Path out;
    @Mixin
    MemoryFloorFlags floor;
    @Option(names = "--quiet", description = "no warnings or progress lines") boolean quiet;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<Path> in = inputs == null || inputs.isEmpty() ? List.of(Path.of("planning", "benchmarks")) : inputs;
        Path dir = out != null ? out : BenchReport.defaultDir(Path.of(""), Instant.now());
        BenchReport.Result r = BenchReport.write(in, dir, floor.floor());
        if (!quiet) {
            PrintWriter err = spec.commandLine().getErr();
            r.warnings().forEach(w -> err.println("eddy: warning: " + w));
            err.println(summary(r));
            err.flush();
        }
        return ExitCodes.OK;
    }

    static String summary(BenchReport.Result r) {
        return "bench report: " + r.dir().resolve("report.html") + " (" + r.figures().size() + (r.figures().size() == 1 ? " figure" : " figures")
                + (r.skipped().isEmpty() ? "" : ", " + r.skipped().size() + " not drawn: the report says why")
                + (r.warnings().isEmpty() ? "" : ", " + r.warnings().size() + " files or rows left out") + ")";
    }
}
