package dev.eddy.codec;

import dev.eddy.backend.Backend;
import dev.eddy.numerics.Precision;

/** The factory that picks the codec of a backend and precision; callers never branch on them. */
public final class Codecs {
    private Codecs() {
    }

    /**
     * The codec of {@code settings} on {@code backend}, with a latent matrix of {@code columns} columns: on
     * the CPU backend's threads with host latents, or a {@link GpuCodec} on the Vulkan backend's shared
     * context (it encodes a simulation on that context in place) with device latents. The caller closes
     * the codec, then the backend.
     */
    public static SnapshotCodec create(CodecSettings settings, Backend backend, int columns) {
        return switch (backend) {
            case Backend.Cpu cpu -> settings.precision() == Precision.FP64 ? new CpuCodec_F64(settings, columns, cpu.threads())
                    : new CpuCodec_F32(settings, columns, cpu.threads());
            case Backend.Vulkan vulkan -> new GpuCodec(vulkan.context(), settings, columns);
        };
    }
}
