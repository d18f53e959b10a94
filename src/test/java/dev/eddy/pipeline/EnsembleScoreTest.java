package dev.eddy.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.TestConfigs;
import dev.eddy.backend.Backend;
import dev.eddy.backend.Latents;
import dev.eddy.codec.CodecSettings;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.config.Forcing;
import dev.eddy.config.OutputSchedule;
import dev.eddy.config.Physics;
import dev.eddy.config.RunConfig;
import dev.eddy.config.TimeControl;
import dev.eddy.gpu.GpuTests;
import dev.eddy.numerics.Precision;
import dev.eddy.proxy.LinearProxy;
import dev.eddy.proxy.Proxies;
import dev.eddy.proxy.ProxySettings;
import dev.eddy.proxy.Rollout;
import dev.eddy.run.EnsembleRun;
import dev.eddy.run.Progress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The proxy scored on an ensemble's held-out members: the batched rollout starts from each held-out
 * member's own latent (no error at step 0 but the codec's), every member is scored, the mean and spread
 * are over them, and the CPU and the GPU give the same score.
 */
@Tag("gpu-parity")
class EnsembleScoreTest {
    @TempDir
    static Path tmp;
    static Path dir;

    /** A forced ensemble of five seeds at N = 32, a snapshot every 5 steps to step 60. */
    @BeforeAll
    static void ensemble() throws Exception {
        RunConfig base = TestConfigs.les(32, Precision.FP64, 2e-3, 0.26, 1.0, "rk4");
        base = TestConfigs.withPhysics(base, new Physics(2e-3, 0.1, 0.26), new Forcing(Forcing.Kind.KOLMOGOROV, 4, 1.0));
        base = TestConfigs.withOutput(base, new OutputSchedule(5, 5, 0), new TimeControl(60, 0, 1.0, 1.5, "rk4"));
        EnsembleConfig c = EnsembleConfig.sweep(base, LongStream.rangeClosed(1, 5).boxed().toList(), null, null, null, null, false);
        dir = tmp.resolve("e");
        try (Backend cpu = new Backend.Cpu(2)) {
            new EnsembleRun(c, cpu, new EnsembleRun.Options(dir, false, null, s -> { }, false, Progress.Mode.OFF)).run();
        }
    }

    static EnsembleScore.Settings settings() {
        return new EnsembleScore.Settings(new CodecSettings(32, 6, 8, 0.7, 0, false, Precision.FP64), new ProxySettings(1e-3, 0, 0), 2, 2);
    }

    static Backend backend(String kind) {
        return kind.equals("cpu") ? new Backend.Cpu(2) : Backend.Vulkan.on(GpuTests.context(), 1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "vulkan"})
    void everyHeldOutMemberIsScoredFromItsOwnStart(String kind) throws Exception {
        EnsembleScore.Result r;
        try (Backend b = backend(kind)) {
            r = EnsembleScore.score(dir, settings(), b);
        }
        assertEquals(List.of(3, 4), r.heldOut());
        assertEquals(11, r.steps().length, "snapshots 10 … 60");
        assertEquals(10, r.steps()[0]);
        for (int h = 0; h < 2; h++) {
            assertEquals(0.0, r.latentError()[h][0], "the rollout starts from the member's own latent");
            assertEquals(r.codecFloor()[h][0], r.fieldError()[h][0], 0.0, "so its field is the codec's");
            for (int t = 1; t < 11; t++) {
                assertTrue(Double.isFinite(r.fieldError()[h][t]) && r.latentError()[h][t] > 0, "member " + h + " step " + t);
            }
        }
        double[][] ms = EnsembleScore.Result.meanAndSpread(r.fieldError());
        double[] last = {r.fieldError()[0][10], r.fieldError()[1][10]};
        assertEquals((last[0] + last[1]) / 2, ms[0][10], 1e-15);
        assertEquals(Math.abs(last[0] - last[1]) / Math.sqrt(2), ms[1][10], 1e-15);
        assertEquals(3, ((Number) r.fit().get("training_members")).intValue());
    }

    @Test
    void theCpuAndTheGpuGiveTheSameScore() throws Exception {
        EnsembleScore.Result cpu;
        EnsembleScore.Result gpu;
        try (Backend c = backend("cpu"); Backend g = backend("vulkan")) {
            cpu = EnsembleScore.score(dir, settings(), c);
            gpu = EnsembleScore.score(dir, settings(), g);
        }
        for (int h = 0; h < 2; h++) {
            assertArrayEquals(cpu.fieldError()[h], gpu.fieldError()[h], 1e-9, "member " + h);
            assertArrayEquals(cpu.latentError()[h], gpu.latentError()[h], 1e-9, "member " + h);
        }
    }

    /** A batched rollout is each trajectory rolled out alone, on both backends. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "vulkan"})
    void aBatchedRolloutIsEachTrajectoryAlone(String kind) {
        int d = 24;
        Random random = new Random(5);
        double[] a = random.doubles((long) d * d, -0.2, 0.2).toArray();
        LinearProxy proxy = new LinearProxy(d, a, 0, d, Map.of());
        Latents.Host starts = new Latents.Host(d, 3, Precision.FP64);
        for (int j = 0; j < 3; j++) {
            starts.set(j, random.doubles(d, -1, 1).toArray());
        }
        try (Backend b = backend(kind); Rollout batch = Proxies.rollout(b, d, 3, 6, Precision.FP64)) {
            batch.setOperator(proxy);
            batch.start(starts, 0);
            batch.run(6);
            int per = batch.trajectory().columns() / 3;
            for (int j = 0; j < 3; j++) {
                try (Rollout one = Proxies.rollout(b, d, 6, Precision.FP64)) {
                    one.setOperator(proxy);
                    one.start(starts, j);
                    one.run(6);
                    for (int t = 0; t <= 6; t++) {
                        assertArrayEquals(one.trajectory().column(t), batch.trajectory().column(j * per + t), 0.0, "trajectory " + j + " step " + t);
                    }
                }
            }
        }
    }
}
