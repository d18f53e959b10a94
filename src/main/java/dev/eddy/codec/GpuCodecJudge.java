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

    /**
     * The verdicts of {@code steps} against the simulation state {@code state} (on this context), each step
     * one program recorded here, once ({@link DeviceVerdicts}). Sources of decodes and reads must live on this
     * context ({@code buffers} finds them); {@code encoded} is told of every column a step encodes.
     */
    Verdicts verdicts(DeviceBuffer state, DeviceBuffer latents, List<Verdicts.Step> steps, Verdicts.Projection span,
                      java.util.function.Function<dev.eddy.backend.Latents, DeviceBuffer> buffers, java.util.function.IntConsumer encoded) {
        return new DeviceVerdicts(state, latents, steps, span, buffers, encoded);
    }

    /**
     * One step program per compared step, recorded at construction: the truth reference filled from the
     * state (scaled copy, inverse FFT, its energy), the encode of the state into the step's column, the span
     * projection of its latent (two rollout_factors GEMVs with the basis uploaded once), then every comparison
     * (decode, field moments against the truth, forward FFT, energies), each into rows of its own, and one
     * read-back of all the totals and the three latents. Running a step is one submission and one wait.
     * Horizons of more than {@value #RECORDED_AHEAD} compared steps record the rest when they come (one
     * recording a step, still one submission).
     */
    private final class DeviceVerdicts implements Verdicts {
        static final int RECORDED_AHEAD = 64;
        private final DeviceBuffer state;
        private final DeviceBuffer latents;
        private final List<Verdicts.Step> steps;
        private final java.util.function.Function<dev.eddy.backend.Latents, DeviceBuffer> buffers;
        private final java.util.function.IntConsumer encoded;
        private final Owned made = new Owned();
        private final int d;
        private final int rank;
        private final DeviceBuffer qColumns;
        private final DeviceBuffer qRows;
        private final DeviceBuffer u;
        private final DeviceBuffer spanZ;
        private final ComputeKernel gemv;
        private final DeviceBuffer truthRows;
        private final DeviceBuffer[] momentOut;
        private final DeviceBuffer[] energyOut;
        private final StepProgram[] programs;
        private final boolean timed;

        DeviceVerdicts(DeviceBuffer state, DeviceBuffer latents, List<Verdicts.Step> steps, Verdicts.Projection span,
                       java.util.function.Function<dev.eddy.backend.Latents, DeviceBuffer> buffers, java.util.function.IntConsumer encoded) {
            this.state = state;
            this.latents = latents;
            this.steps = List.copyOf(steps);
            this.buffers = buffers;
            this.encoded = encoded;
            this.d = settings.latentDimension();
            this.rank = span.rank();
            this.timed = ctx.timestampValidBits() > 0;
            int n = grid.n();
            int b = precision.bytes();
            if (referenceEnergy[1] == null && steps.stream().anyMatch(s -> s.compared().stream().anyMatch(c -> c instanceof Verdicts.Held))) {
                throw new IllegalStateException("reference " + SnapshotCodec.HELD + " was never set");
            }
            int most = steps.stream().mapToInt(s -> s.compared().size()).max().orElse(0);
            try {
                int r = Math.max(1, rank);
                qColumns = made.add(new DeviceBuffer(ctx, "judge.span_basis_t", (long) d * r * b, "compare: Qᵀ of the span, r×d",
                        DeviceBuffer.Movement.ONCE_AT_START));
                qRows = made.add(new DeviceBuffer(ctx, "judge.span_basis", (long) d * r * b, "compare: Q of the span, row-major d×r",
                        DeviceBuffer.Movement.ONCE_AT_START));
                u = made.add(new DeviceBuffer(ctx, "judge.span_u", (long) r * b, "compare: Qᵀ z of the truth", DeviceBuffer.Movement.NEVER));
                spanZ = made.add(new DeviceBuffer(ctx, "judge.span_latent", (long) d * b, "compare: Q Qᵀ z, the truth's latent on the span",
                        DeviceBuffer.Movement.ON_DEMAND));
                if (rank > 0) {
                    ctx.staging().uploadReals(qColumns, span.basisColumnMajor(), precision, STAGE);
                    ctx.staging().uploadReals(qRows, span.basisRowMajor(), precision, STAGE);
                }
                gemv = made.add(new ComputeKernel(ctx, "rollout_factors", precision, 3, 28));
                truthRows = made.add(new DeviceBuffer(ctx, "judge.truth_energy_rows", 2L * (n + 1) * 8,
                        "compare: the truth's energy and enstrophy per row, then totals", DeviceBuffer.Movement.ON_DEMAND));
                momentOut = new DeviceBuffer[most];
                energyOut = new DeviceBuffer[most];
                for (int k = 0; k < most; k++) {
                    momentOut[k] = made.add(new DeviceBuffer(ctx, "judge.moment_rows_" + k, (long) FieldMoments.COUNT * (n + 1) * 8,
                            "compare: field moments of comparison " + k + " per row, then totals", DeviceBuffer.Movement.ON_DEMAND));
                    energyOut[k] = made.add(new DeviceBuffer(ctx, "judge.energy_rows_" + k, 2L * (n + 1) * 8,
                            "compare: energy and enstrophy of comparison " + k + " per row, then totals", DeviceBuffer.Movement.ON_DEMAND));
                }
                programs = new StepProgram[steps.size()];
                for (int i = 0; i < Math.min(steps.size(), RECORDED_AHEAD); i++) {
                    programs[i] = made.add(record(i));
                }
            } catch (RuntimeException e) {
                made.close();
                throw e;
            }
        }

        private StepProgram record(int index) {
            Verdicts.Step s = steps.get(index);
            int n = grid.n();
            StepProgram.Builder b = StepProgram.builder(ctx, "judge-step-" + index);
            if (timed) {
                b.timestamp();
            }
            DeviceBuffer truth = references[0];
            recorder.scaledCopy(b, state, zero, truth);
            b.fft(referenceFft[0], VkFftPlan.INVERSE);
            recordEnergy(b, state, truthRows);
            b.barrier();
            recorder.encode(b, state, latents, s.truthColumn(), false);
            b.barrier();
            int zAt = recorder.zOffset(s.truthColumn());
            if (rank > 0) {
                b.dispatch(bind(gemv, qColumns, latents, u), factorPush(rank, d, zAt, 0, 0), rank, 1, 1);
                b.barrier();
                b.dispatch(bind(gemv, qRows, u, spanZ), factorPush(d, rank, 0, 0, 0), d, 1, 1);
            }
            for (int k = 0; k < s.compared().size(); k++) {
                b.barrier();
                switch (s.compared().get(k)) {
                    case Verdicts.Decoded dec -> decodeAndCompare(b, buffers.apply(dec.source()), dec.column(), dec.residual(), k);
                    case Verdicts.SpanOfTruth t -> decodeAndCompare(b, rank > 0 ? spanZ : zero, 0, null, k);
                    case Verdicts.Held h -> recordMoments(b, references[1], truth, momentOut[k]);
                }
            }
            b.readBack(truthRows, 2L * n * 8, 16, STAGE);
            for (int k = 0; k < s.compared().size(); k++) {
                b.readBack(momentOut[k], (long) FieldMoments.COUNT * n * 8, FieldMoments.COUNT * 8L, STAGE);
                if (!(s.compared().get(k) instanceof Verdicts.Held)) {
                    b.readBack(energyOut[k], 2L * n * 8, 16, STAGE);
                }
            }
            long columnBytes = (long) d * precision.bytes();
            b.readBack(latents, (long) s.truthColumn() * columnBytes, columnBytes, STAGE);
            b.readBack(rank > 0 ? spanZ : zero, 0, columnBytes, STAGE);
            b.readBack(buffers.apply(s.read()), (long) s.readColumn() * columnBytes, columnBytes, STAGE);
            if (timed) {
                b.timestamp();
            }
            return b.freeze();
        }

        private void decodeAndCompare(StepProgram.Builder b, DeviceBuffer source, int column, SnapshotCodec.Residual residual, int k) {
            recorder.decode(b, source, column, residual);
            recordMoments(b, field, references[0], momentOut[k]);
            b.fft(fieldFft, VkFftPlan.FORWARD);
            recordEnergy(b, field, energyOut[k]);
        }

        private ByteBuffer factorPush(int rows, int cols, int inOffset, int outOffset, int outStride) {
            ByteBuffer push = ByteBuffer.allocateDirect(28).order(java.nio.ByteOrder.nativeOrder());
            push.putInt(0, rows).putInt(4, cols).putInt(8, 1).putInt(12, inOffset).putInt(16, 0).putInt(20, outOffset).putInt(24, outStride);
            return push;
        }

        @Override
        public Verdicts.Outcome judge(int index) {
            Verdicts.Step s = steps.get(index);
            StepProgram p = programs[index];
            boolean once = p == null;
            if (once) {
                p = record(index);
            }
            try {
                long t0 = System.nanoTime();
                p.run();
                double wait = (System.nanoTime() - t0) * 1e-6;
                double device = Double.NaN;
                if (timed) {
                    double[] ns = p.timestampsNanos();
                    device = ns[ns.length - 1] * 1e-6;
                }
                encoded.accept(s.truthColumn());
                int n = grid.n();
                double[] truthEnergy = doubles(p.readBack(truthRows, 2L * n * 8), 2);
                referenceEnergy[0] = truthEnergy;
                List<FieldErrors> errors = new java.util.ArrayList<>();
                for (int k = 0; k < s.compared().size(); k++) {
                    double[] t = doubles(p.readBack(momentOut[k], (long) FieldMoments.COUNT * n * 8), FieldMoments.COUNT);
                    double[] e = s.compared().get(k) instanceof Verdicts.Held ? referenceEnergy[1]
                            : doubles(p.readBack(energyOut[k], 2L * n * 8), 2);
                    errors.add(FieldMoments.errors(t, n, e[0], truthEnergy[0], e[1], truthEnergy[1]));
                }
                long columnBytes = (long) d * precision.bytes();
                double[] truthZ = reals(p.readBack(latents, (long) s.truthColumn() * columnBytes));
                double[] projected = reals(p.readBack(rank > 0 ? spanZ : zero, 0));
                double[] read = reals(p.readBack(buffers.apply(s.read()), (long) s.readColumn() * columnBytes));
                return new Verdicts.Outcome(errors, truthZ, projected, read, wait, device);
            } finally {
                if (once) {
                    p.close();
                } else {
                    programs[index] = null; // each step runs once: its program goes at close
                }
            }
        }

        private double[] reals(ByteBuffer b) {
            double[] out = new double[d];
            dev.eddy.gpu.RealBuffers.decode(b, out, precision);
            return out;
        }

        @Override
        public void close() {
            List<AutoCloseable> mine = made.all();
            bindings.keySet().removeIf(key -> key.stream().anyMatch(o -> mine.stream().anyMatch(m -> m == o)));
            made.close();
        }
    }

    private void requireTruth() {
        if (referenceEnergy[0] == null) {
            throw new IllegalStateException("no truth field: call reference(0, sim) first");
        }
    }

    private void recordMoments(StepProgram.Builder b, DeviceBuffer a, DeviceBuffer ref) {
        recordMoments(b, a, ref, momentRows);
    }

    private void recordMoments(StepProgram.Builder b, DeviceBuffer a, DeviceBuffer ref, DeviceBuffer rows) {
        recordRowReduction(b, bind(moments, a, ref, rows));
    }

    private void recordEnergy(StepProgram.Builder b, DeviceBuffer spectrum) {
        recordEnergy(b, spectrum, energyRows);
    }

    private void recordEnergy(StepProgram.Builder b, DeviceBuffer spectrum, DeviceBuffer rows) {
        recordRowReduction(b, bind(energy, spectrum, rows));
    }

    /** field_moments and spectral_energy alike: mode 0 reduces each row (a workgroup per row), mode 1 the rows' totals. */
    private void recordRowReduction(StepProgram.Builder b, ComputeKernel.Binding binding) {
        int n = grid.n();
        b.barrier();
        b.dispatch(binding, Push.of(precision).i(n).i(0).build(), n, 1, 1); // a workgroup per row
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
