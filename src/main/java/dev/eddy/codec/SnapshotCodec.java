package dev.eddy.codec;

/**
 * Encodes and decodes one vorticity snapshot (DESIGN.md §3). Fields cross this interface as compact
 * N×N float64 arrays, row-major (y, x), whatever the codec's precision (float32 values widen exactly).
 * Built by {@link Codecs#create}; not thread-safe (one work buffer per codec).
 */
public interface SnapshotCodec extends AutoCloseable {
    /** The code of one snapshot: Z (d reals), α ((N/T)² reals) and the packed ternary code (N²/4 bytes). */
    record Code(double[] z, double[] alpha, byte[] packed) {
    }

    CodecSettings settings();

    Code encode(double[] omega);

    /** L(Z), or with {@code withResidual} L(Z) + α·t. */
    double[] decode(Code code, boolean withResidual);

    /** Where it runs, for reports: "cpu", or "vulkan" and the device. */
    default String backend() {
        return "cpu";
    }

    /** The host↔device copies so far (the transfer ledger; empty on the CPU). */
    default java.util.List<java.util.Map<String, Object>> transfers() {
        return java.util.List.of();
    }

    @Override
    void close();
}
