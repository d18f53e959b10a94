package dev.eddy.sim.cpu;

import dev.eddy.sim.Grid;

/**
 * The LES kernels as plain data-parallel loops over rows [j0, j1): the specification that the GLSL
 * shaders of the same names are tested against. Per-point math is in small static methods (the GLSL
 * functions of the same names); the loops only index. Fields live packed in one work buffer in the
 * {@link Grid} layout; field f starts at f·{@link Grid#fieldLength()}.
 *
 * <p>Work-buffer fields after {@link #spectralFields}: 0 û, 1 v̂, 2 ∂̂ω/∂x, 3 ∂̂ω/∂y, and with the SGS
 * model 4 Ŝ₁₁, 5 Ŝ₁₂. After {@link #physicalProducts}: 0 u·∇ω, 1 ν_t ∂ω/∂x, 2 ν_t ∂ω/∂y.
 */
public final class LesKernels_F64 {
    /** Fields inverse-transformed per stage with the SGS model (without it: 4). */
    public static final int SPECTRAL_FIELDS_SGS = 6;
    public static final int SPECTRAL_FIELDS_DNS = 4;
    /** Fields forward-transformed per stage with the SGS model (without it: 1). */
    public static final int PRODUCT_FIELDS_SGS = 3;
    public static final int PRODUCT_FIELDS_DNS = 1;

    private LesKernels_F64() {
    }

    // ---- per-point math (twins of the GLSL functions) ----

    /** 1/k² with the mean mode mapped to 0 (ψ̂(0,0) = 0). */
    public static double inverseLaplacian(int kx, int ky) {
        int k2 = kx * kx + ky * ky;
        return k2 == 0 ? (double) 0 : (double) 1 / (double) k2;
    }

    /** Smagorinsky eddy viscosity ν_t = (C_sΔ)²|S| with |S| = 2·sqrt(S₁₁² + S₁₂²). */
    public static double eddyViscosity(double s11, double s12, double csDelta2) {
        return csDelta2 * (double) 2 * (double) Math.sqrt(s11 * s11 + s12 * s12);
    }

    /** The advection u·∇ω. */
    public static double advection(double u, double v, double wx, double wy) {
        return u * wx + v * wy;
    }

    /** Integrating factor exp(−(νk² + μ)·τ) of the linear terms over a time τ. */
    public static double decay(int kx, int ky, double nu, double mu, double tau) {
        return (double) Math.exp(-(nu * (double) (kx * kx + ky * ky) + mu) * tau);
    }

    // ---- kernels ----

    /**
     * From ω̂, the spectral fields of one stage, scaled by {@code scale} (1/N², so that the unnormalised
     * inverse FFT yields physical values) and dealiased: û = i ky ψ̂, v̂ = −i kx ψ̂, i kx ω̂, i ky ω̂, and
     * with the SGS model Ŝ₁₁ = −kx ky ψ̂ and Ŝ₁₂ = ½(kx² − ky²) ψ̂, where ψ̂ = ω̂/k².
     */
    public static void spectralFields(Grid g, double[] omega, double[] work, boolean sgs, double scale,
                                      int j0, int j1) {
        int half = g.halfX();
        int len = g.fieldLength();
        for (int j = j0; j < j1; j++) {
            int ky = g.ky(j);
            for (int i = 0; i < half; i++) {
                int kx = g.kx(i);
                int p = 2 * (j * half + i);
                double m = g.kept(j, i) ? scale : (double) 0;
                double wr = omega[p] * m;
                double wi = omega[p + 1] * m;
                double inv = inverseLaplacian(kx, ky);
                double pr = wr * inv;
                double pi = wi * inv;
                work[p] = -(double) ky * pi;            // û = i ky ψ̂
                work[p + 1] = (double) ky * pr;
                work[len + p] = (double) kx * pi;       // v̂ = −i kx ψ̂
                work[len + p + 1] = -(double) kx * pr;
                work[2 * len + p] = -(double) kx * wi;  // i kx ω̂
                work[2 * len + p + 1] = (double) kx * wr;
                work[3 * len + p] = -(double) ky * wi;  // i ky ω̂
                work[3 * len + p + 1] = (double) ky * wr;
                if (sgs) {
                    double a = -(double) (kx * ky);
                    double b = (double) 0.5 * (double) (kx * kx - ky * ky);
                    work[4 * len + p] = a * pr;         // Ŝ₁₁ = ∂u/∂x
                    work[4 * len + p + 1] = a * pi;
                    work[5 * len + p] = b * pr;         // Ŝ₁₂ = ½(∂u/∂y + ∂v/∂x)
                    work[5 * len + p + 1] = b * pi;
                }
            }
        }
    }

