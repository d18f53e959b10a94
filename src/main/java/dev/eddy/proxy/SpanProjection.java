package dev.eddy.proxy;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.decomposition.qr.QRColPivDecompositionHouseholderColumn_DDRM;

/**
 * The span floor of the pipeline's verdict: the orthogonal projection of a latent onto the span of the
 * training latents Z = [z_0 … z_{L−1}]. Any linear operator fitted on the window maps the window into that
 * span, so no such proxy can come closer to the truth's latent than its projection (design §4).
 *
 * <p>The span's orthonormal basis Q (d×r, r = rank Z) is taken once from a column-pivoted QR of Z (the
 * pivoting finds the rank of a degenerate window); a projection is then P v = Q (Qᵀ v), two GEMVs of 2dr
 * multiply-adds summed as rollout_factors.comp sums ({@link RolloutKernels_F64#factorGemv}), so the GPU
 * codec's projection of the same basis on the device gives the same bits in float64. (Before the verdict was
 * recorded once per horizon, every compared step solved the least-squares problem with the factored Z:
 * the same point, rounded differently.)
 */
public final class SpanProjection implements dev.eddy.codec.Verdicts.Projection {
    /**
     * A pivot column whose largest remaining entry is at most this times Z's largest entry ends the rank.
     * EJML's default (machine ε) keeps the rounding residue of a dependent latent as a basis vector, an
     * arbitrary direction that the projection would then add; 1e-12 is far below any real window's
     * smallest direction (the test's degenerate window leaves ~1e-16, the pipeline's windows are full rank).
     */
    static final double RANK_THRESHOLD = 1e-12;
    private final int d;
    private final int rank;
    /** Q column-major d×r: also Qᵀ row-major r×d. */
    private final double[] qColumns;
    /** Q row-major d×r. */
    private final double[] qRows;

    /** @param zColumnMajor Z, d×L column-major (as Latents#columns gives it) */
    public SpanProjection(double[] zColumnMajor, int d, int columns) {
        if (zColumnMajor.length != (long) d * columns) {
            throw new IllegalArgumentException(zColumnMajor.length + " values are not " + d + "×" + columns + " latents");
        }
        this.d = d;
        DMatrixRMaj z = new DMatrixRMaj(d, columns);
        for (int j = 0; j < columns; j++) {
            for (int i = 0; i < d; i++) {
                z.set(i, j, zColumnMajor[j * d + i]);
            }
        }
        var qr = new QRColPivDecompositionHouseholderColumn_DDRM(RANK_THRESHOLD);
        if (!qr.decompose(z)) {
            throw new IllegalStateException("the training latents could not be factored for the span projection");
        }
        DMatrixRMaj q = qr.getQ(null, true); // d × min(d, L), the first rank columns span Z
        this.rank = qr.getRank();
        this.qColumns = new double[d * rank];
        this.qRows = new double[d * rank];
        for (int j = 0; j < rank; j++) {
            for (int i = 0; i < d; i++) {
                qColumns[j * d + i] = q.get(i, j);
                qRows[i * rank + j] = q.get(i, j);
            }
        }
    }

    /** The dimension of the latents. */
    public int d() {
        return d;
    }

    /** r, the rank of the training latents: the columns of the basis. */
    @Override
    public int rank() {
        return rank;
    }

    /** The orthonormal basis Q, d×r column-major (read as rows: Qᵀ, r×d row-major). A copy. */
    @Override
    public double[] basisColumnMajor() {
        return qColumns.clone();
    }

    /** Q, d×r row-major. A copy. */
    @Override
    public double[] basisRowMajor() {
        return qRows.clone();
    }

    /** Q Qᵀ v: the point of the span closest to {@code v}. */
    @Override
    public double[] project(double[] v) {
        if (v.length != d) {
            throw new IllegalArgumentException("a latent of " + v.length + " values, the span has d = " + d);
        }
        double[] p = new double[d];
        if (rank == 0) {
            return p;
        }
        double[] partial = new double[RolloutKernels_F64.LOCAL_SIZE];
        double[] u = new double[rank];
        RolloutKernels_F64.factorGemv(qColumns, d, v, 0, 0, u, 0, 0, 1, partial, 0, rank);
        RolloutKernels_F64.factorGemv(qRows, rank, u, 0, 0, p, 0, 0, 1, partial, 0, d);
        return p;
    }
}
