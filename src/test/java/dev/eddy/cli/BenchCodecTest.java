package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.gpu.GpuTests;
import dev.eddy.io.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eddy bench codec} (before issue 17: {@code bench --codec}): a smoke run at N = 64 on whatever Vulkan device the machine has (lavapipe here). */
@Tag("gpu-parity")
class BenchCodecTest {
    @TempDir
    Path tmp;

    @Test
    void aCodecBenchmarkAtN64WritesALabNotebookJson() throws Exception {
        GpuTests.needsDevice();
        CliTest.Outcome o = CliTest.eddy("bench", "codec", "--sizes", "64", "--precisions", "fp32,fp64", "--k", "16", "--tile", "16",
                "--warmup", "1", "--repeats", "2", "--device", CodecCliTest.deviceOrFirst(), "--out", tmp.toString(), "--report",
                tmp.resolve("report").toString());
        assertEquals(ExitCodes.OK, o.code(), o.err());
        Path json;
        try (Stream<Path> files = Files.list(tmp)) {
            json = files.filter(p -> p.getFileName().toString().contains("-codec-")).findFirst().orElseThrow();
        }
        JsonNode doc = Json.MAPPER.readTree(json.toFile());
        assertEquals("codec", doc.get("kind").asText());
        assertEquals(2, doc.get("results").size());
        for (JsonNode r : doc.get("results")) {
            JsonNode gpu = r.get("gpu");
            for (String call : new String[] {"encode_spectral", "decode_latent", "decode_residual"}) {
                assertTrue(gpu.get(call).get("wall_median_ms").asDouble() > 0, call + ": " + gpu.get(call));
                assertTrue(gpu.get(call).get("device_bytes").asLong() > 0, call);
            }
            double latent = gpu.get("errors_latent_only").get("relL2").asDouble();
            double full = gpu.get("errors_latent_residual").get("relL2").asDouble();
            assertTrue(full < latent, latent + " → " + full);
            JsonNode cpu = r.get("cpu");
            assertTrue(cpu.get("encode").get("wall_median_ms").asDouble() > 0);
            // both backends encode the same field: their reconstructions agree to the precision
            assertTrue(cpu.get("gpu_vs_cpu_rel_l2").asDouble() < (r.get("precision").asText().equals("fp64") ? 1e-10 : 1e-4),
                    cpu.get("gpu_vs_cpu_rel_l2").toString());
            assertTrue(r.get("compression_ratio").asDouble() > 1);
        }
        assertTrue(Files.readString(tmp.resolve("README.md")).contains(json.getFileName().toString()));
        assertTrue(Files.isRegularFile(tmp.resolve("report").resolve("codec-ratio-error.png")), "the bench ends with its report");
    }

    @Test
    void aLatentCutoffTooLargeForOneOfTheSizesIsAUsageError() {
        CliTest.Outcome o = CliTest.eddy("bench", "codec", "--sizes", "64,32", "--k", "16", "--out", tmp.toString());
        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("K ≤ 10"), o.err());
    }

    /** The old mode flag is refused before anything runs, naming the subcommand ({@code --codec} is a backend in pipeline). */
    @Test
    void theOldModeFlagNamesTheSubcommand() throws Exception {
        CliTest.Outcome o = CliTest.eddy("bench", "--codec", "--sizes", "64", "--k", "16", "--out", tmp.toString());
        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("is now 'eddy bench codec'") && o.err().contains("eddy bench codec --sizes 64 --k 16"), o.err());
        try (Stream<Path> files = Files.list(tmp)) {
            assertEquals(0, files.count(), "nothing is written");
        }
    }
}
