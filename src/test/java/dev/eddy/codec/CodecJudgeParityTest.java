package dev.eddy.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.TestConfigs;
import dev.eddy.backend.Backend;
import dev.eddy.config.RunConfig;
import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.GpuContextTest;
import dev.eddy.gpu.Push;
import dev.eddy.gpu.StepProgram;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.Diagnostics;
import dev.eddy.sim.Simulation;
import dev.eddy.sim.Simulations;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The codec's verdict on the device: field_moments.comp against FieldMoments and spectral_energy.comp
 * against Diagnostics' sums, one dispatch at a time; then the GPU codec's judge of a decode against a GPU
 * LES's field, in place, against the host's FieldErrors of the same fields.
 */
@Tag("gpu-parity")
class CodecJudgeParityTest extends GpuContextTest {
    static final int N = 32;
    final Grid g = new Grid(N);
    final Random random = new Random(11);

    DeviceBuffer reals(String name, double[] values, Precision p) {
        DeviceBuffer b = new DeviceBuffer(ctx, name, (long) values.length * p.bytes(), "test", DeviceBuffer.Movement.ON_DEMAND);
        ctx.staging().uploadReals(b, values, p, "test");
        return b;
    }

    double[] doubles(DeviceBuffer b, int count) {
        double[] out = new double[count];
        ctx.staging().downloadReals(b, out, Precision.FP64, "test");
        return out;
    }

    /** Values exactly representable in float32, so both precisions see the same numbers. */
    double[] field() {
        return field(g);
    }

