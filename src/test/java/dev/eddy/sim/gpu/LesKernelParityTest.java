package dev.eddy.sim.gpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.gpu.Push;
import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.GpuContextTest;
import dev.eddy.gpu.StepProgram;
import dev.eddy.numerics.ButcherTableau;
import dev.eddy.sim.Diagnostics;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.cpu.LesKernels_F64;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each LES shader of src/main/glsl/les against its Java twin in {@link LesKernels_F64} (and
 * {@link Diagnostics}), one dispatch at a time, on random inputs at N = 32 in float64. The twins
 * perform the same operations in the same order, so they agree to a few ulps.
 */
class LesKernelParityTest extends GpuContextTest {
    static final int N = 32;
    static final Precision P = Precision.FP64;
    final Grid g = new Grid(N);
    final int len = g.fieldLength();
    final Random random = new Random(3);

    double[] random(int count) {
        return random.doubles(count, -1, 1).toArray();
    }

    DeviceBuffer upload(String name, double[] values) {
        DeviceBuffer b = new DeviceBuffer(ctx, name, (long) values.length * P.bytes(), "test", DeviceBuffer.Movement.ON_DEMAND);
        ctx.staging().uploadReals(b, values, P, "test");
        return b;
    }

    double[] download(DeviceBuffer b, int count) {
        double[] out = new double[count];
        ctx.staging().downloadReals(b, out, P, "test");
        return out;
    }

    void run(ComputeKernel.Binding binding, ByteBuffer push, int gx, int gy) {
        try (StepProgram p = StepProgram.builder(ctx, "parity").dispatch(binding, push, gx, gy, 1).freeze()) {
            p.run();
        }
    }

    static void assertClose(double[] want, double[] got, int from, int to, double rel, String what) {
        double scale = 0;
        double err = 0;
        for (int i = from; i < to; i++) {
            scale = Math.max(scale, Math.abs(want[i]));
            err = Math.max(err, Math.abs(want[i] - got[i]));
        }
        assertTrue(err <= rel * scale, what + ": max error " + err + " of " + scale);
    }

    int gx() {
        return (g.halfX() + 15) / 16;
    }

    int gy() {
        return (N + 15) / 16;
    }

    @Test
    void spectralFields() {
        double[] omega = random(len);
        double scale = 1.0 / (N * N);
        double[] want = new double[6 * len];
        LesKernels_F64.spectralFields(g, omega, want, true, scale, 0, N);
        try (DeviceBuffer w = upload("omega", omega); DeviceBuffer work = upload("work", new double[6 * len]);
             ComputeKernel k = new ComputeKernel(ctx, "les_spectral_fields", P, 2, Push.size(P, 1, 3))) {
            run(k.bind(w, work), Push.of(P).real(scale).i(N).i(len).i(1).build(), gx(), gy());
            assertClose(want, download(work, 6 * len), 0, 6 * len, 1e-15, "spectral fields");
        }
    }

    @Test
    void physicalProductsAndRowMax() {
        double[] work = random(6 * len);
        double[] want = work.clone();
        double[] wantMax = new double[LesKernels_F64.ROW_MAXIMA * N];
        double csDelta2 = Math.pow(0.17 * g.spacing(), 2);
        LesKernels_F64.physicalProducts(g, want, true, csDelta2, wantMax, 0, N);
        try (DeviceBuffer b = upload("work", work); DeviceBuffer rowMax = upload("row_max", new double[wantMax.length]);
             ComputeKernel k = new ComputeKernel(ctx, "les_physical_products", P, 2, Push.size(P, 1, 3))) {
            run(k.bind(b, rowMax), Push.of(P).real(csDelta2).i(N).i(len).i(1).build(), N, 1);
            double[] got = download(b, 6 * len);
            for (int f = 0; f < 3; f++) { // the products, in the physical part of each row
                for (int y = 0; y < N; y++) {
                    int p = f * len + y * g.rowStride();
                    assertClose(want, got, p, p + N, 1e-14, "product field " + f + " row " + y);
                }
            }
            assertClose(wantMax, download(rowMax, wantMax.length), 0, wantMax.length, 0, "row maxima");
        }
    }

    @Test
    void explicitTermIntoItsStageSlot() {
        double[] work = random(3 * len);
        double[] forcing = random(len);
        double[] want = new double[len];
        LesKernels_F64.explicitTerm(g, work, true, forcing, want, 0, N);
        try (DeviceBuffer b = upload("work", work); DeviceBuffer f = upload("forcing", forcing);
             DeviceBuffer stages = upload("stages", new double[2 * len]);
             ComputeKernel k = new ComputeKernel(ctx, "les_explicit_term", P, 3, Push.size(P, 0, 5))) {
            run(k.bind(b, f, stages), Push.of(P).i(N).i(len).i(1).i(1).i(1).build(), gx(), gy());
            double[] got = download(stages, 2 * len);
            assertClose(want, java.util.Arrays.copyOfRange(got, len, 2 * len), 0, len, 1e-15, "explicit term");
        }
    }

