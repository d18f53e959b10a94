package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code eddy bench --members}: ensembles of 1 and 3 members at N = 32 write the benchmark JSON the report
 * reads (kind ensemble: n, members, precision, ms per member-step), with the floor beside each row; a case
 * the memory check refuses is listed as skipped, and the others still run.
 */
@Tag("gpu-parity")
class BenchEnsembleTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "vulkan"})
    void anEnsembleBenchmarkWritesTheJsonTheReportReads(String backend) throws Exception {
        if (backend.equals("vulkan")) {
            dev.eddy.gpu.GpuTests.context().close();
        }
        CliTest.Outcome o = CliTest.eddy("bench", "--members", "1,3", "--sizes", "32", "--precisions", "fp64", "--backend", backend,
                "--steps", "4", "--warmup", "1", "--repeats", "2", "--out", tmp.toString(), "--report", tmp.resolve("report").toString());
        assertEquals(ExitCodes.OK, o.code(), o.err());
        Path json;
        try (Stream<Path> files = Files.list(tmp)) {
            json = files.filter(p -> p.getFileName().toString().contains("-ensemble-")).findFirst().orElseThrow();
        }
        JsonNode doc = Json.MAPPER.readTree(json.toFile());
        assertEquals("ensemble", doc.get("kind").asText());
        assertEquals(2, doc.get("results").size());
        for (JsonNode r : doc.get("results")) {
            assertEquals(32, r.get("n").asInt());
            assertEquals("fp64", r.get("precision").asText());
            double perMember = r.get("ms_per_member_step").asDouble();
            assertEquals(r.get("ms_per_step").asDouble() / r.get("members").asInt(), perMember, 1e-12 * perMember);
            assertEquals(1e3 / perMember, r.get("member_steps_per_second").asDouble(), 1e-9 * r.get("member_steps_per_second").asDouble());
            assertEquals(920.0 * 32 * 32 * 2, r.get("floor_bytes_per_member_step").asDouble(), 1e-6, "230·s·N² in fp32, ×2 in fp64, s = 4");
            assertTrue(r.get("finite").asBoolean() && r.get("timed_steps").asInt() >= 4);
        }
        assertTrue(Files.isRegularFile(tmp.resolve("report").resolve("ensemble.png")), "the bench ends with its report, ensemble figure drawn");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu"})
    void aCaseThatDoesNotFitIsSkippedAndTheOthersRun(String backend) throws Exception {
        CliTest.Outcome o = CliTest.eddy("bench", "--members", "2,60000", "--sizes", "1024", "--precisions", "fp32", "--backend", backend,
                "--steps", "1", "--warmup", "0", "--out", tmp.toString(), "--no-report", "--threads", "2");
        assertEquals(ExitCodes.OK, o.code(), o.err());
        Path json;
        try (Stream<Path> files = Files.list(tmp)) {
            json = files.filter(p -> p.getFileName().toString().contains("-ensemble-")).findFirst().orElseThrow();
        }
        JsonNode doc = Json.MAPPER.readTree(json.toFile());
        assertEquals(1, doc.get("results").size());
        assertEquals(1, doc.get("skipped").size());
        assertEquals(60000, doc.get("skipped").get(0).get("members").asInt());
        assertTrue(doc.get("skipped").get(0).get("why").asText().contains("members fit"), doc.get("skipped").toString());
    }
}
