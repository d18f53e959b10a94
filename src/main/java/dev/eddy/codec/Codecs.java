package dev.eddy.codec;

import dev.eddy.config.ConfigException;
import dev.eddy.gpu.ContextOptions;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.Simulation;
import dev.eddy.sim.gpu.GpuLes;

/** The factory that picks the codec's backend and precision; callers never branch on them. */
public final class Codecs {
    /** The backends {@link #create(CodecSettings, String, int, String)} takes. */
    public static final String BACKENDS = "cpu or vulkan";

    private Codecs() {
    }

    /** A CPU codec; {@code threads} = 0 means one per core. */
    public static SnapshotCodec create(CodecSettings settings, int threads) {
        return settings.precision() == Precision.FP64 ? new CpuCodec_F64(settings, threads) : new CpuCodec_F32(settings, threads);
    }

    /**
     * A codec on {@code backend}: "cpu" ({@code threads}, 0 = one per core) or "vulkan" (a {@link GpuCodec}
     * on a context of its own, on {@code device}: null for the default, an index or a name substring).
     */
    public static SnapshotCodec create(CodecSettings settings, String backend, int threads, String device) {
        return switch (backend) {
            case "cpu" -> create(settings, threads);
            case "vulkan" -> GpuCodec.open(settings, ContextOptions.withDevice(device));
            default -> throw new ConfigException("unknown codec backend '" + backend + "': " + BACKENDS);
        };
    }

    /**
     * A codec for the snapshots of a running simulation: a {@link GpuCodec} on a GPU LES's own context
     * that encodes its ω̂ buffer in place, else a CPU codec on the host vorticity. The codec's precision
     * must be the simulation's (the GPU codec reads the state's bytes as they are).
     */
    public static StateEncoder forSimulation(CodecSettings settings, Simulation sim, int threads) {
        if (settings.n() != sim.grid().n() || settings.precision() != sim.config().precision()) {
            throw new ConfigException("the codec settings (N = " + settings.n() + ", " + settings.precision().label()
                    + ") must match the simulation's (N = " + sim.grid().n() + ", " + sim.config().precision().label() + ")");
        }
        if (sim instanceof GpuLes les) {
            return new StateEncoder.OnDevice(les, new GpuCodec(les.context(), settings, 1));
        }
        return new StateEncoder.OnHost(create(settings, threads));
    }
}
