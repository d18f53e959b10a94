package dev.eddy.pipeline;

import dev.eddy.backend.Latents;
import dev.eddy.codec.FieldErrors;
import dev.eddy.codec.SnapshotCodec;
import dev.eddy.codec.SnapshotCodec.Residual;
import dev.eddy.codec.Verdicts;
import dev.eddy.numerics.Reductions;
import dev.eddy.pipeline.HorizonPoint.Variant;
import dev.eddy.proxy.SpanProjection;
import dev.eddy.sim.Simulation;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The verdict at the compared steps of the horizon (design §4): the LES field becomes the codec's truth
 * reference and is encoded into its own latent column, then every {@link Variant} is decoded and compared
 * with it where the codec runs. The persistence baseline is the codec's held reference, set at the end of
 * the training window.
 *
 * <p>Everything a horizon's verdict needs is set up here, once: the span basis (a QR of the training
 * latents, {@link SpanProjection}), the last training latent, and the codec's {@link Verdicts} for every
 * compared step, which on a GPU are recorded programs (a compared step is then one submission and one
 * read-back of the numbers; planning/compare-speed.md).
 */
final class HorizonJudge implements AutoCloseable {
    private final SnapshotCodec codec;
    private final Simulation sim;
    private final int lastTraining;
    private final ResidualFade fade;
    private final double[] lastLatent;
    /** The compared steps in order, and the variant of each comparison of each. */
    private final List<Integer> steps;
    private final List<List<Variant>> variants = new ArrayList<>();
    private final Verdicts verdicts;
    private double waitMillis;
    private double deviceMillis;

    /**
     * @param sim          the LES, which runs on over the horizon (judged in its state at each compared step)
     * @param trajectory   the proxy's rollout (column h: h proxy steps past the window)
     * @param lastTraining the codec's column of the last training snapshot (its residual and its held latent)
     * @param span         the projection onto span(training latents)
     * @param steps        the compared steps, increasing: step h encodes the truth into column lastTraining + h
     */
    HorizonJudge(SnapshotCodec codec, Simulation sim, Latents trajectory, int lastTraining, ResidualFade fade, SpanProjection span,
                 List<Integer> steps) {
        this.codec = codec;
        this.sim = sim;
        this.lastTraining = lastTraining;
        this.fade = fade;
        this.steps = List.copyOf(steps);
        this.lastLatent = codec.latents().column(lastTraining);
        Latents own = codec.latents();
        List<Verdicts.Step> plan = new ArrayList<>();
        for (int step : this.steps) {
            int truth = lastTraining + step;
            List<Variant> vs = new ArrayList<>();
            List<Verdicts.Compared> cs = new ArrayList<>();
            vs.add(Variant.LATENT_ONLY);
            cs.add(new Verdicts.Decoded(trajectory, step, null));
            if (fade.at(step) != 0) { // else the faded residual is no residual: the latent-only decode
                vs.add(Variant.FADED_RESIDUAL);
                cs.add(new Verdicts.Decoded(trajectory, step, faded(step)));
            }
            vs.add(Variant.STALE_RESIDUAL);
            cs.add(new Verdicts.Decoded(trajectory, step, Residual.of(lastTraining)));
            vs.add(Variant.PERSISTENCE);
            cs.add(new Verdicts.Held());
            vs.add(Variant.PERSISTENCE_LATENT);
            cs.add(new Verdicts.Decoded(own, lastTraining, null));
            vs.add(Variant.SPAN_FLOOR);
            cs.add(new Verdicts.SpanOfTruth());
            vs.add(Variant.CODEC_FLOOR);
            cs.add(new Verdicts.Decoded(own, truth, Residual.of(truth)));
            vs.add(Variant.CODEC_FLOOR_LATENT_ONLY);
            cs.add(new Verdicts.Decoded(own, truth, null));
            variants.add(vs);
            plan.add(new Verdicts.Step(truth, cs, trajectory, step));
        }
        this.verdicts = codec.verdicts(sim, plan, span);
    }

    /** The residual the prediction h proxy steps on decodes with: c_h times the last training residual. */
    Residual faded(int step) {
        return Residual.of(lastTraining).faded(fade.at(step));
    }

    /** Judges the proxy after {@code step} proxy steps (a planned compared step) against the current state of the LES. */
    HorizonPoint judge(int step) {
        int index = steps.indexOf(step);
        if (index < 0) {
            throw new IllegalArgumentException("proxy step " + step + " is not a compared step of this verdict: " + steps);
        }
        Verdicts.Outcome o = verdicts.judge(index);
        if (!Double.isNaN(o.waitMillis())) {
            waitMillis += o.waitMillis();
        }
        if (!Double.isNaN(o.deviceMillis())) {
            deviceMillis += o.deviceMillis();
        }
        Map<Variant, FieldErrors> f = new EnumMap<>(Variant.class);
        List<Variant> vs = variants.get(index);
        for (int k = 0; k < vs.size(); k++) {
            f.put(vs.get(k), o.errors().get(k));
        }
        f.putIfAbsent(Variant.FADED_RESIDUAL, f.get(Variant.LATENT_ONLY));
        double[] truth = o.truthLatent();
        return new HorizonPoint(step, sim.stepCount(), sim.time(), fade.at(step), Reductions.relL2(o.read(), truth),
                Reductions.relL2(lastLatent, truth), Reductions.relL2(o.projected(), truth), f);
    }

    /** The host's waits on the device over the steps judged so far, in ms (0 on the host). */
    double waitMillis() {
        return waitMillis;
    }

    /** The device's own time of the steps judged so far, by its timestamps, in ms (0 without them). */
    double deviceMillis() {
        return deviceMillis;
    }

    @Override
    public void close() {
        verdicts.close();
    }
}
