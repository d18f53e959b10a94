package dev.eddy.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.codec.CodecSettings;
import dev.eddy.codec.FieldErrors;
import dev.eddy.config.BackendKind;
import dev.eddy.config.ConfigLoader;
import dev.eddy.config.RunConfig;
import dev.eddy.gpu.GpuTests;
import dev.eddy.io.Json;
import dev.eddy.numerics.Precision;
import dev.eddy.proxy.LinearProxy;
import dev.eddy.proxy.ProxySettings;
import dev.eddy.store.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.ejml.data.Complex_F64;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The pipeline end to end on a small forced case: every output is written and means what it says, and
 * the GPU and mixed pipelines (lavapipe) learn the same A and make the same errors as the CPU pipeline.
 */
@Tag("gpu-parity")
class PipelineTest {

    static RunConfig les(int n, Precision p, dev.eddy.config.BackendKind backend) {
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
    void cpuPipelineWritesItsOutputsAndItsVerdictMeansWhatItSays(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("p");
        Pipeline.Result r = run(settings(32, Precision.FP64, Backends.all(BackendKind.CPU), Double.NaN), dir, true, true);
        for (String f : List.of(RunFiles.PIPELINE_SETTINGS, RunFiles.HORIZON_CSV, RunFiles.ROM, "metrics.json", "report.html", "report.md",
                "pictures/error_vs_horizon.png", "pictures/compare_0004.png", "pictures/eigenvalues.png", "pictures/error_vs_lambda.png",
                "pictures/residual_fade.png")) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f + " missing");
        }
        assertEquals(4, r.horizon().size());
        List<String> csv = Files.readAllLines(dir.resolve(RunFiles.HORIZON_CSV));
        assertEquals(5, csv.size(), "header + one row per compared step");
        assertEquals(7 + 6 * HorizonPoint.Variant.values().length, csv.get(0).split(",").length);
        for (HorizonPoint.Variant v : HorizonPoint.Variant.values()) {
            assertTrue(csv.get(0).contains(v.key() + "_rel_l2"), v.key() + " in horizon.csv");
        }
        JsonNode m = Json.MAPPER.readTree(dir.resolve("metrics.json").toFile());
        assertEquals("completed", m.path("status").asText());
        for (String stage : List.of("sim_spinup", "sim", "encode", "learn", "residual_fade", "rollout", "decode", "sim_truth", "compare",
                "rom")) {
            assertTrue(m.path("stage_seconds").has(stage), "stage " + stage + " timed");
        }
        // 13 snapshots, 12 pairs < d = 182: the snapshot form, chosen and reported
        assertEquals("dual", m.path("proxy").path("fit").path("form").asText());
        assertTrue(m.path("verdict").path("rel_l2").has("persistence") && m.path("verdict").has("beats_persistence"));
        assertEquals(r.eigenvalues().size(), m.path("proxy").path("eigenvalues").path("re").size());
        assertTrue(r.eigenvalues().size() >= 1 && r.eigenvalues().size() <= 12, "the m×m spectrum: " + r.eigenvalues().size());
        assertTrue(r.proxy().lambda() > 0, "λ chosen by validation: " + r.proxy().lambda());
        String report = Files.readString(dir.resolve("report.md"));
        assertTrue(report.contains("Verdict") && report.contains("persistence") && report.contains("span floor"), "report verdict");

