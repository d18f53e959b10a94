package dev.eddy.cli;

import dev.eddy.report.bench.BenchReport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The benchmark report every bench mode writes when it is done: from the results folder the new JSON
 * went to (so the file just written and those before it), into {@code --report DIR}. A report that
 * cannot be written does not undo the measurement: the JSON is kept, the failure is said on one line
 * with the command that retries, and the bench's exit code stands.
 */
public final class AfterBenchReport {
    @Option(names = "--report", paramLabel = "DIR",
            description = "where the benchmark report goes when the bench is done (default: outputs/bench-<UTC time>)")
    Path dir;
    @Option(names = "--no-report", description = "write no benchmark report") boolean off;
    @Mixin
    MemoryFloorFlags floor;

    /** Writes the report of {@code results} unless --no-report; says where, or why not. */
    void write(Path results) {
        if (off) {
            return;
        }
        Path target = dir != null ? dir : BenchReport.defaultDir(Path.of(""), Instant.now());
        try {
            BenchReport.Result r = BenchReport.write(java.util.List.of(results), target, floor.floor());
            System.out.println(BenchReportCommand.summary(r));
        } catch (IOException | IllegalArgumentException e) {
            System.out.println("eddy: the benchmark report was not written (" + e.getMessage() + "); the results are kept: retry with"
                    + " eddy bench report " + results + " --out " + target);
        }
    }
}
