package dev.eddy.proxy;

import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.RandomMatrices_DDRM;

/** Synthetic latent sequences from known linear systems, for the proxy tests. */
final class LinearSystems {
    private LinearSystems() {
    }

    /**
     * A = Q B Qᵀ, Q a random orthogonal d×d matrix (columns [0, r) of Q span the operator's range when
     * r &lt; d) and B block-diagonal with 2×2 rotations scaled by moduli spread evenly over [rMin, rMax]
     * (a 1×1 block of rMax when the active size is odd), zero outside the first r rows/columns. So A is
     * normal, has rank r and spectral radius rMax exactly.
     */
    static double[] operator(int d, int r, double rMin, double rMax, long seed) {
        Random random = new Random(seed);
        DMatrixRMaj q = RandomMatrices_DDRM.orthogonal(d, d, random);
        DMatrixRMaj b = new DMatrixRMaj(d, d);
        int blocks = r / 2;
        for (int k = 0; k < blocks; k++) {
            double modulus = blocks == 1 ? rMax : rMax - (rMax - rMin) * k / (blocks - 1);
            double angle = 0.1 + 2.5 * random.nextDouble();
            b.set(2 * k, 2 * k, modulus * Math.cos(angle));
            b.set(2 * k, 2 * k + 1, -modulus * Math.sin(angle));
            b.set(2 * k + 1, 2 * k, modulus * Math.sin(angle));
            b.set(2 * k + 1, 2 * k + 1, modulus * Math.cos(angle));
        }
        if (r % 2 == 1) {
            b.set(r - 1, r - 1, rMax);
        }
        DMatrixRMaj qb = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(q, b, qb);
        DMatrixRMaj a = new DMatrixRMaj(d, d);
        CommonOps_DDRM.multTransB(qb, q, a);
        return a.data;
    }

    /** The first r columns of the Q of {@link #operator} with the same seed: a basis of A's invariant subspace. */
    static double[] basisColumn(int d, long seed, int column) {
        DMatrixRMaj q = RandomMatrices_DDRM.orthogonal(d, d, new Random(seed));
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            out[i] = q.get(i, column);
        }
        return out;
    }

    static double[] apply(double[] a, int d, double[] z) {
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += a[i * d + j] * z[j];
            }
            out[i] = s;
        }
        return out;
    }

    /** z_0 … z_steps of z_{t+1} = A z_t + noise·N(0, 1) per component. */
    static double[][] trajectory(double[] a, int d, double[] z0, int steps, double noise, Random random) {
        double[][] z = new double[steps + 1][];
        z[0] = z0.clone();
        for (int t = 0; t < steps; t++) {
            z[t + 1] = apply(a, d, z[t]);
            for (int i = 0; i < d; i++) {
                z[t + 1][i] += noise * random.nextGaussian();
            }
        }
        return z;
    }

    static double[] gaussian(int d, Random random) {
        double[] v = new double[d];
        for (int i = 0; i < d; i++) {
            v[i] = random.nextGaussian();
        }
        return v;
    }

    /** The Gram of several independent trajectories (pairs never straddle two of them). */
    static Gram gram(int d, double[][]... trajectories) {
        Gram sum = null;
        for (double[][] traj : trajectories) {
            try (CpuGram g = new CpuGram(d, 1)) {
                for (double[] z : traj) {
                    g.add(z);
                }
                sum = sum == null ? g.gram() : sum.plus(g.gram());
            }
        }
        return sum;
    }

    static double maxAbsDiff(double[] x, double[] y) {
        double m = 0;
        for (int i = 0; i < x.length; i++) {
            m = Math.max(m, Math.abs(x[i] - y[i]));
        }
        return m;
    }

    static double maxAbs(double[] x) {
        double m = 0;
        for (double v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** Column-major d×m matrix of a sequence of latents. */
    static double[] columns(double[][] z) {
        int d = z[0].length;
        double[] out = new double[z.length * d];
        for (int c = 0; c < z.length; c++) {
            System.arraycopy(z[c], 0, out, c * d, d);
        }
        return out;
    }
}
