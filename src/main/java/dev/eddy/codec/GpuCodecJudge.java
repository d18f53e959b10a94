package dev.eddy.codec;

import dev.eddy.backend.Latents;
import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.FftPlans;
import dev.eddy.gpu.Owned;
import dev.eddy.gpu.ProgramCache;
import dev.eddy.gpu.Push;
import dev.eddy.gpu.StepProgram;
import dev.eddy.gpu.VkFftPlan;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.Diagnostics;
import dev.eddy.sim.Simulation;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The GPU codec's verdict on its decodes: a decode is compared with a reference field on the device
 * ({@code field_moments}, and the energy and enstrophy of its forward transform by
 * {@code spectral_energy}), so only eleven numbers cross per comparison. References (slot 0 the truth,
 * slot 1 a held field) are filled in place from a simulation's state on the same context, or uploaded.
 * Needs shaderFloat64 (the sums are float64); {@link #available} says whether the device has it.
 */
final class GpuCodecJudge implements AutoCloseable {
    /** Ledger stage of the numbers a comparison reads back, and of uploaded references. */
    static final String STAGE = "compare";
    private static final int SLOTS = 2;

    private final VulkanContext ctx;
    private final CodecSettings settings;
    private final Grid grid;
    private final Precision precision;
    private final GpuCodecRecorder recorder;
    private final DeviceBuffer field;
    private final VkFftPlan fieldFft;
    private final ProgramCache programs;
    private final Owned owned = new Owned();
    private final DeviceBuffer[] references = new DeviceBuffer[SLOTS];
    private final VkFftPlan[] referenceFft = new VkFftPlan[SLOTS];
    /** Raw energy and enstrophy sums (unnormalised spectrum) of each reference. */
    private final double[][] referenceEnergy = new double[SLOTS][];
    private final DeviceBuffer zero;
    private final DeviceBuffer momentRows;
    private final DeviceBuffer energyRows;
    private final ComputeKernel moments;
    private final ComputeKernel energy;
    /** A descriptor set per (kernel, buffers), made once: a kernel's pool holds 32, and every compared step records programs anew. */
    private final java.util.Map<List<Object>, ComputeKernel.Binding> bindings = new java.util.HashMap<>();

    static boolean available(VulkanContext ctx) {
        return ctx.supports(Precision.FP64);
    }

    GpuCodecJudge(VulkanContext ctx, CodecSettings settings, GpuCodecRecorder recorder, DeviceBuffer field, VkFftPlan fieldFft,
                  FftPlans plans) {
        this.ctx = ctx;
        this.settings = settings;
        this.grid = new Grid(settings.n());
        this.precision = settings.precision();
        this.recorder = recorder;
        this.field = field;
        this.fieldFft = fieldFft;
        this.programs = owned.add(new ProgramCache(ctx, "judge", 8));
        try {
            int n = grid.n();
            long fieldBytes = (long) grid.fieldLength() * precision.bytes();
            for (int s = 0; s < SLOTS; s++) {
                references[s] = owned.add(new DeviceBuffer(ctx, "judge.reference_" + s, fieldBytes,
                        s == 0 ? "compare: the truth field" : "compare: a held field (persistence)", DeviceBuffer.Movement.ON_DEMAND));
                referenceFft[s] = plans.plan(references[s], n, n, 1, precision);
            }
            zero = owned.add(new DeviceBuffer(ctx, "judge.zero_latent", (long) settings.latentDimension() * precision.bytes(),
                    "compare: an all-zero latent", DeviceBuffer.Movement.ONCE_AT_START));
            ctx.staging().uploadReals(zero, new double[settings.latentDimension()], precision, STAGE);
            momentRows = owned.add(new DeviceBuffer(ctx, "judge.moment_rows", (long) FieldMoments.COUNT * (n + 1) * 8,
                    "compare: field moments per row, then totals", DeviceBuffer.Movement.ON_DEMAND));
            energyRows = owned.add(new DeviceBuffer(ctx, "judge.energy_rows", 2L * (n + 1) * 8,
                    "compare: energy and enstrophy per row, then totals", DeviceBuffer.Movement.ON_DEMAND));
            moments = owned.add(new ComputeKernel(ctx, "field_moments", precision, 3, Push.size(precision, 0, 2)));
            energy = owned.add(new ComputeKernel(ctx, "spectral_energy", precision, 2, Push.size(precision, 0, 2)));
        } catch (RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    /** Fills reference {@code slot} with the current field of {@code sim}: in place from its state on this context, else uploaded. */
    void reference(int slot, Simulation sim) {
        DeviceBuffer state = sim.deviceState(ctx);
        if (state == null) {
            double[] omega = sim.vorticity();
            double[] padded = new double[grid.fieldLength()];
            for (int j = 0; j < grid.n(); j++) {
                System.arraycopy(omega, j * grid.n(), padded, j * grid.rowStride(), grid.n());
            }
            ctx.staging().uploadReals(references[slot], padded, precision, STAGE);
            // its spectrum is on the host already: the energies in the raw units of the device sums
            FieldErrors.Reference host = FieldErrors.reference(grid.n(), omega);
            double n4 = Math.pow(grid.n(), 4);
            referenceEnergy[slot] = new double[] {2 * n4 * host.energy(), 2 * n4 * host.enstrophy()};
            return;
        }
        DeviceBuffer out = references[slot];
        StepProgram p = programs.get(List.of("reference", state, slot), false, b -> {
            recorder.scaledCopy(b, state, zero, out);
            b.fft(referenceFft[slot], VkFftPlan.INVERSE);
            recordEnergy(b, state);
            b.readBack(energyRows, 2L * grid.n() * 8, 16, STAGE);
        });
        p.run();
        referenceEnergy[slot] = doubles(p.readBack(energyRows, 2L * grid.n() * 8), 2);
    }

    /** The errors of the decode of column {@code column} of {@code source} (with {@code residual}, or latent only) against the truth. */
    FieldErrors judge(DeviceBuffer source, int column, SnapshotCodec.Residual residual) {
        requireTruth();
        StepProgram p = programs.get(List.of("decode", source, column, String.valueOf(residual)), true, b -> {
            recorder.decode(b, source, column, residual);
            recordMoments(b, field, references[0]);
            b.fft(fieldFft, VkFftPlan.FORWARD);
            recordEnergy(b, field);
            readBacks(b);
        });
        programs.run(p);
        return errors(p, doubles(p.readBack(energyRows, 2L * grid.n() * 8), 2));
    }

    /** The errors of reference {@code slot} against the truth. */
    FieldErrors judgeReference(int slot) {
        requireTruth();
        if (referenceEnergy[slot] == null) {
            throw new IllegalStateException("reference " + slot + " was never set");
        }
        StepProgram p = programs.get(List.of("reference-vs-truth", slot), false, b -> {
            recordMoments(b, references[slot], references[0]);
            b.readBack(momentRows, (long) FieldMoments.COUNT * grid.n() * 8, FieldMoments.COUNT * 8L, STAGE);
        });
        p.run();
        double[] t = doubles(p.readBack(momentRows, (long) FieldMoments.COUNT * grid.n() * 8), FieldMoments.COUNT);
        return FieldMoments.errors(t, grid.n(), referenceEnergy[slot][0], referenceEnergy[0][0], referenceEnergy[slot][1],
                referenceEnergy[0][1]);
    }

    private void requireTruth() {
        if (referenceEnergy[0] == null) {
            throw new IllegalStateException("no truth field: call reference(0, sim) first");
        }
    }

    private void recordMoments(StepProgram.Builder b, DeviceBuffer a, DeviceBuffer ref) {
        int n = grid.n();
        ComputeKernel.Binding binding = bind(moments, a, ref, momentRows);
        b.barrier();
        b.dispatch(binding, Push.of(precision).i(n).i(0).build(), (n + 63) / 64, 1, 1);
        b.barrier();
        b.dispatch(binding, Push.of(precision).i(n).i(1).build(), 1, 1, 1);
    }

    private void recordEnergy(StepProgram.Builder b, DeviceBuffer spectrum) {
        int n = grid.n();
        ComputeKernel.Binding binding = bind(energy, spectrum, energyRows);
        b.barrier();
        b.dispatch(binding, Push.of(precision).i(n).i(0).build(), (n + 63) / 64, 1, 1);
        b.barrier();
        b.dispatch(binding, Push.of(precision).i(n).i(1).build(), 1, 1, 1);
    }

    private ComputeKernel.Binding bind(ComputeKernel kernel, DeviceBuffer... buffers) {
        List<Object> key = new java.util.ArrayList<>(List.of(buffers));
        key.addFirst(kernel);
        return bindings.computeIfAbsent(key, k -> kernel.bind(buffers));
    }

    private void readBacks(StepProgram.Builder b) {
        b.readBack(momentRows, (long) FieldMoments.COUNT * grid.n() * 8, FieldMoments.COUNT * 8L, STAGE);
        b.readBack(energyRows, 2L * grid.n() * 8, 16, STAGE);
    }

    private FieldErrors errors(StepProgram p, double[] decodedEnergy) {
        double[] t = doubles(p.readBack(momentRows, (long) FieldMoments.COUNT * grid.n() * 8), FieldMoments.COUNT);
        return FieldMoments.errors(t, grid.n(), decodedEnergy[0], referenceEnergy[0][0], decodedEnergy[1], referenceEnergy[0][1]);
    }

    private static double[] doubles(ByteBuffer b, int count) {
        double[] out = new double[count];
        b.asDoubleBuffer().get(out);
        return out;
    }

    @Override
    public void close() {
        owned.close();
    }
}
