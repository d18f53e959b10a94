package dev.eddy.sim.gpu;

import dev.eddy.config.EnsembleConfig;
import dev.eddy.config.RunConfig;
import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.Push;
import dev.eddy.gpu.StepProgram;
import dev.eddy.gpu.VkFftPlan;
import dev.eddy.numerics.ButcherTableau;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.LesStep;
import dev.eddy.sim.cpu.RowTransform_F64;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The GPU side of {@link LesStep}: records its operations, in its order, into a {@link StepProgram}
 * with the GLSL twins of {@code LesKernels_F64} ({@code src/main/glsl/les}) and two batched VkFFT calls
 * per stage: 2D C2R/R2C around les_physical_products, or (the fused step, power-of-two N) C2C along y on
 * the kept columns around les_row_transform, which does the x-direction transforms and the products on
 * the chip. Every dispatch covers all B members (its third workgroup count is B: the shaders take the
 * member from gl_WorkGroupID.z) and every FFT all their fields, so one recorded step advances the whole
 * batch. Records, never submits (VkFFT's append discipline); the {@link GpuEnsemble} that owns the
 * buffers freezes and replays the programs. With a label list, a GPU timestamp follows every operation
 * and its label is added, for the per-operation profile.
 */
final class GpuLesRecorder implements LesStep.Ops {
    /** The kernels and plans the operations dispatch, and the buffers they bind. */
    record Parts(ComputeKernel spectral, ComputeKernel physical, ComputeKernel explicit, ComputeKernel combine,
                 ComputeKernel cfl, ComputeKernel diagnostics, VkFftPlan inverse, VkFftPlan forward, RowStage rowStage,
                 DeviceBuffer omega, DeviceBuffer stageInput, DeviceBuffer stages, DeviceBuffer work, DeviceBuffer forcing,
                 DeviceBuffer rowMax, DeviceBuffer step, DeviceBuffer ring, DeviceBuffer diagRows, DeviceBuffer params) {
    }

    /**
     * The fused step's x-direction stage (null: the 2D transforms): les_row_transform compiled for its shape and the
     * twiddle table it reads. With it, {@code inverse} and {@code forward} are VkFFT column plans on the kept columns.
     */
    record RowStage(ComputeKernel kernel, RowStageShape shape, DeviceBuffer twiddles) {
    }

    private final RunConfig config;
    private final int members;
    private final int forcingStride;
    private final boolean sharedDt;
    private final Precision precision;
    private final ButcherTableau tableau;
    private final int n;
    private final int len;
    private final int gx;
    private final int gy;
    private final int sgs;
    private final int hasForcing;
    private final int spectralFields;
    private final int productFields;
    private final VkFftPlan inverse;
    private final VkFftPlan forward;
    private final RowStageShape rowShape;
    /** Complex values per row of the work buffer: n/2 + 1 (2D transforms) or the kept columns (fused). */
    private final int width;
    private final int spectralGroups;
    private final ComputeKernel.Binding rows;
    private final ByteBuffer rowsPush;
    private final ComputeKernel.Binding spectralFromOmega;
    private final ComputeKernel.Binding spectralFromStage;
    private final ComputeKernel.Binding physical;
    private final ComputeKernel.Binding explicit;
    private final ComputeKernel.Binding toStage;
    private final ComputeKernel.Binding toOmega;
    private final ComputeKernel.Binding cfl;
    private final ComputeKernel.Binding diagnostics;
    private final ByteBuffer spectralPush;
    private final ByteBuffer physicalPush;
    private final ByteBuffer cflPush;
    private final ByteBuffer sharedDtPush;

    private StepProgram.Builder b;
    private List<String> labels;
    /** The stage the operations being recorded belong to (1-based in labels). */
    private int stage;

    GpuLesRecorder(EnsembleConfig ensemble, GpuLesLayout layout, Parts p) {
        RunConfig config = ensemble.base();
        this.config = config;
        this.members = layout.members;
        this.forcingStride = layout.forcingStride;
        this.sharedDt = ensemble.sharedDt() && members > 1;
        this.precision = config.precision();
        this.tableau = config.time().tableau();
        Grid grid = new Grid(config.n());
        this.n = grid.n();
        this.len = grid.fieldLength();
        this.gx = (grid.halfX() + 15) / 16;
        RowStage rowStage = p.rowStage();
        this.rowShape = rowStage == null ? null : rowStage.shape();
        this.width = rowStage == null ? grid.halfX() : RowTransform_F64.width(n);
        this.spectralGroups = (width + 15) / 16;
        this.gy = (n + 15) / 16;
        this.sgs = config.physics().hasSgs() ? 1 : 0;
        this.hasForcing = ensemble.forced() ? 1 : 0;
        this.spectralFields = layout.spectralFields;
        this.productFields = layout.productFields;
        this.inverse = p.inverse();
        this.forward = p.forward();
        spectralFromOmega = p.spectral().bind(p.omega(), p.work());
        spectralFromStage = p.spectral().bind(p.stageInput(), p.work());
        physical = p.physical().bind(p.work(), p.rowMax(), p.params());
        rows = rowStage == null ? null : rowStage.kernel().bind(p.work(), rowStage.twiddles(), p.rowMax(), p.params());
        rowsPush = Push.of(precision).i(sgs).i(members).build();
        explicit = p.explicit().bind(p.work(), p.forcing(), p.stages());
        toStage = p.combine().bind(p.omega(), p.stages(), p.stageInput(), p.step(), p.params());
        toOmega = p.combine().bind(p.omega(), p.stages(), p.omega(), p.step(), p.params());
        cfl = p.cfl().bind(p.rowMax(), p.step(), p.ring(), p.params());
        diagnostics = p.diagnostics().bind(p.omega(), p.work(), p.forcing(), p.diagRows());
        spectralPush = Push.of(precision).real(1.0 / ((double) n * n)).i(n).i(len).i(sgs).i(members).i(width).build();
        physicalPush = Push.of(precision).i(n).i(len).i(sgs).i(members).build();
        cflPush = cflPush(grid, layout, 0);
        sharedDtPush = cflPush(grid, layout, 1);
    }

    private ByteBuffer cflPush(Grid grid, GpuLesLayout layout, int mode) {
        return Push.of(precision).real(config.time().dt()).real(config.time().cfl()).real(grid.dealiasCutoff()).i(n)
                .i(layout.ringCapacity).i(members).i(mode).build();
    }

    /** Records one step into {@code builder}; with {@code labels}, a timestamp and a label after every operation. */
    void step(StepProgram.Builder builder, List<String> labels) {
        begin(builder, labels);
        LesStep.step(tableau, this);
    }

    /** Records the diagnostics of ω̂ (products, per-row sums, totals) into {@code builder}. */
    void diagnostics(StepProgram.Builder builder) {
        begin(builder, null);
        LesStep.diagnostics(this);
    }

    private void begin(StepProgram.Builder builder, List<String> labels) {
        this.b = builder;
        this.labels = labels;
        this.stage = 1;
    }

    private void mark(String label) {
        if (labels != null) {
            b.timestamp();
            labels.add("stage " + stage + ": " + label);
        }
    }

    @Override
    public void spectralFields(LesStep.Field source) {
        b.dispatch(source == LesStep.Field.OMEGA ? spectralFromOmega : spectralFromStage, spectralPush, spectralGroups, gy, members);
        mark("les_spectral_fields");
    }

    @Override
    public void inverseFft() {
        b.fft(inverse, VkFftPlan.INVERSE);
        mark(rowShape == null ? "VkFFT C2R batch " + spectralFields : "VkFFT C2C y batch " + spectralFields + " (kept columns)");
    }

    @Override
    public void physicalProducts() {
        if (rowShape == null) {
            b.dispatch(physical, physicalPush, n, 1, members);
            mark("les_physical_products");
        } else {
            b.dispatch(rows, rowsPush, rowShape.groups(), 1, members);
            mark("les_row_transform");
        }
    }

    @Override
    public void forwardFft() {
        b.fft(forward, VkFftPlan.FORWARD);
        mark(rowShape == null ? "VkFFT R2C batch " + productFields : "VkFFT C2C y batch " + productFields + " (kept columns)");
    }

    @Override
    public void explicitTerm(int s) {
        b.dispatch(explicit, Push.of(precision).i(n).i(len).i(sgs).i(hasForcing).i(s).i(members).i(forcingStride).i(width).build(), gx, gy,
                members);
        b.barrier();
        mark("les_explicit_term");
    }

    @Override
    public void courantStep() {
        b.dispatch(cfl, cflPush, 1, 1, members);
        b.barrier();
        if (sharedDt) {
            b.dispatch(cfl, sharedDtPush, 1, 1, 1);
            b.barrier();
        }
        mark("les_cfl_dt");
    }

    @Override
    public void combine(ButcherTableau.Combination c, LesStep.Field target) {
        b.dispatch(target == LesStep.Field.OMEGA ? toOmega : toStage, combinationPush(c), gx, gy, members);
        b.barrier();
        mark("les_lawson_combine");
        stage++;
    }

    @Override
    public void diagnosticSums() {
        b.dispatch(diagnostics, Push.of(precision).i(n).i(len).i(sgs).i(hasForcing).i(0).i(members).i(forcingStride).i(width).build(),
                (n + 63) / 64, 1, members);
        b.barrier();
        b.dispatch(diagnostics, Push.of(precision).i(n).i(len).i(sgs).i(hasForcing).i(1).i(members).i(forcingStride).i(width).build(), 1, 1,
                members);
    }

    /** The push constants of les_lawson_combine for one combination (coefficients, delays, stage slots). */
    private ByteBuffer combinationPush(ButcherTableau.Combination c) {
        int used = c.stage().length;
        if (used > 4) {
            throw new IllegalStateException("les_lawson_combine takes at most 4 stages");
        }
        Push p = Push.of(precision);
        for (int u = 0; u < 4; u++) {
            p.real(u < used ? c.coef()[u] : 0);
        }
        for (int u = 0; u < 4; u++) {
            p.real(u < used ? c.stageDelay()[u] : 0);
        }
        int slots = 0;
        for (int u = 0; u < used; u++) {
            slots |= c.stage()[u] << (8 * u);
        }
        return p.real(c.omegaDelay()).i(n).i(len).i(used).i(slots).i(members).build();
    }
}