    /**
     * In physical space, per point: the advection u·∇ω into field 0 and, with the SGS model, the eddy
     * fluxes ν_t∇ω into fields 1 and 2 (in place: all inputs of a point are read before it is written).
     * Stores the largest u² + v² of each row in {@code rowMaxSpeed2[j]}.
     */
    public static void physicalProducts(Grid g, double[] work, boolean sgs, double csDelta2,
                                        double[] rowMaxSpeed2, int j0, int j1) {
        int n = g.n();
        int stride = g.rowStride();
        int len = g.fieldLength();
        for (int j = j0; j < j1; j++) {
            double rowMax = (double) 0;
            for (int x = 0; x < n; x++) {
                int p = j * stride + x;
                double u = work[p];
                double v = work[len + p];
                double wx = work[2 * len + p];
                double wy = work[3 * len + p];
                double speed2 = u * u + v * v;
                // NaN-propagating max: a blown-up row must not hide behind Math.max's ordering.
                rowMax = (speed2 > rowMax || speed2 != speed2) ? speed2 : rowMax;
                work[p] = advection(u, v, wx, wy);
                if (sgs) {
                    double nut = eddyViscosity(work[4 * len + p], work[5 * len + p], csDelta2);
                    work[len + p] = nut * wx;
                    work[2 * len + p] = nut * wy;
                }
            }
            rowMaxSpeed2[j] = rowMax;
        }
    }

    /**
     * The explicit term N̂ = mask·(−(u·∇ω)^ + i kx (ν_t ∂ω/∂x)^ + i ky (ν_t ∂ω/∂y)^) + F̂ from the
     * forward-transformed products; {@code forcing} may be null.
     */
    public static void explicitTerm(Grid g, double[] work, boolean sgs, double[] forcing, double[] out,
                                    int j0, int j1) {
        int half = g.halfX();
        int len = g.fieldLength();
        for (int j = j0; j < j1; j++) {
            int ky = g.ky(j);
            for (int i = 0; i < half; i++) {
                int kx = g.kx(i);
                int p = 2 * (j * half + i);
                double re = (double) 0;
                double im = (double) 0;
                if (g.kept(j, i)) {
                    re = -work[p];
                    im = -work[p + 1];
                    if (sgs) {
                        re += -(double) kx * work[len + p + 1] - (double) ky * work[2 * len + p + 1];
                        im += (double) kx * work[len + p] + (double) ky * work[2 * len + p];
                    }
                }
                if (forcing != null) {
                    re += forcing[p];
                    im += forcing[p + 1];
                }
                out[p] = re;
                out[p + 1] = im;
            }
        }
    }

    /**
     * One Lawson (integrating-factor Runge–Kutta) combination per mode:
     * target = e₀·ω̂ + Σ_s dt·a_s·e_s·k_s, where e are per-mode decay tables (null = 1) and the a_s are
     * the tableau coefficients of the stages used (zero ones already dropped by the caller). The target
     * may be {@code omega} itself: each mode reads only its own values.
     */
    public static void lawsonCombine(Grid g, double[] target, double[] omega, double[] omegaDecay,
                                     double[][] stages, double[] weights, double[][] stageDecay,
                                     int j0, int j1) {
        int half = g.halfX();
        for (int j = j0; j < j1; j++) {
            for (int i = 0; i < half; i++) {
                int m = j * half + i;
                int p = 2 * m;
                double e0 = omegaDecay == null ? (double) 1 : omegaDecay[m];
                double re = e0 * omega[p];
                double im = e0 * omega[p + 1];
                for (int s = 0; s < stages.length; s++) {
                    double w = stageDecay[s] == null ? weights[s] : weights[s] * stageDecay[s][m];
                    re += w * stages[s][p];
                    im += w * stages[s][p + 1];
                }
                target[p] = re;
                target[p + 1] = im;
            }
        }
    }

    /** Fills {@code table[m]} with the decay over τ for every mode m of rows [j0, j1). */
    public static void decayTable(Grid g, double nu, double mu, double tau, double[] table, int j0, int j1) {
        int half = g.halfX();
        for (int j = j0; j < j1; j++) {
            int ky = g.ky(j);
            for (int i = 0; i < half; i++) {
                table[j * half + i] = decay(g.kx(i), ky, nu, mu, tau);
            }
        }
    }
}
