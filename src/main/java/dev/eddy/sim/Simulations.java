package dev.eddy.sim;

import dev.eddy.config.RunConfig;
import dev.eddy.sim.cpu.CpuLes_F32;
import dev.eddy.sim.cpu.CpuLes_F64;

/** The factory that picks a backend and precision; callers never branch on them. */
public final class Simulations {
    private Simulations() {
    }

    public static Simulation create(RunConfig config) {
        return switch (config.backend()) {
            case "cpu" -> config.precision() == Precision.FP64 ? new CpuLes_F64(config) : new CpuLes_F32(config);
            case "vulkan" -> throw new UnsupportedOperationException(
                    "the vulkan backend of the LES is not built yet in this version of Eddy; use --backend cpu");
            default -> throw new IllegalArgumentException("unknown backend " + config.backend());
        };
    }
}
