package dev.eddy.sim.gpu;


import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.GpuContextTest;
import dev.eddy.gpu.Push;
import dev.eddy.gpu.StepProgram;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.MemberParams;
import dev.eddy.sim.cpu.LesKernels_F64;
import dev.eddy.sim.cpu.RowTransform_F32;
import dev.eddy.sim.cpu.RowTransform_F64;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * les_row_transform against its Java twin {@link RowTransform_F64} (and the generated float32 twin), one
 * dispatch on random compact fields: every N from 16 (one radix-2 and one radix-4 pass, 16 rows per
 * workgroup) to 512 (one row per workgroup at 64 invocations), a single run and a batch of three members
 * with their own (C_sΔ)², with and without the SGS model, and every way the passes exchange through shared
 * memory (two buffers, one buffer, one component at a time: the shared budgets are chosen for it), the pass
 * twiddles loaded up front or in each pass. The shader does the twin's operations in the
 * same order; float64 agrees to a few ulps of the row's largest value, float32 to what FMA contraction leaves.
 */
@Tag("gpu-parity")
class RowTransformParityTest extends GpuContextTest {
    final Random random = new Random(5);
    static final java.util.Set<Integer> seen = new java.util.TreeSet<>();

    /** The cases above cover every exchange mode (the budgets are chosen for it). */
    @org.junit.jupiter.api.AfterAll
    static void everyExchangeModeWasRun() {
        if (!seen.isEmpty()) {
            org.junit.jupiter.api.Assertions.assertEquals(java.util.Set.of(RowStageShape.SPLIT, RowStageShape.ONE_BUFFER,
                    RowStageShape.PING_PONG), seen);
        }
    }

    @ParameterizedTest(name = "N = {0}, {1}, {2} members, sgs {3}, shared budget {4}, twiddles prefetched {5}")
    @CsvSource({
            "16, FP64, 1, true, 32768, true", "32, FP64, 3, true, 32768, false", "64, FP64, 1, false, 32768, true", "128, FP64, 3, true, 32768, false",
            "256, FP64, 1, true, 32768, true", "512, FP64, 2, true, 32768, false", "1024, FP64, 1, true, 32768, true", "64, FP64, 3, true, 3000, false",
            "256, FP64, 1, true, 1056, true", "32, FP32, 1, true, 32768, false", "128, FP32, 3, true, 32768, true", "256, FP32, 2, false, 32768, false",
            "512, FP32, 1, true, 1056, true", "1024, FP32, 2, true, 4224, false"})
    void agreesWithItsTwin(int n, Precision p, int members, boolean sgs, int budget, boolean prefetch) {
        RowStageShape shape = RowStageShape.of(n, p, budget).withPrefetch(prefetch);
        seen.add(shape.mode());
        int cl = RowTransform_F64.compactLength(n);
        int fields = sgs ? 6 : 4;
        double[] work = random.doubles((long) fields * members * cl, -1, 1).toArray();
        double[] params = new double[members * MemberParams.COUNT];
        for (int m = 0; m < members; m++) {
            params[m * MemberParams.COUNT + MemberParams.CS_DELTA2] = Math.pow((0.1 + 0.07 * m) * new Grid(n).spacing(), 2);
        }
        double[] want = work.clone();
        double[] wantMax = new double[LesKernels_F64.ROW_MAXIMA * members * n];
        if (p == Precision.FP64) {
            new RowTransform_F64(n).rows(members, want, sgs, params, wantMax, 0, members * n);
        } else {
            float[] w32 = toFloat(work);
            float[] max32 = new float[wantMax.length];
            new RowTransform_F32(n).rows(members, w32, sgs, toFloat(params), max32, 0, members * n);
            want = toDouble(w32);
            wantMax = toDouble(max32);
            work = toDouble(toFloat(work));
        }
        try (DeviceBuffer b = upload("work", work, p); DeviceBuffer tw = upload("twiddles", RowTransform_F64.twiddles(n), p);
             DeviceBuffer rowMax = upload("row_max", new double[wantMax.length], p); DeviceBuffer pb = upload("member_params", params, p);
             ComputeKernel k = new ComputeKernel(ctx, "les_row_transform", p, 4, Push.size(p, 0, 2), shape.specialization());
             StepProgram prog = StepProgram.builder(ctx, "parity").dispatch(k.bind(b, tw, rowMax, pb),
                     Push.of(p).i(sgs ? 1 : 0).i(members).build(), shape.groups(), 1, members).freeze()) {
            prog.run();
            double[] got = download(b, work.length, p);
            double[] gotMax = download(rowMax, wantMax.length, p);
            double tol = p == Precision.FP64 ? 1e-13 : 2e-5;
            int products = sgs ? 3 : 1;
            for (int f = 0; f < products; f++) {
                for (int r = 0; r < members * n; r++) {
                    int at = (f * members + r / n) * cl + (r % n) * 2 * RowTransform_F64.width(n);
                    LesKernelParityTest.assertClose(want, got, at, at + 2 * RowTransform_F64.width(n), tol, "product " + f + " packed row " + r);
                }
            }
            LesKernelParityTest.assertClose(wantMax, gotMax, 0, wantMax.length, p == Precision.FP64 ? 1e-14 : 1e-6, "row maxima");
        }
    }

    DeviceBuffer upload(String name, double[] values, Precision p) {
        DeviceBuffer b = new DeviceBuffer(ctx, name, (long) values.length * p.bytes(), "test", DeviceBuffer.Movement.ON_DEMAND);
        ctx.staging().uploadReals(b, values, p, "test");
        return b;
    }

    double[] download(DeviceBuffer b, int count, Precision p) {
        double[] out = new double[count];
        ctx.staging().downloadReals(b, out, p, "test");
        return out;
    }

    static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
