package dev.eddy.sim.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.GpuContextTest;
import dev.eddy.gpu.Push;
import dev.eddy.gpu.StepProgram;
import dev.eddy.numerics.ButcherTableau;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.Diagnostics;
import dev.eddy.sim.MemberParams;
import dev.eddy.sim.cpu.LesKernels_F64;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each LES shader of src/main/glsl/les against its Java twin in {@link LesKernels_F64} (and
 * {@link Diagnostics}), one dispatch at a time, on random inputs at N = 32 in float64, for a single run
 * (one member) and a batch of three members with different parameters: the member indexing
 * (gl_WorkGroupID.z against the packed rows of the twins) and the per-member parameter table. The twins
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

    /** A parameter table of {@code members} members with different ν, μ and (C_sΔ)², all active but {@code inactive} (−1: none). */
    double[] params(int members, int inactive) {
        double[] t = new double[members * MemberParams.COUNT];
        for (int m = 0; m < members; m++) {
            t[m * MemberParams.COUNT + MemberParams.NU] = 1e-3 * (m + 1);
            t[m * MemberParams.COUNT + MemberParams.MU] = 0.02 * m;
            t[m * MemberParams.COUNT + MemberParams.CS_DELTA2] = Math.pow((0.1 + 0.07 * m) * g.spacing(), 2);
            t[m * MemberParams.COUNT + MemberParams.DT_LIMIT] = m == 1 ? 1e-3 : Double.MAX_VALUE;
            t[m * MemberParams.COUNT + MemberParams.ACTIVE] = m == inactive ? 0 : 1;
        }
        return t;
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

    void run(ComputeKernel.Binding binding, ByteBuffer push, int gx, int gy, int gz) {
        try (StepProgram p = StepProgram.builder(ctx, "parity").dispatch(binding, push, gx, gy, gz).freeze()) {
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

    @ParameterizedTest(name = "{0} members")
    @ValueSource(ints = {1, 3})
    void spectralFields(int members) {
        double[] omega = random(members * len);
        double scale = 1.0 / (N * N);
        double[] want = new double[6 * members * len];
        LesKernels_F64.spectralFields(g, members, omega, want, true, scale, 0, members * N);
        try (DeviceBuffer w = upload("omega", omega); DeviceBuffer work = upload("work", new double[6 * members * len]);
             ComputeKernel k = new ComputeKernel(ctx, "les_spectral_fields", P, 2, Push.size(P, 1, 5))) {
            run(k.bind(w, work), Push.of(P).real(scale).i(N).i(len).i(1).i(members).i(g.halfX()).build(), gx(), gy(), members);
            assertClose(want, download(work, 6 * members * len), 0, 6 * members * len, 1e-15, "spectral fields");
        }
    }

    /** The fields of a padded work buffer on the kept columns alone: the compact layout of the fused step. */
    double[] compact(double[] padded, int fields, int members) {
        int w = g.dealiasCutoff() + 1;
        double[] out = new double[fields * members * 2 * N * w];
        for (int f = 0; f < fields * members; f++) {
            for (int j = 0; j < N; j++) {
                System.arraycopy(padded, f * len + j * g.rowStride(), out, (f * N + j) * 2 * w, 2 * w);
            }
        }
        return out;
    }

    /** With width = c + 1 the spectral fields land in the compact layout: the twin's padded fields on the kept columns. */
    @ParameterizedTest(name = "{0} members")
    @ValueSource(ints = {1, 3})
    void spectralFieldsIntoTheCompactLayout(int members) {
        double[] omega = random(members * len);
        double scale = 1.0 / (N * N);
        double[] padded = new double[6 * members * len];
        LesKernels_F64.spectralFields(g, members, omega, padded, true, scale, 0, members * N);
        double[] want = compact(padded, 6, members);
        int w = g.dealiasCutoff() + 1;
        try (DeviceBuffer o = upload("omega", omega); DeviceBuffer work = upload("work", new double[want.length]);
             ComputeKernel k = new ComputeKernel(ctx, "les_spectral_fields", P, 2, Push.size(P, 1, 5))) {
            run(k.bind(o, work), Push.of(P).real(scale).i(N).i(len).i(1).i(members).i(w).build(), (w + 15) / 16, gy(), members);
            assertClose(want, download(work, want.length), 0, want.length, 1e-15, "compact spectral fields");
        }
    }

    /** les_explicit_term and les_diagnostics read compact products as the twins read padded ones. */
    @ParameterizedTest(name = "{0} members")
    @ValueSource(ints = {1, 3})
    void explicitTermAndDiagnosticsFromTheCompactLayout(int members) {
        double[] omega = random(members * len);
        double[] padded = random(3 * members * len);
        double[] forcing = random(len);
        double[] wantK = new double[members * len];
        LesKernels_F64.explicitTerm(g, members, padded, true, forcing, 0, wantK, 0, members * N);
        int sums = LesKernels_F64.DIAGNOSTIC_SUMS;
        double[] wantRows = new double[sums * N * members];
        LesKernels_F64.diagnosticSums(g, members, omega, padded, true, forcing, 0, wantRows, 0, members * N);
        double[] work = compact(padded, 3, members);
        int w = g.dealiasCutoff() + 1;
        try (DeviceBuffer o = upload("omega", omega); DeviceBuffer wk = upload("work", work); DeviceBuffer f = upload("forcing", forcing);
             DeviceBuffer stages = upload("stages", new double[members * len]);
             DeviceBuffer r = upload("rows", new double[sums * (N + 1) * members]);
             ComputeKernel ek = new ComputeKernel(ctx, "les_explicit_term", P, 3, Push.size(P, 0, 8));
             ComputeKernel dk = new ComputeKernel(ctx, "les_diagnostics", P, 4, Push.size(P, 0, 8))) {
            run(ek.bind(wk, f, stages), Push.of(P).i(N).i(len).i(1).i(1).i(0).i(members).i(0).i(w).build(), gx(), gy(), members);
            assertClose(wantK, download(stages, members * len), 0, members * len, 1e-15, "explicit term");
            run(dk.bind(o, wk, f, r), Push.of(P).i(N).i(len).i(1).i(1).i(0).i(members).i(0).i(w).build(), (N + 63) / 64, 1, members);
            assertClose(wantRows, download(r, sums * (N + 1) * members), 0, sums * N * members, 1e-14, "per-row sums");
        }
    }

    @ParameterizedTest(name = "{0} members")
    @ValueSource(ints = {1, 3})
    void physicalProductsAndRowMax(int members) {
        double[] work = random(6 * members * len);
        double[] want = work.clone();
        double[] wantMax = new double[LesKernels_F64.ROW_MAXIMA * N * members];
        double[] params = params(members, -1);
        LesKernels_F64.physicalProducts(g, members, want, true, params, wantMax, 0, members * N);
        try (DeviceBuffer b = upload("work", work); DeviceBuffer rowMax = upload("row_max", new double[wantMax.length]);
             DeviceBuffer pb = upload("member_params", params);
             ComputeKernel k = new ComputeKernel(ctx, "les_physical_products", P, 3, Push.size(P, 0, 4))) {
            run(k.bind(b, rowMax, pb), Push.of(P).i(N).i(len).i(1).i(members).build(), N, 1, members);
            double[] got = download(b, 6 * members * len);
            for (int f = 0; f < 3; f++) { // the products, in the physical part of each row
                for (int r = 0; r < members * N; r++) {
                    int p = f * members * len + (r / N) * len + (r % N) * g.rowStride();
                    assertClose(want, got, p, p + N, 1e-14, "product field " + f + " packed row " + r);
                }
            }
            assertClose(wantMax, download(rowMax, wantMax.length), 0, wantMax.length, 0, "row maxima");
        }
    }

    @ParameterizedTest(name = "{0} members")
    @ValueSource(ints = {1, 3})
    void explicitTermIntoItsStageSlot(int members) {
        double[] work = random(3 * members * len);
        int forcingStride = members > 1 ? len : 0; // each member's own forcing field in a batch
        double[] forcing = random(members > 1 ? members * len : len);
        double[] want = new double[members * len];
        LesKernels_F64.explicitTerm(g, members, work, true, forcing, forcingStride, want, 0, members * N);
        try (DeviceBuffer b = upload("work", work); DeviceBuffer f = upload("forcing", forcing);
             DeviceBuffer stages = upload("stages", new double[2 * members * len]);
             ComputeKernel k = new ComputeKernel(ctx, "les_explicit_term", P, 3, Push.size(P, 0, 8))) {
            run(k.bind(b, f, stages), Push.of(P).i(N).i(len).i(1).i(1).i(1).i(members).i(forcingStride).i(g.halfX()).build(), gx(), gy(), members);
            double[] got = download(stages, 2 * members * len);
            assertClose(want, Arrays.copyOfRange(got, members * len, 2 * members * len), 0, members * len, 1e-15, "explicit term");
        }
    }

    /** The final Heun combination E(dt) ω + dt/2 E(dt) k1 + dt/2 k2, each member with its own dt, ν and μ; member 1 of a batch is stopped. */
    @ParameterizedTest(name = "{0} members")
    @ValueSource(ints = {1, 3})
    void lawsonCombineOfHeunsFinalStage(int members) {
        int inactive = members > 1 ? 1 : -1;
        double[] params = params(members, inactive);
        double[] dt = new double[members];
        double[] stepRecord = new double[GpuLesLayout.STEP_RECORD * members];
        for (int m = 0; m < members; m++) {
            dt[m] = 0.013 / (m + 1);
            stepRecord[m * GpuLesLayout.STEP_RECORD] = dt[m];
        }
        double[] omega = random(members * len);
        double[] k1 = random(members * len);
        double[] k2 = random(members * len);
        double[] before = random(members * len); // what the target holds: a stopped member keeps it
        ButcherTableau.Combination c = ButcherTableau.HEUN.combination(2);
        double[] table = new double[members * g.modes()];
        LesKernels_F64.decayTable(g, params, dt, table, 0, members * N);
        double[] weights = new double[2 * members];
        for (int m = 0; m < members; m++) {
            weights[2 * m] = dt[m] * c.coef()[0];
            weights[2 * m + 1] = dt[m] * c.coef()[1];
        }
        double[] want = before.clone();
        LesKernels_F64.lawsonCombine(g, params, want, omega, table, new double[][] {k1, k2}, weights, new double[][] {table, null},
                0, members * N);
        double[] stages = new double[2 * members * len];
        System.arraycopy(k1, 0, stages, 0, members * len);
        System.arraycopy(k2, 0, stages, members * len, members * len);
        try (DeviceBuffer w = upload("omega", omega); DeviceBuffer s = upload("stages", stages);
             DeviceBuffer target = upload("target", before); DeviceBuffer step = upload("step", stepRecord);
             DeviceBuffer pb = upload("member_params", params);
             ComputeKernel k = new ComputeKernel(ctx, "les_lawson_combine", P, 5, Push.size(P, 9, 5))) {
            ByteBuffer push = Push.of(P).real(c.coef()[0]).real(c.coef()[1]).real(0).real(0)
                    .real(c.stageDelay()[0]).real(c.stageDelay()[1]).real(0).real(0)
                    .real(c.omegaDelay()).i(N).i(len).i(2).i(0 | (1 << 8)).i(members).build();
            run(k.bind(w, s, target, step, pb), push, gx(), gy(), members);
            double[] got = download(target, members * len);
            assertClose(want, got, 0, members * len, 1e-15, "Lawson combination");
            if (inactive >= 0) {
                assertEquals(Arrays.toString(Arrays.copyOfRange(before, inactive * len, (inactive + 1) * len)),
                        Arrays.toString(Arrays.copyOfRange(got, inactive * len, (inactive + 1) * len)), "a stopped member is left as it is");
            }
        }
    }

    /** les_diagnostics (per-row sums, then totals) against diagnosticSums/diagnosticTotals, with SGS and forcing. */
    @ParameterizedTest(name = "{0} members")
    @ValueSource(ints = {1, 3})
    void diagnosticSumsAndTotals(int members) {
        double[] omega = random(members * len);
        double[] work = random(3 * members * len);
        int forcingStride = members > 1 ? len : 0;
        double[] forcing = random(members > 1 ? members * len : len);
        int sums = LesKernels_F64.DIAGNOSTIC_SUMS;
        double[] rows = new double[sums * N * members];
        LesKernels_F64.diagnosticSums(g, members, omega, work, true, forcing, forcingStride, rows, 0, members * N);
        try (DeviceBuffer w = upload("omega", omega); DeviceBuffer wk = upload("work", work);
             DeviceBuffer f = upload("forcing", forcing); DeviceBuffer r = upload("rows", new double[sums * (N + 1) * members]);
             ComputeKernel k = new ComputeKernel(ctx, "les_diagnostics", P, 4, Push.size(P, 0, 8))) {
            var binding = k.bind(w, wk, f, r);
            try (StepProgram p = StepProgram.builder(ctx, "diag")
                    .dispatch(binding, Push.of(P).i(N).i(len).i(1).i(1).i(0).i(members).i(forcingStride).i(g.halfX()).build(), (N + 63) / 64, 1,
                            members).barrier()
                    .dispatch(binding, Push.of(P).i(N).i(len).i(1).i(1).i(1).i(members).i(forcingStride).i(g.halfX()).build(), 1, 1, members)
                    .freeze()) {
                p.run();
            }
            double[] got = download(r, sums * (N + 1) * members);
            assertClose(rows, got, 0, sums * N * members, 1e-14, "per-row sums");
            for (int m = 0; m < members; m++) {
                double[] want = LesKernels_F64.diagnosticTotals(rows, N, m);
                int at = sums * (members * N + m);
                for (int q = 0; q < sums; q++) {
                    assertClose(want, Arrays.copyOfRange(got, at, at + sums), q, q + 1, 1e-14, "member " + m + " total " + q);
                }
            }
        }
    }

    /** The kernel's energy and enstrophy sums are those of the host's float64 Diagnostics (Parseval, same order). */
    @Test
    void diagnosticSumsAgreeWithTheHostIntegrals() {
        double[] omega = random(len);
        double[] rows = new double[LesKernels_F64.DIAGNOSTIC_SUMS * N];
        LesKernels_F64.diagnosticSums(g, 1, omega, new double[3 * len], false, null, 0, rows, 0, N);
        double[] t = LesKernels_F64.diagnosticTotals(rows, N, 0);
        double n4 = Math.pow(N, 4);
        assertEquals(Diagnostics.energy(g, omega), 0.5 * t[dev.eddy.sim.DiagnosticSums.ENERGY] / n4, 1e-14 * Diagnostics.energy(g, omega));
        assertEquals(Diagnostics.enstrophy(g, omega), 0.5 * t[dev.eddy.sim.DiagnosticSums.ENSTROPHY] / n4,
                1e-14 * Diagnostics.enstrophy(g, omega));
    }

    /**
     * les_cfl_dt against the CPU's step (CpuEnsemble's courantStep: Courant.step of each member's grid maxima,
     * clipped to its dt limit): per member (mode 0), then the shared dt (mode 1), with the members' ring
     * counters and entries where the host reads them; a member whose speed is not finite is dropped (its
     * active flag goes to 0, its entry carries the speed) and a stopped one writes nothing but counts.
     */
    @ParameterizedTest(name = "shared dt: {0}")
    @ValueSource(booleans = {false, true})
    void cflDtPerMemberAndShared(boolean shared) {
        int members = 4;
        double dtMax = 0.05;
        double cfl = 1.2;
        int capacity = 16;
        double[] params = params(members, 3); // member 3 is stopped
        double[] rowMax = new double[LesKernels_F64.ROW_MAXIMA * N * members];
        for (int i = 0; i < rowMax.length; i++) {
            rowMax[i] = Math.abs(random.nextGaussian()) * (1 + i / (3 * N));
        }
        rowMax[LesKernels_F64.ROW_MAXIMA * (2 * N + 5) + 2] = Double.NaN; // member 2's speed blows up
        double[] dt = new double[members];
        double[] speedK = new double[members];
        double[] speed = new double[members];
        double min = Double.POSITIVE_INFINITY;
        int k = g.dealiasCutoff();
        dev.eddy.config.TimeControl time = new dev.eddy.config.TimeControl(1, 0, dtMax, cfl, "rk4");
        for (int m = 0; m < 3; m++) {
            double[] x = LesKernels_F64.gridMaxima(rowMax, N, m);
            dt[m] = Math.min(dev.eddy.sim.Courant.step(time, g, x[0], x[1]), params[m * MemberParams.COUNT + MemberParams.DT_LIMIT]);
            speedK[m] = (x[0] + x[1]) * k;
            speed[m] = Math.sqrt(x[2]);
            if (Double.isFinite(speed[m])) {
                min = Math.min(min, dt[m]);
            }
        }
        int header = 4 * ((members + 1) / 2 * 2);
        long ringBytes = header + 3L * capacity * members * P.bytes();
        ByteBuffer counters = ByteBuffer.allocateDirect((int) ringBytes).order(ByteOrder.nativeOrder()); // zero entries
        for (int m = 0; m < members; m++) {
            counters.putInt(4 * m, 7); // the ring has seen 7 steps: this one goes into slot 7
        }
        try (DeviceBuffer rm = upload("row_max", rowMax); DeviceBuffer step = upload("step", new double[3 * members]);
             DeviceBuffer ring = new DeviceBuffer(ctx, "ring", ringBytes, "test", DeviceBuffer.Movement.ON_DEMAND);
             DeviceBuffer pb = upload("member_params", params);
             ComputeKernel kernel = new ComputeKernel(ctx, "les_cfl_dt", P, 4, Push.size(P, 3, 4))) {
            ctx.staging().upload(ring, 0, counters, "test");
            var binding = kernel.bind(rm, step, ring, pb);
            StepProgram.Builder b = StepProgram.builder(ctx, "cfl")
                    .dispatch(binding, Push.of(P).real(dtMax).real(cfl).real(k).i(N).i(capacity).i(members).i(0).build(), 1, 1, members);
            if (shared) {
                b.barrier().dispatch(binding, Push.of(P).real(dtMax).real(cfl).real(k).i(N).i(capacity).i(members).i(1).build(), 1, 1, 1);
            }
            try (StepProgram p = b.freeze()) {
                p.run();
            }
            ByteBuffer r = ByteBuffer.allocateDirect((int) ringBytes).order(ByteOrder.nativeOrder());
            ctx.staging().download(ring, 0, r, "test");
            double[] gotParams = download(pb, params.length);
            for (int m = 0; m < members; m++) {
                assertEquals(8, r.getInt(4 * m), "member " + m + "'s counter counts the step, stopped or not");
            }
            for (int m = 0; m < 3; m++) {
                int e = header + 3 * (7 * members + m) * P.bytes();
                double want = shared ? min : dt[m];
                assertEquals(speed[m], r.getDouble(e + 8), "member " + m + " max speed");
                if (m == 2) {
                    assertTrue(Double.isNaN(r.getDouble(e + 8)), "the blown-up member's entry carries its speed");
                    assertEquals(0, gotParams[m * MemberParams.COUNT + MemberParams.ACTIVE], "and it is dropped");
                    continue;
                }
                assertEquals(want, r.getDouble(e), 1e-16 * want, "member " + m + " dt");
                assertEquals(speedK[m] * want, r.getDouble(e + 16), 1e-14 * speedK[m] * want, "member " + m + " Courant number");
                assertEquals(1, gotParams[m * MemberParams.COUNT + MemberParams.ACTIVE]);
            }
            int stopped = header + 3 * (7 * members + 3) * P.bytes();
            assertEquals(0.0, r.getDouble(stopped), "a stopped member writes no entry");
        }
    }
}
