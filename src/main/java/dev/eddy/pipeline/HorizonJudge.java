package dev.eddy.pipeline;

import dev.eddy.backend.Latents;
import dev.eddy.codec.FieldErrors;
import dev.eddy.codec.SnapshotCodec.Residual;
import dev.eddy.codec.SnapshotCodec;
import dev.eddy.numerics.Reductions;
import dev.eddy.pipeline.HorizonPoint.Variant;
import dev.eddy.proxy.SpanProjection;
import dev.eddy.sim.Simulation;
import java.util.EnumMap;
import java.util.Map;

/**
 * The verdict at a step of the horizon (design §4): the LES field becomes the codec's truth reference
 * and is encoded into its own latent column, then every {@link Variant} is decoded and compared with it
 * where the codec runs ({@link SnapshotCodec#judge}: on a GPU only the numbers cross). The persistence
 * baseline is the codec's held reference, set at the end of the training window.
 */
final class HorizonJudge {
    private final SnapshotCodec codec;
    private final Latents trajectory;
    private final int lastTraining;
    private final ResidualFade fade;
    private final SpanProjection span;
    private final double[] lastLatent;
    private final Latents.Host spanLatent;

    /**
     * @param trajectory   the proxy's rollout (column h: h proxy steps past the window)
     * @param lastTraining the codec's column of the last training snapshot (its residual and its held latent)
     * @param span         the projection onto span(training latents)
     */
    HorizonJudge(SnapshotCodec codec, Latents trajectory, int lastTraining, ResidualFade fade, SpanProjection span) {
        this.codec = codec;
        this.trajectory = trajectory;
        this.lastTraining = lastTraining;
        this.fade = fade;
        this.span = span;
        this.lastLatent = codec.latents().column(lastTraining);
        this.spanLatent = new Latents.Host(codec.latents().d(), 1, codec.latents().precision());
    }

    /** The residual the prediction h proxy steps on decodes with: c_h times the last training residual. */
    Residual faded(int step) {
        return Residual.of(lastTraining).faded(fade.at(step));
    }

    /** Judges the proxy after {@code step} proxy steps against the current state of {@code sim}, encoded into {@code truthColumn}. */
    HorizonPoint judge(Simulation sim, int step, int truthColumn) {
        codec.reference(SnapshotCodec.TRUTH, sim);
        codec.encode(sim, truthColumn);
        Latents own = codec.latents();
        Map<Variant, FieldErrors> f = new EnumMap<>(Variant.class);
        f.put(Variant.LATENT_ONLY, codec.judge(trajectory, step, null));
        double c = fade.at(step);
        f.put(Variant.FADED_RESIDUAL, c == 0 ? f.get(Variant.LATENT_ONLY) : codec.judge(trajectory, step, faded(step)));
        f.put(Variant.STALE_RESIDUAL, codec.judge(trajectory, step, Residual.of(lastTraining)));
        f.put(Variant.PERSISTENCE, codec.judgeReference(SnapshotCodec.HELD));
        f.put(Variant.PERSISTENCE_LATENT, codec.judge(own, lastTraining, null));
        double[] truth = own.column(truthColumn);
        double[] projected = span.project(truth);
        spanLatent.set(0, projected);
        f.put(Variant.SPAN_FLOOR, codec.judge(spanLatent, 0, null));
        f.put(Variant.CODEC_FLOOR, codec.judge(own, truthColumn, Residual.of(truthColumn)));
        f.put(Variant.CODEC_FLOOR_LATENT_ONLY, codec.judge(own, truthColumn, null));
        return new HorizonPoint(step, sim.stepCount(), sim.time(), c, Reductions.relL2(trajectory.column(step), truth),
                Reductions.relL2(lastLatent, truth), Reductions.relL2(projected, truth), f);
    }
}
