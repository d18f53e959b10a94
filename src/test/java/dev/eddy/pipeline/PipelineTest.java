package dev.eddy.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.store.RunFiles;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.codec.CodecSettings;
import dev.eddy.config.ConfigLoader;
import dev.eddy.config.RunConfig;
import dev.eddy.io.Json;
import dev.eddy.proxy.ProxySettings;
import dev.eddy.numerics.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline end to end on a small forced case: every output is written and means what it says, and
 * the GPU and mixed pipelines (lavapipe) learn the same A and make the same errors as the CPU pipeline.
 */
class PipelineTest {

    static RunConfig les(int n, Precision p, String backend) {
        return new ConfigLoader().preset("kolmogorov-256").set("n", n).set("precision", p.label()).set("backend", backend)
                .set("threads", 2).build();
    }

    static PipelineSettings settings(int n, Precision p, Backends b, double lambda) {
        CodecSettings codec = new CodecSettings(n, 6, 4, 0.7, 0, false, p);
        return new PipelineSettings(les(n, p, b.sim()), 200, 60, 5, 20, codec,
                new ProxySettings(lambda, 0, Double.isNaN(lambda) ? 0.2 : 0), b, 1);
    }

    static Pipeline.Result run(PipelineSettings s, Path dir, boolean metrics, boolean report) throws Exception {
        return new Pipeline(s, new Pipeline.Options(dir, metrics ? dir.resolve("metrics.json") : null, line -> { }, report)).run();
    }

    @Test
    void cpuPipelineWritesItsOutputsAndTheProxyBeatsNothingButTheCodecFloor(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("p");
        Pipeline.Result r = run(settings(32, Precision.FP64, Backends.all("cpu"), Double.NaN), dir, true, true);
        for (String f : List.of(RunFiles.PIPELINE_SETTINGS, RunFiles.HORIZON_CSV, "metrics.json", "report.html", "report.md",
                "pictures/error_vs_horizon.png", "pictures/compare_0004.png")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f + " missing");
        }
        assertEquals(4, r.horizon().size());
        assertEquals(5, Files.readAllLines(dir.resolve(RunFiles.HORIZON_CSV)).size(), "header + one row per compared step");
        JsonNode m = Json.MAPPER.readTree(dir.resolve("metrics.json").toFile());
        assertEquals("completed", m.path("status").asText());
        for (String stage : List.of("sim_spinup", "sim", "encode", "learn", "rollout", "decode", "sim_truth", "compare")) {
            assertTrue(m.path("stage_seconds").has(stage), "stage " + stage + " timed");
        }
        assertTrue(r.proxy().lambda() > 0, "λ chosen by validation: " + r.proxy().lambda());
        Pipeline.HorizonPoint first = r.horizon().getFirst();
        Pipeline.HorizonPoint last = r.horizon().getLast();
        // One proxy step is 5 LES steps of a smooth forced flow: the prediction is close, and the residual of
        // the last training snapshot cannot make the decoded field worse than the codec floor allows.
        assertTrue(first.withResidual().relL2() < 0.2, "one-step error " + first.withResidual().relL2());
        assertTrue(first.withResidual().correlation() > 0.95, "one-step correlation " + first.withResidual().correlation());
        assertTrue(first.codecFloor().relL2() <= first.withResidual().relL2() + 1e-12, "the codec floor is a floor");
        assertTrue(last.latentRelError() >= first.latentRelError() * 0.5, "errors do not vanish along the horizon");
        assertEquals(200 + 60 + 20, last.lesStep(), "LES steps: spin-up, window, horizon");
    }

    @Test
    void gpuAndMixedPipelinesLearnTheSameOperatorAndMakeTheSameErrorsAsTheCpuPipeline(@TempDir Path tmp) throws Exception {
        dev.eddy.gpu.GpuTests.contextOrSkip().close();
        int n = 64;
        Pipeline.Result cpu = run(settings(n, Precision.FP32, Backends.all("cpu"), 1e-6), tmp.resolve("cpu"), false, false);
        Pipeline.Result gpu = run(settings(n, Precision.FP32, Backends.all("vulkan"), 1e-6), tmp.resolve("gpu"), true, false);
        Pipeline.Result mixed = run(settings(n, Precision.FP32, new Backends("cpu", "cpu", "vulkan"), 1e-6), tmp.resolve("mixed"),
                true, false);
        for (Pipeline.Result other : List.of(gpu, mixed)) {
            double dA = dev.eddy.TestConfigs.relL2(other.proxy().a(), cpu.proxy().a());
            assertTrue(dA < 2e-3, "A differs by " + dA);
            for (int i = 0; i < cpu.horizon().size(); i++) {
                Pipeline.HorizonPoint a = cpu.horizon().get(i);
                Pipeline.HorizonPoint b = other.horizon().get(i);
                assertEquals(a.withResidual().relL2(), b.withResidual().relL2(), 2e-3 + 0.02 * a.withResidual().relL2(),
                        "rel L2 at proxy step " + a.step());
                assertEquals(a.latentOnly().correlation(), b.latentOnly().correlation(), 1e-3);
            }
        }
        // The full GPU pipeline moves no field to the host to encode or learn: the latents feed the Gram
        // matrices on the device; only the d×d Grams come back and A goes down, once.
        JsonNode ledger = Json.MAPPER.readTree(tmp.resolve("gpu/metrics.json").toFile()).path("transfers");
        int d = new CodecSettings(n, 6, 4, 0.7, 0, false, Precision.FP32).latentDimension();
        long learn = bytes(ledger, "learn");
        assertTrue(learn > 0 && learn <= 3L * d * d * 8 + 4096, "learn moved " + learn + " bytes for d = " + d);
        // ω̂ crossed once per compared horizon step (the LES truth for the error figures), never to be encoded,
        // and once for the spin-up's stage checkpoint (what a killed pipeline resumes from)
        long field = (long) n * (n + 2) * 4;
        assertEquals((gpu.horizon().size() + 1) * field, bytesOf(ledger, "omega", "device_to_host"), "ω̂ read-backs: " + ledger);
        // the mixed pipeline uploads every training latent to the GPU proxy
        JsonNode mixedLedger = Json.MAPPER.readTree(tmp.resolve("mixed/metrics.json").toFile()).path("transfers");
        assertTrue(bytes(mixedLedger, "learn") >= (long) 13 * d * 4, "mixed: latents uploaded");
    }

    private static long bytesOf(JsonNode ledger, String buffer, String direction) {
        long sum = 0;
        for (JsonNode t : ledger) {
            if (t.path("buffer").asText().equals(buffer) && t.path("direction").asText().equals(direction)) {
                sum += t.path("bytes").asLong();
            }
        }
        return sum;
    }

    private static long bytes(JsonNode ledger, String stage) {
        long sum = 0;
        for (JsonNode t : ledger) {
            if (t.path("stage").asText().equals(stage)) {
                sum += t.path("bytes").asLong();
            }
        }
        return sum;
    }
}
