package dev.eddy.sim.gpu;

import dev.eddy.backend.Backend;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.config.RunConfig;
import dev.eddy.gpu.ContextOptions;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.sim.SingleMember;

/**
 * The LES of one run on the Vulkan engine: the batch of one member of {@link GpuEnsemble} (the step
 * recorded once and replayed, dt computed on the device and logged in a ring read back once per advance,
 * diagnostics reduced on the device, snapshots overlapped with the next steps). A blow-up ends the run
 * with the state of the step that found it.
 */
public final class GpuLes extends SingleMember {
    /** Steps one {@link #advance} may take before its ring entries are read back. */
    public static final int RING_CAPACITY = GpuLesLayout.RING_CAPACITY;

    private final GpuEnsemble engine;

    /** A GPU LES on a backend of its own, opened with {@code options} and closed with the LES. */
    public GpuLes(RunConfig config, ContextOptions options) {
        this(new GpuEnsemble(EnsembleConfig.single(config), new Backend.Vulkan(options, config.threads()), true));
    }

    /** A GPU LES on a shared backend (the codec and proxy of a pipeline read its state in place); the caller closes the backend. */
    public GpuLes(RunConfig config, Backend.Vulkan backend) {
        this(new GpuEnsemble(EnsembleConfig.single(config), backend, false));
    }

    private GpuLes(GpuEnsemble engine) {
        super(engine);
        this.engine = engine;
    }

    public VulkanContext context() {
        return engine.context();
    }

    /**
     * ω̂ for a reader on {@code context}: the unnormalised forward transform of ω in the Grid layout, in
     * the run's precision, at rest between {@link #advance} calls (each waits for its steps). A snapshot's
     * copy may still be reading it then; other readers are unaffected, and a writer must start with a
     * barrier, as every StepProgram does. Null on another context.
     */
    @Override
    public DeviceBuffer deviceState(VulkanContext context) {
        return engine.deviceState(context);
    }
}
