package dev.eddy.sim.cpu;

import dev.eddy.backend.Backend;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.config.RunConfig;
import dev.eddy.sim.SingleMember;

/**
 * The CPU LES of one run: the batch of one member of {@link CpuEnsemble_F64}, which runs the operations
 * of {@link dev.eddy.sim.LesStep} with the kernels of {@link LesKernels_F64} (a Lawson Runge–Kutta step,
 * see {@link dev.eddy.numerics.ButcherTableau}). The float32 twin {@code CpuLes_F32} is generated from this file.
 */
public final class CpuLes_F64 extends SingleMember {
    private final CpuEnsemble_F64 engine;

    /** The LES of {@code config} on the CPU backend's threads. */
    public CpuLes_F64(RunConfig config, Backend.Cpu backend) {
        this(new CpuEnsemble_F64(EnsembleConfig.single(config), backend));
    }

    private CpuLes_F64(CpuEnsemble_F64 engine) {
        super(engine);
        this.engine = engine;
    }

    /**
     * The explicit tendency N̂(ω̂) of a state (precision-neutral in and out): what the nonlinear, SGS and
     * forcing terms do to it, for diagnostics and for conservation tests.
     */
    public double[] tendency(double[] state) { // neutral
        return engine.tendency(state);
    }
}
