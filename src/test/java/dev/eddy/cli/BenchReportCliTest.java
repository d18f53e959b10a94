package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eddy bench report} as users meet it: bad files named and skipped, nothing usable exits 2, a bench ends with its report. */
@Tag("fast")
class BenchReportCliTest {
    @TempDir
    Path tmp;

    private Path sample(String name) throws Exception {
        return Path.of(BenchReportCliTest.class.getResource("/bench-samples/" + name).toURI());
    }

    @Test
    void filesThatAreNotBenchmarksAreSkippedWithAWarningNamingThem() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.copy(sample("20261124-162044-cpu.json"), in.resolve("20261124-162044-cpu.json"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(in.resolve("broken.json"), "{\"schema\": \"eddy-bench/1\", \"kind\": ");
        Files.writeString(in.resolve("compare.json"), "{\"schema\": \"eddy-compare/1\", \"snapshots\": []}");
        Files.writeString(in.resolve("future.json"), "{\"schema\": \"eddy-bench/1\", \"kind\": \"warp-drive\", \"results\": [{}]}");
        // a row without mean_ms is left out, the other row is drawn
        Files.writeString(in.resolve("partial.json"), """
                {"schema": "eddy-bench/1", "kind": "les-step", "date": "2026-11-25T00:00:00Z", "label": "partial",
                 "machine": {"cpu": "Acme(R) Z1 CPU", "cores": 4},
                 "results": [{"n": 64, "precision": "fp32", "backend": "cpu-fp32"},
                             {"n": 128, "precision": "fp32", "backend": "cpu-fp32", "mean_ms": 1.5}]}
                """);
        Path out = tmp.resolve("out");
        CliTest.Outcome o = CliTest.eddy("bench", "report", in.toString(), "--out", out.toString());
        assertEquals(ExitCodes.OK, o.code(), o.err());
        assertTrue(o.err().contains("skipped " + in.resolve("broken.json") + ": not valid JSON"), o.err());
        assertTrue(o.err().contains("skipped " + in.resolve("compare.json") + ": not an Eddy benchmark file (schema \"eddy-compare/1\""),
                o.err());
        assertTrue(o.err().contains("skipped " + in.resolve("future.json") + ": unknown benchmark kind \"warp-drive\""), o.err());
        assertTrue(o.err().contains(in.resolve("partial.json") + ": result 1 has no n, precision or mean_ms: left out"), o.err());
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("## Files and rows left out") && md.contains("broken.json: not valid JSON"), md);
        assertTrue(md.contains("| Eddy CPU LES fp32 — Acme Z1, 4 cores | 1.5 |"), md);
        assertTrue(Files.isRegularFile(out.resolve("les-ms-per-step.png")));
    }

    @Test
    void nothingUsableExitsTwoWithTheReason() throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Files.writeString(in.resolve("broken.json"), "not json at all");
        CliTest.Outcome o = CliTest.eddy("bench", "report", in.toString(), "--out", tmp.resolve("out").toString());
        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("nothing to report: none of the 1 JSON file(s) is an Eddy benchmark (skipped " + in.resolve("broken.json")
                + ": not valid JSON"), o.err());
        assertFalse(Files.exists(tmp.resolve("out")), "no report folder for nothing");
    }

    @Test
    void anEmptyFolderOrAMissingPathExitsTwo() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        CliTest.Outcome o = CliTest.eddy("bench", "report", empty.toString(), "--out", tmp.resolve("out").toString());
        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertEquals("eddy: no benchmark JSON (*.json) in " + empty, o.err().strip());
        o = CliTest.eddy("bench", "report", tmp.resolve("nope").toString(), "--out", tmp.resolve("out").toString());
        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("no such file or directory: " + tmp.resolve("nope")), o.err());
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        o = CliTest.eddy("bench", "report", sample("20261124-162044-cpu.json").toString(), "--out", file.toString());
        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("is a file"), o.err());
        o = CliTest.eddy("bench", "report", sample("20261124-162044-cpu.json").toString(), "--floor-bandwidth", "0", "--out",
                tmp.resolve("out").toString());
        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("bandwidth must be a finite number > 0"), o.err());
    }

    /** The CPU LES bench (the one bench mode that needs no GPU) ends by writing the report of its results folder. */
    @Test
    void aBenchEndsByWritingTheReportOfItsResultsFolder() throws Exception {
        Path results = Files.createDirectories(tmp.resolve("results"));
        Files.copy(sample("20261124-162044-cpu.json"), results.resolve("20261124-162044-cpu.json"));
        Path report = tmp.resolve("report");
        CliTest.Outcome o = CliTest.eddy("bench", "--sizes", "32", "--precisions", "fp32", "--steps", "2", "--warmup", "0", "--repeats",
                "1", "--label", "the CLI test's bench", "--out", results.toString(), "--report", report.toString());
        assertEquals(ExitCodes.OK, o.code(), o.err());
        String md = Files.readString(report.resolve("report.md"));
        assertTrue(md.contains("the CLI test's bench") && md.contains("20261124-162044-cpu.json"), "the new file and the old one: " + md);
        assertTrue(md.contains("| 32 |"), "N = 32 is a column of the LES table");
        Path none = tmp.resolve("none");
        o = CliTest.eddy("bench", "--sizes", "32", "--precisions", "fp32", "--steps", "2", "--warmup", "0", "--repeats", "1",
                "--out", results.toString(), "--report", none.toString(), "--no-report");
        assertEquals(ExitCodes.OK, o.code(), o.err());
        assertFalse(Files.exists(none));
    }
}
