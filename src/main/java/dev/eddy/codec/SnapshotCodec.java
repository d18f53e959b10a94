package dev.eddy.codec;

import dev.eddy.backend.Latents;
import dev.eddy.sim.Simulation;
import java.util.List;
import java.util.Map;

/**
 * The codec of design §3 on one backend: it encodes vorticity fields — a host field, or a running
 * simulation's state, read in place where it lives on the codec's device — into the columns of its
 * latent matrix, and keeps the residual code (α, t) of every column it encoded in that column's code
 * slot; it decodes latents back to fields: its own, or any other stage's (a proxy's rollout), read in
 * place where they share its device, with or without (a faded copy of) one of its residual codes.
 * Fields cross as compact N×N float64 arrays, row-major (y, x), whatever the codec's precision. Built by
 * {@link Codecs#create}; not thread-safe (one set of work buffers).
 */
public interface SnapshotCodec extends AutoCloseable {
    /** The code of one snapshot: Z (d reals), α ((N/T)² reals) and the packed ternary code (N²/4 bytes). */
    record Code(double[] z, double[] alpha, byte[] packed) {
    }

    /**
     * The residual a decode adds: the code (α, t) kept in slot {@code slot} (the encode into latent column
     * {@code slot}), with α scaled by {@code fade} — 1 adds the code as it was encoded; the pipeline's faded
     * residual adds its learnt regression coefficient c_h of a stale code.
     */
    record Residual(int slot, double fade) {
        public Residual {
            if (slot < 0) {
                throw new IllegalArgumentException("code slot " + slot);
            }
            if (!Double.isFinite(fade)) {
                throw new IllegalArgumentException("residual fade " + fade);
            }
        }

        /** The code of latent column {@code column} as it was encoded. */
        public static Residual of(int column) {
            return new Residual(column, 1);
        }

        /** This code with α scaled by {@code factor}. */
        public Residual faded(double factor) {
            return new Residual(slot, fade * factor);
        }
    }

    CodecSettings settings();

    /** The latent matrix this codec encodes into (its number of columns is chosen at creation). */
    Latents latents();

    /** Encodes a host field into latent column {@code column}; its α and t go to that column's code slot. */
    void encode(double[] omega, int column);

    /** Encodes the current state of {@code sim} into latent column {@code column}, in place where the state lives on this codec's device. */
    void encode(Simulation sim, int column);

    /** The code of latent column {@code column}: its Z, α and t (the column must have been encoded, and not overwritten since). */
    Code code(int column);

    /**
     * Decodes column {@code column} of {@code source} (this codec's {@link #latents()}, a rollout's
     * trajectory, …): L(Z), or with {@code residual} L(Z) + (fade·α)·t of that code slot.
     */
    double[] decode(Latents source, int column, Residual residual);

    /**
     * The inner products of the decoded residuals ρ = α·t of code slots [from, from + count) at lags up to
     * {@code maxLag}, in float64: band[a·(maxLag + 1) + h] = Σ_cells ρ_a·ρ_{a+h} (0 where a + h ≥ count).
     * Computed where the codes live (on a GPU only these numbers cross): the pipeline learns how its
     * residual fades from them.
     */
    double[] residualLags(int from, int count, int maxLag);

    /**
     * Puts latent columns [from, from + count) back from a checkpoint ({@code z} column-major, d reals a
     * column, already in the codec's precision): a pipeline resuming from its training window. Those
     * columns hold no code afterwards until {@link #restoreCode} puts one back.
     */
    void restoreLatents(double[] z, int from, int count);

    /** Puts a code back into latent column (and code slot) {@code column}, as if it had been encoded there. */
    void restoreCode(int column, Code code);

    /** Encodes a host field (into latent column 0) and returns its code. */
    default Code encode(double[] omega) {
        encode(omega, 0);
        return code(0);
    }

    /** Decodes a code: L(Z), or with {@code withResidual} L(Z) + α·t. */
    double[] decode(Code code, boolean withResidual);

    /** Reference slot of the truth field that {@link #judge} compares with. */
    int TRUTH = 0;
    /** Reference slot of a held field (the pipeline's persistence baseline). */
    int HELD = 1;

    /**
     * Keeps the current field of {@code sim} as reference {@code slot} ({@link #TRUTH} or {@link #HELD}),
     * where the codec runs: on a GPU, filled in place from the simulation's state on the same context.
     */
    void reference(int slot, Simulation sim);

    /**
     * The errors against the truth of the decode of column {@code column} of {@code source} (with
     * {@code residual}, or latent only when null), computed where the codec runs: on a GPU only the numbers cross.
     */
    FieldErrors judge(Latents source, int column, Residual residual);

    /** The errors of reference {@code slot} against the truth. */
    FieldErrors judgeReference(int slot);

    /**
     * The verdicts of a horizon's compared steps against the running {@code sim} ({@link Verdicts}), planned
     * once: a GPU codec whose device sums in float64 records each step as one program now; otherwise the steps
     * run one by one through {@link #reference}, {@link #encode(Simulation, int)} and {@link #judge}.
     */
    default Verdicts verdicts(Simulation sim, List<Verdicts.Step> steps, Verdicts.Projection span) {
        return new Verdicts.Sequential(this, sim, steps, span);
    }

    /** Where it runs, for reports: "cpu", or "vulkan (device)". */
    default String backend() {
        return "cpu";
    }

    /** The host↔device copies so far (the transfer ledger; empty on the CPU). */
    default List<Map<String, Object>> transfers() {
        return List.of();
    }

    /** The codec's device buffers (empty on the CPU). */
    default List<Map<String, Object>> memoryMap() {
        return List.of();
    }

    @Override
    void close();
}
