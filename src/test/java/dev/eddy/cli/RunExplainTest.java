package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.gpu.GpuTests;
import dev.eddy.io.Json;
import dev.eddy.sim.gpu.GpuLes;
import dev.eddy.run.Checkpoint;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eddy run --explain} against reality: its buffers are the memory map of a live GPU LES of the
 * same settings, and its transfer totals are the ledger that the same run records when it really runs.
 */
@Tag("gpu-parity")
class RunExplainTest {
    record Outcome(int code, String out, String err) {
    }

    static Outcome eddy(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    static String[] args(String[] head, String... tail) {
        return Stream.concat(Stream.of(head), Stream.of(tail)).toArray(String[]::new);
    }

    /** Chunks to events at multiples of 3, 4 and 5; checkpoints both at and off snapshot steps; the end (26) off both. */
    static final String[] CASE = {"--n", "32", "--kp", "4", "--seed", "3", "--precision", "fp32", "--steps", "26",
            "--snapshot-every", "5", "--diag-every", "3", "--checkpoint-every", "4"};

    /** JSON as parsed from text, so numbers compare by value whether they were written from an int or a long. */
    static JsonNode tree(Object value) throws Exception {
        return Json.MAPPER.readTree(value instanceof JsonNode n ? n.toString() : Json.write(value));
    }

    /** Ledger rows in a fixed order: the ledger lists them by first use, and a snapshot is counted when consumed. */
    static List<String> rows(JsonNode transfers) {
        List<String> out = new ArrayList<>();
        transfers.forEach(t -> out.add(t.toString()));
        out.sort(Comparator.naturalOrder());
        return out;
    }

    static JsonNode readJson(Path p) throws Exception {
        return Json.MAPPER.readTree(p.toFile());
    }

    @Test
    void theExplanationIsTheMemoryMapAndTheLedgerOfTheRealRun(@TempDir Path tmp) throws Exception {
        GpuTests.needsDevice();
        String[] vulkan = args(CASE, "--backend", "vulkan");
        Path explainJson = tmp.resolve("explain.json");
        Outcome e = eddy(args(new String[] {"run", "--explain", "--explain-json", explainJson.toString()}, vulkan));
        assertEquals(ExitCodes.OK, e.code(), e.err());
        assertTrue(e.out().contains("snapshot_staging_1") && e.out().contains("device_local") && e.out().contains("host_visible")
                && e.out().contains("total: host→device"), e.out());
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(explainJson), files.toList(), "--explain runs nothing and writes only its JSON");
        }
        JsonNode ex = readJson(explainJson);
        assertEquals(26, ex.get("end_step").asLong());
        assertTrue(ex.get("exact").asBoolean());

        Path dir = tmp.resolve("run");
        Outcome r = eddy(args(new String[] {"run", "--out", dir.toString(), "--log-metrics", "--no-report", "--quiet"}, vulkan));
        assertEquals(ExitCodes.OK, r.code(), r.err());
        JsonNode metrics = readJson(dir.resolve("metrics.json"));
        assertEquals(tree(ex.get("buffers")), tree(metrics.get("memory_map")), "buffers vs the run's memory map");
        assertEquals(rows(ex.get("transfers")), rows(metrics.get("transfers")), "planned copies vs the run's ledger");
        // the run had copies of every kind a fresh run makes: initial state, ring, diagnostics, snapshots, checkpoint reads
        assertEquals(List.of("diagnostics", "initial state", "snapshot", "state"),
                metrics.get("transfers").findValuesAsText("stage").stream().distinct().sorted().toList());

        // a live instance of the same settings: its memory map, and the context's own list of live device buffers
        var config = Checkpoint.read(dir).config();
        try (GpuLes sim = new GpuLes(config, GpuTests.options())) {
            assertEquals(tree(ex.get("buffers")), tree(sim.memoryMap()));
            List<JsonNode> deviceLocal = new ArrayList<>();
            ex.get("buffers").forEach(b -> {
                if (b.get("memory").asText().equals("device_local")) {
                    deviceLocal.add(b);
                }
            });
            assertEquals(tree(deviceLocal), tree(sim.context().memoryMap()), "nothing device-local is allocated outside the plan");
        }

        // continuing the run: the explanation of the restart against the restart's own ledger
        Path restartJson = tmp.resolve("restart.json");
        Outcome er = eddy("run", "--restart", dir.toString(), "--steps", "40", "--explain", "--explain-json", restartJson.toString());
        assertEquals(ExitCodes.OK, er.code(), er.err());
        assertTrue(er.out().contains("steps 26 → 40"), er.out());
        Outcome rr = eddy("run", "--restart", dir.toString(), "--steps", "40", "--log-metrics", "--no-report", "--quiet");
        assertEquals(ExitCodes.OK, rr.code(), rr.err());
        JsonNode restarted = readJson(dir.resolve("metrics.json"));
        assertEquals(rows(readJson(restartJson).get("transfers")), rows(restarted.get("transfers")));
        assertTrue(restarted.get("transfers").findValuesAsText("stage").contains("restart"));
    }

    @Test
    void theCpuBackendHasNoDeviceBuffersAndCopiesNothing(@TempDir Path tmp) throws Exception {
        String[] cpu = args(CASE, "--backend", "cpu");
        Path json = tmp.resolve("explain.json");
        Outcome e = eddy(args(new String[] {"run", "--explain", "--explain-json", json.toString()}, cpu));
        assertEquals(ExitCodes.OK, e.code(), e.err());
        assertTrue(e.out().contains("no device buffers"), e.out());
        JsonNode ex = readJson(json);
        assertTrue(ex.get("buffers").isEmpty() && ex.get("transfers").isEmpty(), ex.toString());
        assertEquals(0, ex.get("totals").get("copies").asLong());
        assertEquals(ExitCodes.USAGE, eddy("run", "--explain-json", json.toString(), "--out", tmp.resolve("x").toString()).code(),
                "--explain-json alone is a usage error");
    }
}