    @Test
    void lawsonCombineOfHeunsFinalStage() {
        double nu = 3e-3;
        double mu = 0.05;
        double dt = 0.013;
        double[] omega = random(len);
        double[] k1 = random(len);
        double[] k2 = random(len);
        ButcherTableau.Combination c = ButcherTableau.HEUN.combination(2);
        double[] table = new double[g.modes()];
        LesKernels_F64.decayTable(g, nu, mu, dt, table, 0, N);
        double[] want = new double[len];
        // final Heun combination: E(dt) ω + dt/2 E(dt) k1 + dt/2 k2
        LesKernels_F64.lawsonCombine(g, want, omega, table, new double[][] {k1, k2},
                new double[] {dt * c.coef()[0], dt * c.coef()[1]}, new double[][] {table, null}, 0, N);
        double[] stages = new double[2 * len];
        System.arraycopy(k1, 0, stages, 0, len);
        System.arraycopy(k2, 0, stages, len, len);
        try (DeviceBuffer w = upload("omega", omega); DeviceBuffer s = upload("stages", stages);
             DeviceBuffer target = upload("target", new double[len]); DeviceBuffer step = upload("step", new double[] {dt, 0, 1e300});
             ComputeKernel k = new ComputeKernel(ctx, "les_lawson_combine", P, 4, Push.size(P, 11, 4))) {
            ByteBuffer push = Push.of(P).real(c.coef()[0]).real(c.coef()[1]).real(0).real(0)
                    .real(c.stageDelay()[0]).real(c.stageDelay()[1]).real(0).real(0)
                    .real(c.omegaDelay()).real(nu).real(mu).i(N).i(len).i(2).i(0 | (1 << 8)).build();
            run(k.bind(w, s, target, step), push, gx(), gy());
            assertClose(want, download(target, len), 0, len, 1e-15, "Lawson combination");
        }
    }

    /** les_diagnostics (per-row sums, then totals) against diagnosticSums/diagnosticTotals, with SGS and forcing. */
    @Test
    void diagnosticSumsAndTotals() {
        double[] omega = random(len);
        double[] work = random(3 * len);
        double[] forcing = random(len);
        int sums = LesKernels_F64.DIAGNOSTIC_SUMS;
        double[] rows = new double[sums * N];
        LesKernels_F64.diagnosticSums(g, omega, work, true, forcing, rows, 0, N);
        double[] want = LesKernels_F64.diagnosticTotals(rows, N);
        try (DeviceBuffer w = upload("omega", omega); DeviceBuffer wk = upload("work", work);
             DeviceBuffer f = upload("forcing", forcing); DeviceBuffer r = upload("rows", new double[sums * (N + 1)]);
             ComputeKernel k = new ComputeKernel(ctx, "les_diagnostics", P, 4, Push.size(P, 0, 5))) {
            var binding = k.bind(w, wk, f, r);
            try (StepProgram p = StepProgram.builder(ctx, "diag")
                    .dispatch(binding, Push.of(P).i(N).i(len).i(1).i(1).i(0).build(), (N + 63) / 64, 1, 1).barrier()
                    .dispatch(binding, Push.of(P).i(N).i(len).i(1).i(1).i(1).build(), 1, 1, 1).freeze()) {
                p.run();
            }
            double[] got = download(r, sums * (N + 1));
            assertClose(rows, got, 0, sums * N, 1e-14, "per-row sums");
            for (int q = 0; q < sums; q++) {
                assertClose(want, java.util.Arrays.copyOfRange(got, sums * N, sums * (N + 1)), q, q + 1, 1e-14, "total " + q);
            }
        }
    }

    /** The kernel's energy and enstrophy sums are those of the host's float64 Diagnostics (Parseval, same order). */
    @Test
    void diagnosticSumsAgreeWithTheHostIntegrals() {
        double[] omega = random(len);
        double[] rows = new double[LesKernels_F64.DIAGNOSTIC_SUMS * N];
        LesKernels_F64.diagnosticSums(g, omega, new double[3 * len], false, null, rows, 0, N);
        double[] t = LesKernels_F64.diagnosticTotals(rows, N);
        double n4 = Math.pow(N, 4);
        org.junit.jupiter.api.Assertions.assertEquals(Diagnostics.energy(g, omega), 0.5 * t[dev.eddy.sim.DiagnosticSums.ENERGY] / n4,
                1e-14 * Diagnostics.energy(g, omega));
        org.junit.jupiter.api.Assertions.assertEquals(Diagnostics.enstrophy(g, omega),
                0.5 * t[dev.eddy.sim.DiagnosticSums.ENSTROPHY] / n4, 1e-14 * Diagnostics.enstrophy(g, omega));
    }
}
