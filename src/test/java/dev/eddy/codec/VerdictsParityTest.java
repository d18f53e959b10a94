package dev.eddy.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eddy.TestConfigs;
import dev.eddy.backend.Backend;
import dev.eddy.backend.Latents;
import dev.eddy.codec.SnapshotCodec.Residual;
import dev.eddy.config.RunConfig;
import dev.eddy.gpu.GpuContextTest;
import dev.eddy.numerics.Precision;
import dev.eddy.proxy.SpanProjection;
import dev.eddy.sim.Simulation;
import dev.eddy.sim.Simulations;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The GPU codec's planned verdicts (one recorded program a compared step) against the same steps run one
 * by one through reference, encode, judge and column read-backs: the same numbers, for one submission a
 * step where the one-by-one path takes a dozen.
 */
@Tag("gpu-parity")
class VerdictsParityTest extends GpuContextTest {
    static final int N = 32;

    @ParameterizedTest
    @EnumSource(Precision.class)
    void aPlannedStepIsOneSubmissionWithTheNumbersOfTheStepByStepVerdict(Precision p) {
        CodecSettings s = new CodecSettings(N, 6, 8, 0.7, 0, false, p);
        RunConfig c = TestConfigs.withBackend(TestConfigs.les(N, p), "vulkan");
        Backend.Vulkan backend = Backend.Vulkan.on(ctx, 1);
        try (Simulation sim = Simulations.create(c, backend); GpuCodec gpu = new GpuCodec(ctx, s, 6)) {
            for (int col = 0; col < 3; col++) {
                sim.advance(5, Double.POSITIVE_INFINITY);
                gpu.encode(sim, col);
            }
            gpu.reference(SnapshotCodec.HELD, sim);
            Latents own = gpu.latents();
            SpanProjection span = new SpanProjection(own.columns(0, 3), own.d(), 3);
            List<Verdicts.Step> steps = List.of(step(own, 3), step(own, 5));
            Verdicts sequential = new Verdicts.Sequential(gpu, sim, steps, span);
            try (Verdicts planned = gpu.verdicts(sim, steps, span)) {
                assertEquals(GpuCodecJudge.class, planned.getClass().getEnclosingClass(), "recorded on the device");
                double tol = p == Precision.FP64 ? 1e-9 : 1e-4;
                for (int i = 0; i < steps.size(); i++) {
                    sim.advance(3, Double.POSITIVE_INFINITY);
                    long before = ctx.submissions();
                    Verdicts.Outcome got = planned.judge(i);
                    assertEquals(1, ctx.submissions() - before, "submissions of planned step " + i);
                    long seqBefore = ctx.submissions();
                    Verdicts.Outcome want = sequential.judge(i);
                    // reference, encode, a column read-back each for the truth and the read, an upload of the span latent,
                    // and a program for every comparison
                    assertEquals(4 + steps.get(i).compared().size() + 1, ctx.submissions() - seqBefore, "one by one");
                    assertArrayEquals(want.truthLatent(), got.truthLatent(), 0, "the encode is the same program's");
                    assertArrayEquals(want.read(), got.read(), 0);
                    double scale = java.util.Arrays.stream(want.truthLatent()).map(Math::abs).max().orElse(1);
                    assertArrayEquals(want.projected(), got.projected(), (p == Precision.FP64 ? 1e-13 : 1e-5) * scale, "span");
                    for (int k = 0; k < want.errors().size(); k++) {
                        CodecJudgeParityTest.assertErrorsClose(want.errors().get(k), got.errors().get(k), tol);
                    }
                }
            }
        }
    }

    private static Verdicts.Step step(Latents own, int truth) {
        return new Verdicts.Step(truth, List.of(new Verdicts.Decoded(own, 1, null), new Verdicts.Decoded(own, 2, Residual.of(2).faded(0.5)),
                new Verdicts.Held(), new Verdicts.SpanOfTruth(), new Verdicts.Decoded(own, truth, Residual.of(truth)),
                new Verdicts.Decoded(own, truth, null)), own, 0);
    }
}
