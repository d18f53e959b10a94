package dev.eddy.codec;

import dev.eddy.backend.Latents;
import dev.eddy.codec.SnapshotCodec.Residual;
import dev.eddy.sim.Simulation;
import java.util.List;

/**
 * The verdicts of a horizon, planned once for every compared step ({@link SnapshotCodec#verdicts}): at
 * compared step i the simulation's current field becomes the truth and is encoded into its latent column,
 * its latent is projected onto the span basis, and every {@link Compared} of the step is compared with the
 * truth. Planned in advance so that the GPU codec records a step's work once, at preparation, as one step
 * program (one submission, one read-back of the numbers); the host codecs run the same steps one by one.
 */
public interface Verdicts extends AutoCloseable {
    /** One comparison with the truth. */
    sealed interface Compared permits Decoded, SpanOfTruth, Held {
    }

    /** The decode of column {@code column} of {@code source}, with {@code residual} (null: latent only). */
    record Decoded(Latents source, int column, Residual residual) implements Compared {
    }

    /** The truth's own latent projected onto the span basis, decoded latent only. */
    record SpanOfTruth() implements Compared {
    }

    /** The held reference field ({@link SnapshotCodec#HELD}) itself. */
    record Held() implements Compared {
    }

    /**
     * One compared step: the truth is encoded into {@code truthColumn}, then each of {@code compared} is
     * compared with it; column {@code readColumn} of {@code read} is read back with the numbers.
     */
    record Step(int truthColumn, List<Compared> compared, Latents read, int readColumn) {
        public Step {
            compared = List.copyOf(compared);
        }
    }

    /**
     * The numbers of one step: the errors of each comparison (in the step's order), the truth's latent,
     * its projection onto the span, and the column read; {@code waitMillis} the host's wait on the device
     * (NaN where nothing was submitted), {@code deviceMillis} the device's own time (NaN without timestamps).
     */
    record Outcome(List<FieldErrors> errors, double[] truthLatent, double[] projected, double[] read, double waitMillis,
                   double deviceMillis) {
    }

    /** Judges planned step {@code index} against the current state of the simulation the verdicts were planned for. */
    Outcome judge(int index);

    @Override
    void close();

    /** The steps one by one through the codec's own encode, judge and read-back calls (host codecs, and the fallbacks). */
    final class Sequential implements Verdicts {
        private final SnapshotCodec codec;
        private final Simulation sim;
        private final List<Step> steps;
        private final Projection span;
        private final Latents.Host spanLatent;

        Sequential(SnapshotCodec codec, Simulation sim, List<Step> steps, Projection span) {
            this.codec = codec;
            this.sim = sim;
            this.steps = List.copyOf(steps);
            this.span = span;
            this.spanLatent = new Latents.Host(codec.latents().d(), 1, codec.latents().precision());
        }

        @Override
        public Outcome judge(int index) {
            Step s = steps.get(index);
            codec.reference(SnapshotCodec.TRUTH, sim);
            codec.encode(sim, s.truthColumn());
            double[] truth = codec.latents().column(s.truthColumn());
            double[] projected = span.project(truth);
            List<FieldErrors> errors = new java.util.ArrayList<>();
            for (Compared c : s.compared()) {
                errors.add(switch (c) {
                    case Decoded dec -> codec.judge(dec.source(), dec.column(), dec.residual());
                    case SpanOfTruth t -> {
                        spanLatent.set(0, projected);
                        yield codec.judge(spanLatent, 0, null);
                    }
                    case Held h -> codec.judgeReference(SnapshotCodec.HELD);
                });
            }
            return new Outcome(errors, truth, projected, s.read().column(s.readColumn()), Double.NaN, Double.NaN);
        }

        @Override
        public void close() {
        }
    }

    /** The projection onto the span basis: Q (Qᵀ v), Q d×r with orthonormal columns. */
    interface Projection {
        double[] project(double[] v);

        /** Q, d×r column-major (read as rows: Qᵀ). */
        double[] basisColumnMajor();

        /** Q, d×r row-major. */
        double[] basisRowMajor();

        int rank();
    }
}
