package dev.eddy.sim.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.config.TimeControl;
import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.GpuContextTest;
import dev.eddy.gpu.Push;
import dev.eddy.gpu.StepProgram;
import dev.eddy.numerics.ButcherTableau;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.Courant;
import dev.eddy.sim.Diagnostics;
import dev.eddy.sim.cpu.LesKernels_F64;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each LES shader of src/main/glsl/les against its Java twin in {@link LesKernels_F64} (and
 * {@link Diagnostics}), one dispatch at a time, on random inputs at N = 32 in float64. The twins
 * perform the same operations in the same order, so they agree to a few ulps.
 */
@Tag("gpu-parity")
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

    /** Within a few ulps (the same operations in the same order); a NaN must stay a NaN. */
    static void assertUlps(double want, double got, String what) {
        if (Double.isNaN(want)) {
            assertEquals(want, got, what);
        } else {
            assertEquals(want, got, 4 * Math.ulp(want), what);
        }
    }

    /**
     * les_cfl_dt against its twins, as CpuLes_F64.step chains them: the grid maxima of
     * LesKernels_F64.gridMaxima, dt = Courant.step clipped to the host's limit step[2], and the ring entry
     * (dt, max speed, Courant.number), written at slot ringCount mod capacity. 300 rows: more than the
     * workgroup's 256 threads, so some threads reduce two rows, and the row that holds the maxima (or the
     * NaN) is one of those. Two dispatches from ringCount = 2·capacity − 1: the last slot, then slot 0.
     */
    @ParameterizedTest(name = "dtMax={0} C={1} limit={2} NaN={3}")
    @CsvSource({
        "1.0, 2.4, 1e300, false",  // the Courant step
        "1e-6, 2.4, 1e300, false", // capped at dtMax
        "1.0, 2.4, 1e-7, false",   // clipped to the host's limit (the end time)
        "0.01, 0.0, 1e300, false", // fixed dt
        "0.01, 1.5, 1e300, true"}) // a NaN in the velocity maxima: dtMax, and a NaN max speed for the host to see
    void cflDt(double dtMax, double cfl, double limit, boolean nan) {
        int n = 300;
        int capacity = 5;
        int rm = LesKernels_F64.ROW_MAXIMA;
        double[] rowMax = random.doubles(rm * n, 0, 1).toArray();
        for (int q = 0; q < rm; q++) {
            rowMax[rm * 280 + q] = nan ? Double.NaN : 1.5 + q; // above every other row: a row of the second pass
        }
        Grid grid = new Grid(n);
        double[] m = LesKernels_F64.gridMaxima(rowMax, n);
        double dt = Math.min(Courant.step(new TimeControl(1, 0, dtMax, cfl, "rk4"), grid, m[0], m[1]), limit);
        double[] entry = {dt, Math.sqrt(m[2]), Courant.number(grid, dt, m[0], m[1])};
        ByteBuffer ring = ByteBuffer.allocateDirect(8 + 3 * capacity * P.bytes()).order(ByteOrder.nativeOrder());
        ring.putInt(0, 2 * capacity - 1);
        try (DeviceBuffer rows = upload("row_max", rowMax); DeviceBuffer step = upload("step", new double[] {0, 0, limit});
             DeviceBuffer r = new DeviceBuffer(ctx, "ring", ring.capacity(), "test", DeviceBuffer.Movement.ON_DEMAND);
             ComputeKernel k = new ComputeKernel(ctx, "les_cfl_dt", P, 3, Push.size(P, 3, 2))) {
            ctx.staging().upload(r, 0, ring, "test");
            ByteBuffer push = Push.of(P).real(dtMax).real(cfl).real(grid.dealiasCutoff()).i(n).i(capacity).build();
            var binding = k.bind(rows, step, r);
            try (StepProgram p = StepProgram.builder(ctx, "cfl").dispatch(binding, push, 1, 1, 1).barrier()
                    .dispatch(binding, push, 1, 1, 1).freeze()) {
                p.run();
            }
            double[] got = download(step, 3);
            assertUlps(entry[0], got[0], "dt");
            assertEquals(entry[1], got[1], 0, "max speed");
            assertEquals(limit, got[2], 0, "the limit is read, not written");
            ByteBuffer back = ByteBuffer.allocateDirect(ring.capacity()).order(ByteOrder.nativeOrder());
            ctx.staging().download(r, 0, back, "test");
            assertEquals(2 * capacity + 1, back.getInt(0), "two entries appended");
            for (int slot : new int[] {capacity - 1, 0}) {
                for (int q = 0; q < 3; q++) {
                    double v = back.getDouble(8 + (3 * slot + q) * P.bytes());
                    assertUlps(entry[q], v, "ring slot " + slot + ", entry " + q);
                }
            }
            for (int q = 0; q < 3; q++) {
                assertEquals(0.0, back.getDouble(8 + (3 + q) * P.bytes()), "slot 1 untouched");
            }
        }
    }
}
