package dev.eddy.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The span projection by its basis, Q Qᵀ v, against the least-squares point of the span it replaced. */
@Tag("fast")
class SpanProjectionTest {
    final Random random = new Random(5);

    double[] gaussian(int count) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    /** Z c with c = argmin ‖Z c − v‖ by a pivoted QR solve: the projection every compared step computed before. */
    static double[] leastSquares(double[] z, int d, int columns, double[] v) {
        DMatrixRMaj a = new DMatrixRMaj(d, columns);
        for (int j = 0; j < columns; j++) {
            for (int i = 0; i < d; i++) {
                a.set(i, j, z[j * d + i]);
            }
        }
        LinearSolverDense<DMatrixRMaj> solver = LinearSolverFactory_DDRM.leastSquaresQrPivot(true, false);
        solver.setA(a.copy());
        DMatrixRMaj c = new DMatrixRMaj(columns, 1);
        solver.solve(new DMatrixRMaj(d, 1, true, v), c);
        DMatrixRMaj p = new DMatrixRMaj(d, 1);
        CommonOps_DDRM.mult(a, c, p);
        return p.getData();
    }

    @Test
    void theBasisProjectsToTheLeastSquaresPoint() {
        int d = 300;
        int columns = 17;
        double[] z = gaussian(d * columns);
        SpanProjection span = new SpanProjection(z, d, columns);
        assertEquals(columns, span.rank());
        for (int trial = 0; trial < 3; trial++) {
            double[] v = gaussian(d);
            double[] want = leastSquares(z, d, columns, v);
            double[] got = span.project(v);
            for (int i = 0; i < d; i++) {
                assertEquals(want[i], got[i], 1e-12, "entry " + i);
            }
        }
        double[] inSpan = new double[d];
        for (int i = 0; i < d; i++) {
            inSpan[i] = 2 * z[i] - z[3 * d + i];
        }
        double[] back = span.project(inSpan);
        for (int i = 0; i < d; i++) {
            assertEquals(inSpan[i], back[i], 1e-12, "a latent of the span is its own projection");
        }
    }

    @Test
    void aDegenerateWindowProjectsOntoItsSpan() {
        int d = 40;
        double[] base = gaussian(d * 3);
        double[] z = new double[d * 6];
        for (int j = 0; j < 6; j++) { // six latents in a three-dimensional span
            for (int i = 0; i < d; i++) {
                z[j * d + i] = base[(j % 3) * d + i] * (1 + j);
            }
        }
        SpanProjection span = new SpanProjection(z, d, 6);
        assertEquals(3, span.rank());
        double[] v = gaussian(d);
        double[] want = leastSquares(base, d, 3, v); // the span of the three independent latents
        double[] got = span.project(v);
        for (int i = 0; i < d; i++) {
            assertEquals(want[i], got[i], 1e-12, "entry " + i);
        }
    }
}
