package dev.eddy.sim;

import dev.eddy.numerics.ButcherTableau;

/**
 * The operations of the LES, in their order, written once: {@link #step} is one Lawson Runge–Kutta
 * step built from the tableau, {@link #diagnostics} the reduction of a state. The CPU LES runs these
 * operations as they come ({@code CpuLes_F64}); the GPU LES records them into a command buffer that it
 * replays ({@code GpuLesRecorder}). Both implement {@link Ops} with the kernels of the same names (the
 * Java loops of {@code LesKernels_F64} and their GLSL twins), so the two backends cannot drift apart in
 * what they compute or in which order.
 */
public final class LesStep {
    private LesStep() {
    }

    /** The fields an operation reads or writes. */
    public enum Field {
        /** The state ω̂. */
        OMEGA,
        /** The input of stages 2…s. */
        STAGE_INPUT
    }

    /** One backend's implementation of the operations. */
    public interface Ops {
        /** The spectral fields of {@code source} (û, v̂, ∇ω, and the strain with the SGS model), scaled and dealiased. */
        void spectralFields(Field source);

        /** The batched inverse FFT of the spectral fields. */
        void inverseFft();

        /** The products in physical space (advection, eddy fluxes) and the row maxima of |u|, |v| and |u|². */
        void physicalProducts();

        /** The batched forward FFT of the products. */
        void forwardFft();

        /** The explicit term of stage {@code stage} (0-based) from the transformed products. */
        void explicitTerm(int stage);

        /** The step's dt from the row maxima of the first stage (the Courant step, clipped to the dt limit). */
        void courantStep();

        /** {@code target} = E(c·dt)ω̂ + dt Σ a E(δ·dt) k of one combination of the tableau. */
        void combine(ButcherTableau.Combination combination, Field target);

        /** The diagnostics' per-row sums of the state and of its transformed products, and their totals. */
        void diagnosticSums();
    }

    /** The right-hand side's products of {@code source}, forward-transformed: the first four operations of every stage. */
    public static void products(Field source, Ops ops) {
        ops.spectralFields(source);
        ops.inverseFft();
        ops.physicalProducts();
        ops.forwardFft();
    }

    /**
     * One step: for every stage, the explicit term of its input (ω̂ for the first, the stage input after),
     * the Courant step after the first, and the combination that makes the next stage's input or, after
     * the last stage, the new ω̂.
     */
    public static void step(ButcherTableau tableau, Ops ops) {
        int s = tableau.stages();
        for (int t = 0; t < s; t++) {
            products(t == 0 ? Field.OMEGA : Field.STAGE_INPUT, ops);
            ops.explicitTerm(t);
            if (t == 0) {
                ops.courantStep();
            }
            ops.combine(tableau.combination(t + 1), t + 1 == s ? Field.OMEGA : Field.STAGE_INPUT);
        }
    }

    /** The diagnostics of ω̂: its products as a stage forms them, then the sums. */
    public static void diagnostics(Ops ops) {
        products(Field.OMEGA, ops);
        ops.diagnosticSums();
    }
}