        HorizonPoint first = r.horizon().getFirst();
        // One proxy step is 5 LES steps of a smooth forced flow: the prediction is close
        assertTrue(first.proxy().relL2() < 0.2, "one-step error " + first.proxy().relL2());
        assertTrue(first.proxy().correlation() > 0.95, "one-step correlation " + first.proxy().correlation());
        assertEquals(1.0, r.fade().at(0), 0.0);
        assertTrue(r.fade().at(1) > 0 && r.fade().at(1) < 1.5, "c_1 = " + r.fade().at(1));
        for (HorizonPoint p : r.horizon()) {
            assertEquals(r.fade().at(p.step()), p.fade(), 0.0);
            FieldErrors floor = p.errors(HorizonPoint.Variant.CODEC_FLOOR);
            for (HorizonPoint.Variant v : List.of(HorizonPoint.Variant.FADED_RESIDUAL, HorizonPoint.Variant.LATENT_ONLY,
                    HorizonPoint.Variant.STALE_RESIDUAL)) {
                assertTrue(floor.relL2() <= p.errors(v).relL2() + 1e-12, "the codec floor is a floor for " + v + " at " + p.step());
            }
            // A maps into the span of the training latents, so no rollout, and no held latent, comes closer than the projection
            assertTrue(p.spanLatentRelError() <= p.latentRelError() + 1e-12, "span floor vs proxy at " + p.step());
            assertTrue(p.spanLatentRelError() <= p.persistenceLatentRelError() + 1e-12, "span floor vs persistence at " + p.step());
            // the span floor's decode is latent only: it cannot beat the latent-only floor of the codec
            assertTrue(p.errors(HorizonPoint.Variant.CODEC_FLOOR_LATENT_ONLY).relL2()
                    <= p.errors(HorizonPoint.Variant.SPAN_FLOOR).relL2() + 1e-12, "latent-only floor at " + p.step());
        }
        // persistence against the host: the held field is the LES at the end of the window; its error grows along the horizon
        assertTrue(r.horizon().getLast().errors(HorizonPoint.Variant.PERSISTENCE).relL2()
                > first.errors(HorizonPoint.Variant.PERSISTENCE).relL2(), "persistence decays");
        assertEquals(200 + 60 + 20, r.horizon().getLast().lesStep(), "LES steps: spin-up, window, horizon");
        RomFileTest.assertRomHolds(dir.resolve(RunFiles.ROM), r, 13, 4, 182);
    }

    @Test
    void aWindowWithMorePairsThanDLearnsInThePrimalForm(@TempDir Path tmp) throws Exception {
        CodecSettings codec = new CodecSettings(32, 2, 4, 0.7, 0, false, Precision.FP64);
        Backends cpu = Backends.all(BackendKind.CPU);
        PipelineSettings s = new PipelineSettings(les(32, Precision.FP64, cpu.sim()), 100, 200, 5, 10, codec,
                new ProxySettings(Double.NaN, 0, 0.2), cpu, 1);
        Pipeline.Result r = run(s, tmp.resolve("p"), false, false);
        assertEquals("primal", r.proxy().fit().get("form"), "40 pairs ≥ d = 30");
        assertEquals(30, r.eigenvalues().size(), "every eigenvalue of the 30×30 A");
        assertTrue(r.horizon().getFirst().proxy().relL2() < 0.5, "one-step error " + r.horizon().getFirst().proxy().relL2());
    }

    /**
     * A pipeline stopped after its training window resumes from the window checkpoint in the primal form
     * too (the Grams formed again from the restored latents) and on every backend: the same horizon, λ and
     * fade as the uninterrupted pipeline, bit for bit. (The unfinished pipeline is made here by taking away
     * the DONE mark; FaultInjectionTest kills real processes.)
     */
    @ParameterizedTest
    @MethodSource("resumeBackends")
    void aPipelineResumedFromItsWindowCheckpointEndsAsTheUninterruptedOne(Backends b, Precision p, @TempDir Path tmp) throws Exception {
        if (b.sim() == BackendKind.VULKAN || b.proxy() == BackendKind.VULKAN) {
            GpuTests.needsDevice();
        }
        CodecSettings codec = new CodecSettings(32, 2, 4, 0.7, 0, false, p);
        PipelineSettings s = new PipelineSettings(les(32, p, b.sim()), 40, 200, 5, 10, codec, new ProxySettings(Double.NaN, 0, 0.2), b, 1);
        Path dir = tmp.resolve("p");
        Pipeline.Result first = run(s, dir, false, false);
        assertEquals("primal", first.proxy().fit().get("form"));
        String horizon = Files.readString(dir.resolve(RunFiles.HORIZON_CSV));
        Files.delete(dir.resolve(RunFiles.PIPELINE_DONE));
        List<String> log = new java.util.ArrayList<>();
        Pipeline.Result again = new Pipeline(s, new Pipeline.Options(dir, null, log::add, false)).run();
        assertTrue(log.stream().anyMatch(l -> l.contains("resuming from the training window checkpoint")), String.join("\n", log));
        assertTrue(log.stream().noneMatch(l -> l.startsWith("training window done")), String.join("\n", log));
        assertEquals(0.0, again.stageSeconds().getOrDefault("sim", 0.0), "the window's LES is not run again");
        assertEquals(horizon, Files.readString(dir.resolve(RunFiles.HORIZON_CSV)));
        assertEquals(first.proxy().lambda(), again.proxy().lambda());
        assertArrayEquals(first.fade().coefficients(), again.fade().coefficients());
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> resumeBackends() {
        return java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(Backends.all(BackendKind.CPU), Precision.FP64),
                org.junit.jupiter.params.provider.Arguments.of(Backends.all(BackendKind.VULKAN), Precision.FP32),
                org.junit.jupiter.params.provider.Arguments.of(new Backends(BackendKind.CPU, BackendKind.CPU, BackendKind.VULKAN),
                        Precision.FP32));
    }

    @Test
    void warningsFireOnAGrowingOperatorAndAPredictionWorseThanPersistence() {
        Map<String, Object> fit = new java.util.LinkedHashMap<>();
        fit.put("form", "primal");
        fit.put("spectral_radius", 1.2);
        fit.put("grows", true);
        LinearProxy unstable = new LinearProxy(2, new double[] {1.2, 0, 0, 0.5}, 0, 2, fit);
        List<Complex_F64> eig = List.of(new Complex_F64(1.2, 0), new Complex_F64(0.5, 0));
        Pipeline.Result bad = result(unstable, eig, 0.9, 0.5);
        List<String> w = PipelineOutputs.warnings(bad);
        assertEquals(2, w.size(), w.toString());
        assertTrue(w.get(0).contains("grows") && w.get(0).contains("1.2") && w.get(0).contains("1 eigenvalue(s) outside"), w.get(0));
        assertTrue(w.get(1).contains("persistence"), w.get(1));
        assertEquals(3, PipelineOutputs.warnings(result(unstable, eig, 1.3, 0.5)).size(), "worse than predicting zero too");
        Map<String, Object> stableFit = new java.util.LinkedHashMap<>(fit);
        stableFit.put("spectral_radius", 0.9);
        stableFit.put("grows", false);
        LinearProxy stable = new LinearProxy(2, new double[] {0.9, 0, 0, 0.5}, 0, 2, stableFit);
        assertEquals(List.of(), PipelineOutputs.warnings(result(stable, List.of(), 0.2, 0.5)), "a stable proxy with skill: none");
        assertTrue(PipelineOutputs.verdict(settings(32, Precision.FP64, Backends.all(BackendKind.CPU), 1e-6), bad)
                .contains("does NOT beat persistence"));
    }

    /** A result with one horizon point: the prediction at {@code proxy}, persistence at {@code persistence}, the rest 0.1. */
    private static Pipeline.Result result(LinearProxy a, List<Complex_F64> eig, double proxy, double persistence) {
        Map<HorizonPoint.Variant, FieldErrors> f = new java.util.EnumMap<>(HorizonPoint.Variant.class);
        for (HorizonPoint.Variant v : HorizonPoint.Variant.values()) {
            f.put(v, errors(0.1));
        }
        f.put(HorizonPoint.Variant.FADED_RESIDUAL, errors(proxy));
        f.put(HorizonPoint.Variant.PERSISTENCE, errors(persistence));
        HorizonPoint p = new HorizonPoint(4, 20, 1.0, 0.2, 0.3, 0.4, 0.1, f);
        return new Pipeline.Result(a, List.of(p), Map.of(), Map.of(), 0.01, ResidualFade.fromLags(new double[] {1, 0, 0, 0, 0}, 1, 4), eig);
    }

    private static FieldErrors errors(double rel) {
        return new FieldErrors(rel, rel, 20, 1 - rel, 0, 0);
    }

    @Test
    void gpuAndMixedPipelinesLearnTheSameOperatorAndMakeTheSameErrorsAsTheCpuPipeline(@TempDir Path tmp) throws Exception {
        GpuTests.needsDevice();
        int n = 64;
        Pipeline.Result cpu = run(settings(n, Precision.FP32, Backends.all(BackendKind.CPU), 1e-6), tmp.resolve("cpu"), false, false);
        Pipeline.Result gpu = run(settings(n, Precision.FP32, Backends.all(BackendKind.VULKAN), 1e-6), tmp.resolve("gpu"), true, false);
        Pipeline.Result mixed = run(settings(n, Precision.FP32, new Backends(BackendKind.CPU, BackendKind.CPU, BackendKind.VULKAN), 1e-6), tmp.resolve("mixed"),
                true, false);
        for (Pipeline.Result other : List.of(gpu, mixed)) {
            double dA = dev.eddy.TestConfigs.relL2(other.proxy().a(), cpu.proxy().a());
            assertTrue(dA < 2e-3, "A differs by " + dA);
            for (int h = 0; h < other.fade().coefficients().length; h++) {
                assertEquals(cpu.fade().at(h), other.fade().at(h), 1e-3, "c_" + h);
            }
            for (int i = 0; i < cpu.horizon().size(); i++) {
                HorizonPoint a = cpu.horizon().get(i);
                HorizonPoint b = other.horizon().get(i);
                for (HorizonPoint.Variant v : HorizonPoint.Variant.values()) {
                    assertEquals(a.errors(v).relL2(), b.errors(v).relL2(), 2e-3 + 0.02 * a.errors(v).relL2(),
                            v + " rel L2 at proxy step " + a.step());
                    assertEquals(a.errors(v).correlation(), b.errors(v).correlation(), 1e-3, v + " correlation at " + a.step());
                }
            }
        }
        // The GPU pipeline's verdict moves no field: the LES state is encoded and judged in place on the device,
        // and only the prediction at the last step is decoded to the host (one padded field).
        JsonNode ledger = Json.MAPPER.readTree(tmp.resolve("gpu/metrics.json").toFile()).path("transfers");
        long state = (long) n * (n + 2) * 4;
        assertEquals(2 * state, bytesOf(ledger, "omega", "device_to_host"), "ω̂ crosses twice, for the spin-up's and the training"
                + " window's stage checkpoints (what a killed pipeline resumes from): " + ledger);
        assertEquals(state, bytesOf(ledger, "codec.field", "device_to_host"), "one decoded field: " + ledger);
        // learn: the 13×13 snapshot Gram comes back (float64) and Z once (d×13 reals, for A's factors); the factors
        // L and R (d×r, r ≤ 12) go down for the rollout: A itself (d²) is never formed
        int d = new CodecSettings(n, 6, 4, 0.7, 0, false, Precision.FP32).latentDimension();
        long learn = bytes(ledger, "learn");
        assertTrue(learn > 0 && learn <= 13L * 13 * 8 + 13L * d * 4 + 2L * d * 12 * 4 + 4096, "learn moved " + learn + " bytes for d = " + d);
        assertEquals(0, bytesOf(ledger, "proxy.A", "host_to_device"), "no explicit A: " + ledger);
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