    double[] field(Grid grid) {
        double[] f = new double[grid.fieldLength()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) random.nextGaussian();
        }
        return f;
    }

    void run(ComputeKernel.Binding binding, int n, int groups) {
        try (StepProgram p = StepProgram.builder(ctx, "judge").dispatch(binding, Push.of(Precision.FP64).i(n).i(0).build(), groups, 1, 1)
                .barrier().dispatch(binding, Push.of(Precision.FP64).i(n).i(1).build(), 1, 1, 1).freeze()) {
            p.run();
        }
    }

    /** Sizes below and above the 64 lanes of a workgroup (at 160 the lanes take 2 or 3 elements of a row). */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> twinCases() {
        return java.util.stream.Stream.of(Precision.values()).flatMap(p -> java.util.stream.Stream.of(32, 160)
                .map(n -> org.junit.jupiter.params.provider.Arguments.of(p, n)));
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("twinCases")
    void fieldMomentsMatchTheirJavaTwin(Precision p, int N) {
        Grid g = new Grid(N);
        double[] a = field(g);
        double[] b = field(g);
        double[] rows = new double[FieldMoments.COUNT * N];
        FieldMoments.rowSums(g, a, b, rows, 0, N);
        double[] want = FieldMoments.totals(rows, N);
        try (DeviceBuffer da = reals("a", a, p); DeviceBuffer db = reals("b", b, p);
             DeviceBuffer dr = reals("rows", new double[FieldMoments.COUNT * (N + 1)], Precision.FP64);
             ComputeKernel k = new ComputeKernel(ctx, "field_moments", p, 3, Push.size(p, 0, 2))) {
            run(k.bind(da, db, dr), N, N); // a workgroup per row
            double[] got = doubles(dr, FieldMoments.COUNT * (N + 1));
            for (int q = 0; q < FieldMoments.COUNT; q++) {
                assertEquals(want[q], got[FieldMoments.COUNT * N + q], 1e-12 * Math.abs(want[q]) + 1e-300, "moment " + q);
            }
            for (int j = 0; j < N; j++) { // every row in the twin's order (the device may fuse a multiply-add)
                for (int q = 0; q < FieldMoments.COUNT; q++) {
                    assertEquals(rows[FieldMoments.COUNT * j + q], got[FieldMoments.COUNT * j + q],
                            1e-13 * Math.abs(rows[FieldMoments.COUNT * j + q]) + 1e-300, "row " + j + " moment " + q);
                }
            }
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("twinCases")
    void spectralEnergySumsAreDiagnostics(Precision p, int N) {
        Grid g = new Grid(N);
        double[] f = field(g);
        double n4 = Math.pow(N, 4);
        try (DeviceBuffer df = reals("f", f, p); DeviceBuffer dr = reals("rows", new double[2 * (N + 1)], Precision.FP64);
             ComputeKernel k = new ComputeKernel(ctx, "spectral_energy", p, 2, Push.size(p, 0, 2))) {
            run(k.bind(df, dr), N, N); // a workgroup per row
            double[] got = doubles(dr, 2 * (N + 1));
            double[] twin = SpectralSums.rows(g, f);
            for (int r = 0; r <= N; r++) {
                assertEquals(twin[2 * r], got[2 * r], 1e-13 * Math.abs(twin[2 * r]) + 1e-300, "energy row " + r);
                assertEquals(twin[2 * r + 1], got[2 * r + 1], 1e-13 * Math.abs(twin[2 * r + 1]) + 1e-300, "enstrophy row " + r);
            }
            // the same sums as the diagnostics, in another order
            assertEquals(Diagnostics.energy(g, f), 0.5 * got[2 * N] / n4, 1e-14 * Diagnostics.energy(g, f));
            assertEquals(Diagnostics.enstrophy(g, f), 0.5 * got[2 * N + 1] / n4, 1e-14 * Diagnostics.enstrophy(g, f));
        }
    }

    /** The GPU codec judges a decode against a GPU LES's field in place: the same errors as the host's FieldErrors. */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void theDeviceVerdictIsTheHostVerdict(Precision p) {
        CodecSettings s = new CodecSettings(N, 6, 8, 0.7, 0, false, p);
        RunConfig c = TestConfigs.withBackend(TestConfigs.les(N, p), "vulkan");
        Backend.Vulkan backend = Backend.Vulkan.on(ctx, 1);
        try (Simulation sim = Simulations.create(c, backend); GpuCodec gpu = new GpuCodec(ctx, s, 2)) {
            sim.advance(10, Double.POSITIVE_INFINITY);
            gpu.encode(sim, 0);
            gpu.reference(SnapshotCodec.HELD, sim);
            double[] heldField = sim.vorticity();
            sim.advance(5, Double.POSITIVE_INFINITY);
            gpu.reference(SnapshotCodec.TRUTH, sim);
            FieldErrors.Reference truth = FieldErrors.reference(N, sim.vorticity());
            double tol = p == Precision.FP64 ? 1e-9 : 1e-4;
            for (SnapshotCodec.Residual residual : new SnapshotCodec.Residual[] {null, SnapshotCodec.Residual.of(0),
                    SnapshotCodec.Residual.of(0).faded(0.4)}) {
                FieldErrors want = truth.compare(gpu.decode(gpu.latents(), 0, residual));
                FieldErrors got = gpu.judge(gpu.latents(), 0, residual);
                assertErrorsClose(want, got, tol);
            }
            assertErrorsClose(truth.compare(heldField), gpu.judgeReference(SnapshotCodec.HELD), tol);
            // a long horizon records a judge program per step and fade: descriptor sets are made once per buffers,
            // not per program (a kernel's pool holds 32; the H200 pipeline at 20 compared steps ran out)
            for (int k = 0; k < 40; k++) {
                SnapshotCodec.Residual faded = SnapshotCodec.Residual.of(0).faded(k / 40.0);
                assertErrorsClose(truth.compare(gpu.decode(gpu.latents(), 0, faded)), gpu.judge(gpu.latents(), 0, faded), tol);
            }
        }
    }

    static void assertErrorsClose(FieldErrors want, FieldErrors got, double tol) {
        double[][] pairs = {{want.relL2(), got.relL2()}, {want.maxError(), got.maxError()}, {want.psnrDb(), got.psnrDb()},
                {want.correlation(), got.correlation()}, {want.energyRelError(), got.energyRelError()},
                {want.enstrophyRelError(), got.enstrophyRelError()}};
        for (int i = 0; i < pairs.length; i++) {
            assertEquals(pairs[i][0], pairs[i][1], tol * Math.max(1, Math.abs(pairs[i][0])), "figure " + i + ": " + want + " vs " + got);
        }
    }

    @Test
    void judgingBeforeATruthIsRefused() {
        CodecSettings s = new CodecSettings(N, 6, 8, 0.7, 0, false, Precision.FP64);
        try (GpuCodec gpu = new GpuCodec(ctx, s, 1)) {
            gpu.encode(field32(), 0);
            var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> gpu.judge(gpu.latents(), 0, null));
            assertTrue(e.getMessage().contains("no truth field"), e.getMessage());
        }
    }

    double[] field32() {
        double[] f = new double[N * N];
        for (int i = 0; i < f.length; i++) {
            f[i] = random.nextGaussian();
        }
        return f;
    }
}
