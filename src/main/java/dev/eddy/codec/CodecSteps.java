package dev.eddy.codec;

/**
 * The codec's operations in their order (design §3), written once: the CPU codec runs them with the
 * Java loops of {@link CodecKernels_F64} and {@link TernaryKernels}, the GPU codec records them with
 * their GLSL twins ({@code src/main/glsl/codec}), so both backends compute the same things in the same
 * order.
 *
 * <p>Encode works in spectral space where it can: Z is gathered from ω̂, the residual is formed as
 * r̂ = ω̂/N² − L̂(Z) (the FFT is linear, so one inverse transform of one field gives r = ω − L(Z); the
 * alternative, transforming L̂(Z) and subtracting in physical space, moves twice the bytes), then the
 * mask, its optional majority smoothing, the per-tile scale α and the packed ternary code t follow in
 * physical space. Decode scatters Z back into a spectrum, transforms it, and adds α·t.
 */
public final class CodecSteps {
    private CodecSteps() {
    }

    /** One backend's implementation; the codec holds the buffers the operations read and write. */
    public interface Ops {
        /** The host field (loaded into the work field, padded) → its unnormalised spectrum ω̂, in place. */
        void forwardFft();

        /** Z of latent column {@code column} from the spectrum being encoded. */
        void gatherLatent(int column);

        /** r̂ = ω̂/N² − L̂(Z of {@code column}) into the work field. */
        void spectralResidual(int column);

        /** The work field back to physical space (r, or L(Z) when decoding). */
        void inverseFft();

        /** mean |r| per tile. */
        void tileMeanAbs();

        /** The mask m = |r| &gt; θ·mean|r| of each cell's tile. */
        void tileMask();

        /** The 3×3 majority smoothing of the mask. */
        void majority3x3();

        /** α per tile: the mean of |r| over the masked cells, into code slot {@code slot}. */
        void ternaryScale(int slot);

        /** t = sign(r)·m, two bits a cell, into code slot {@code slot}. */
        void pack(int slot);

        /** L̂(Z) of latent column {@code column} (of the matrix being decoded) into the work field. */
        void scatterLatent(int column);

        /** Adds (fade·α)·t of code slot {@code slot} to the field L(Z). */
        void synthesize(int slot, double fade);
    }

    /**
     * Encodes into latent column {@code column} and its code slot (the codec keeps the residual code of
     * every column): from a host field ({@code fromHost}: its forward transform first) or from a spectrum
     * already in place (a simulation's state).
     */
    public static void encode(CodecSettings settings, boolean fromHost, int column, Ops ops) {
        if (fromHost) {
            ops.forwardFft();
        }
        ops.gatherLatent(column);
        ops.spectralResidual(column);
        ops.inverseFft();
        ops.tileMeanAbs();
        ops.tileMask();
        if (settings.majority()) {
            ops.majority3x3();
        }
        ops.ternaryScale(column);
        ops.pack(column);
    }

    /** Decodes latent column {@code column}: L(Z), and with a residual (null: none) L(Z) + (fade·α)·t of its code slot. */
    public static void decode(SnapshotCodec.Residual residual, int column, Ops ops) {
        ops.scatterLatent(column);
        ops.inverseFft();
        if (residual != null) {
            ops.synthesize(residual.slot(), residual.fade());
        }
    }
}
