package dev.eddy.sim;

import dev.eddy.backend.Backend;
import dev.eddy.config.RunConfig;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.cpu.CpuLes_F32;
import dev.eddy.sim.cpu.CpuLes_F64;
import dev.eddy.sim.gpu.GpuLes;
import dev.eddy.sim.gpu.GpuLesLayout;

/** The factory that picks the LES of a backend and precision; callers never branch on them. */
public final class Simulations {
    private Simulations() {
    }

    /**
     * What {@link #create} would allocate and copy for {@code config}, computed without creating it
     * (no device is opened): the plan {@code eddy run --explain} prints.
     */
    public static ResourcePlan plan(RunConfig config) {
        return switch (config.backend()) {
            case CPU -> ResourcePlan.HOST_ONLY;
            case VULKAN -> new GpuLesLayout(config);
        };
    }

    /** The LES of {@code config} on {@code backend} (which must be of the kind the settings name); the caller closes both. */
    public static Simulation create(RunConfig config, Backend backend) {
        if (backend.kind() != config.backend()) {
            throw new IllegalArgumentException("the settings say backend " + config.backend() + " but the LES was given "
                    + backend.describe());
        }
        return switch (backend) {
            case Backend.Cpu cpu -> config.precision() == Precision.FP64 ? new CpuLes_F64(config, cpu) : new CpuLes_F32(config, cpu);
            case Backend.Vulkan vulkan -> new GpuLes(config, vulkan);
        };
    }

    /** The LES of {@code config} on a backend of its own (the default device), closed with it: for tests and benchmarks. */
    public static Simulation create(RunConfig config) {
        return switch (Backend.of(config.backend(), null, config.threads())) {
            case Backend.Cpu cpu -> create(config, cpu);
            case Backend.Vulkan vulkan -> new GpuLes(config, vulkan.options());
        };
    }
}
