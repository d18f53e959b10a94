package dev.eddy.codec;

import dev.eddy.sim.Precision;

/** The factory that picks the codec's backend and precision; callers never branch on them. */
public final class Codecs {
    private Codecs() {
    }

    /** A CPU codec; {@code threads} = 0 means one per core. */
    public static SnapshotCodec create(CodecSettings settings, int threads) {
        return settings.precision() == Precision.FP64 ? new CpuCodec_F64(settings, threads) : new CpuCodec_F32(settings, threads);
    }
}
