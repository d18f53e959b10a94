package dev.eddy.sim;

import dev.eddy.numerics.Precision;
import dev.eddy.config.RunConfig;
import dev.eddy.sim.cpu.CpuLes_F32;
import dev.eddy.sim.cpu.CpuLes_F64;

/** The factory that picks a backend and precision; callers never branch on them. */
public final class Simulations {
    /** The Vulkan device (index or name substring) for the vulkan backend; set by {@code --device}. */
    public static final String DEVICE_PROPERTY = "eddy.device";
    private Simulations() {
    }

    /**
     * What {@link #create} would allocate and copy for {@code config}, computed without creating it
     * (no device is opened): the plan {@code eddy run --explain} prints.
     */
    public static ResourcePlan plan(RunConfig config) {
        return switch (config.backend()) {
            case "cpu" -> ResourcePlan.HOST_ONLY;
            case "vulkan" -> new dev.eddy.sim.gpu.GpuLesLayout(config);
            default -> throw new IllegalArgumentException("unknown backend " + config.backend());
        };
    }

    public static Simulation create(RunConfig config) {
        return switch (config.backend()) {
            case "cpu" -> config.precision() == Precision.FP64 ? new CpuLes_F64(config) : new CpuLes_F32(config);
            case "vulkan" -> new dev.eddy.sim.gpu.GpuLes(config, dev.eddy.gpu.ContextOptions.withDevice(System.getProperty(DEVICE_PROPERTY)));
            default -> throw new IllegalArgumentException("unknown backend " + config.backend());
        };
    }
}
