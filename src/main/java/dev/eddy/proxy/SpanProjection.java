package dev.eddy.proxy;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * The span floor of the pipeline's verdict: the orthogonal projection of a latent onto the span of the
 * training latents Z = [z_0 … z_{L−1}]. Any linear operator fitted on the window maps the window into that
 * span, so no such proxy can come closer to the truth's latent than its projection (design §4). Least
 * squares by a column-pivoted QR of Z, factored once (rank-deficient windows are handled by the pivoting).
 */
public final class SpanProjection {
    private final int d;
    private final int columns;
    private final DMatrixRMaj z;
    private final LinearSolverDense<DMatrixRMaj> solver;

    /** @param zColumnMajor Z, d×L column-major (as Latents#columns gives it) */
    public SpanProjection(double[] zColumnMajor, int d, int columns) {
        this.d = d;
        this.columns = columns;
        this.z = new DMatrixRMaj(d, columns);
        for (int j = 0; j < columns; j++) {
            for (int i = 0; i < d; i++) {
                z.set(i, j, zColumnMajor[j * d + i]);
            }
        }
        this.solver = LinearSolverFactory_DDRM.leastSquaresQrPivot(true, false);
        if (!solver.setA(z.copy())) {
            throw new IllegalStateException("the training latents could not be factored for the span projection");
        }
    }

    /** Z c with c = argmin ‖Z c − v‖: the point of the span closest to {@code v}. */
    public double[] project(double[] v) {
        if (v.length != d) {
            throw new IllegalArgumentException("a latent of " + v.length + " values, the span has d = " + d);
        }
        DMatrixRMaj b = new DMatrixRMaj(d, 1, true, v);
        DMatrixRMaj c = new DMatrixRMaj(columns, 1);
        solver.solve(b, c);
        DMatrixRMaj p = new DMatrixRMaj(d, 1);
        org.ejml.dense.row.CommonOps_DDRM.mult(z, c, p);
        return p.getData();
    }
}
