package dev.eddy.gpu;

import dev.eddy.numerics.Precision;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Push-constant blocks in std430 order as the LES shaders declare them: the REAL members first (4 or
 * 8 bytes each, so every member stays naturally aligned), then the ints. Public because the codec's
 * shaders (the codec's, the proxy's) declare their blocks the same way.
 */
public final class Push {
    private final Precision precision;
    private final ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.nativeOrder());
    private boolean intsStarted;

    private Push(Precision precision) {
        this.precision = precision;
    }

    public static Push of(Precision p) {
        return new Push(p);
    }

    /** Bytes of a block with {@code reals} REAL members followed by {@code ints} ints. */
    public static int size(Precision p, int reals, int ints) {
        return reals * p.bytes() + 4 * ints;
    }

    public Push real(double v) {
        if (intsStarted) {
            throw new IllegalStateException("REAL members come before the ints");
        }
        if (precision == Precision.FP64) {
            b.putDouble(v);
        } else {
            b.putFloat((float) v);
        }
        return this;
    }

    public Push i(int v) {
        intsStarted = true;
        b.putInt(v);
        return this;
    }

    public ByteBuffer build() {
        ByteBuffer out = ByteBuffer.allocateDirect(b.position()).order(ByteOrder.nativeOrder());
        out.put(b.duplicate().flip());
        return out.flip();
    }
}
