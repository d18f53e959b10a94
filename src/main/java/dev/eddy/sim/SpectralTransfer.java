package dev.eddy.sim;

import dev.eddy.numerics.CpuFft2D_F64;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Parallel;

/**
 * Shell spectra of a state beyond E(k), computed on the host from ω̂ (the {@link Grid} layout, as a
 * snapshot carries it), for the snapshot store:
 * <ul>
 *   <li>the enstrophy spectrum Z(k) = Σ_shell ½|ω̂|² (so Σ_k Z(k) = ½⟨ω²⟩; Z(k) = k² E(k) mode by mode);</li>
 *   <li>the nonlinear transfer spectra T_Z(k) = Σ_shell Re(ω̂* N̂) and T_E(k) = Σ_shell Re(ω̂* N̂)/|k|², with
 *       N = −u·∇ω the advection term, formed pseudo-spectrally and dealiased with the LES's 2/3 rule
 *       (so Σ_k T_E = Σ_k T_Z = 0 to round-off: the term conserves energy and enstrophy);</li>
 *   <li>the fluxes through wavenumber k, Π(k) = −Σ_{k' ≤ k} T_E(k') (energy) and Z(k) = −Σ_{k' ≤ k} T_Z(k')
 *       (enstrophy): positive flux is transfer from k' ≤ k to larger wavenumbers (Frisch's convention;
 *       in 2D turbulence Π &lt; 0 in the inverse energy cascade, Z &gt; 0 in the direct enstrophy cascade).</li>
 * </ul>
 * Only the resolved advection is counted (not the Smagorinsky term, whose dissipation is in the budgets
 * of the diagnostics). Shells and normalisation as {@link Diagnostics#spectrum}: shell s holds the modes
 * with round(|k|) = s; values are per unit area (÷ N⁴ for the unnormalised transform). Optionally it also
 * gives the velocity (u, v) and the stream function ψ (ω = −∇²ψ, u = ∂ψ/∂y, v = −∂ψ/∂x) on the grid.
 * Holds three fields of scratch (four with ψ): one per run, used from one thread.
 */
public final class SpectralTransfer {
    /** What {@link #of} computes; fields are null unless asked for. */
    public record Result(double[] enstrophy, double[] energyTransfer, double[] enstrophyTransfer, double[] energyFlux,
                         double[] enstrophyFlux, double[] u, double[] v, double[] psi) {
    }

    private final Grid g;
    private final CpuFft2D_F64 fft;
    private final double[] a;
    private final double[] b;
    private final double[] nl;

    public SpectralTransfer(Grid g, int threads) {
        this.g = g;
        this.fft = new CpuFft2D_F64(g.n(), g.n(), new Parallel(threads));
        this.a = new double[g.fieldLength()];
        this.b = new double[g.fieldLength()];
        this.nl = new double[g.fieldLength()];
    }

    /** Host memory it holds for N (three padded fields). */
    public static long bytes(int n) {
        return 3L * new Grid(n).fieldLength() * 8;
    }

    /**
     * @param w      ω̂ in the Grid layout (unnormalised transform, as {@code Simulation.spectralState()})
     * @param fields also return u, v and ψ (N×N, row = y)
     */
    public Result of(double[] w, boolean fields) {
        int n = g.n();
        int half = g.halfX();
        double inv = 1.0 / ((double) n * n);
        java.util.Arrays.fill(nl, 0);
        double[] u = null;
        double[] v = null;
        // N = −(u ∂ω/∂x + v ∂ω/∂y), one product at a time: a = velocity component, b = the gradient component
        for (int c = 0; c < 2; c++) {
            for (int j = 0; j < n; j++) {
                int ky = g.ky(j);
                for (int i = 0; i < half; i++) {
                    int kx = g.kx(i);
                    int p = 2 * (j * half + i);
                    double k2 = (double) kx * kx + (double) ky * ky;
                    double re = w[p];
                    double im = w[p + 1];
                    double pr = k2 == 0 ? 0 : re / k2; // ψ̂ = ω̂/|k|²
                    double pi = k2 == 0 ? 0 : im / k2;
                    // u: i·ky·ψ̂, ∂ω/∂x: i·kx·ω̂;  v: −i·kx·ψ̂, ∂ω/∂y: i·ky·ω̂
                    double kv = c == 0 ? ky : -kx;
                    double kg = c == 0 ? kx : ky;
                    a[p] = -kv * pi;
                    a[p + 1] = kv * pr;
                    b[p] = -kg * im;
                    b[p + 1] = kg * re;
                }
            }
            fft.inverse(a, 1);
            fft.inverse(b, 1);
            int stride = g.rowStride();
            for (int y = 0; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    int q = y * stride + x;
                    nl[q] -= a[q] * inv * b[q] * inv;
                }
            }
            if (fields) {
                double[] f = compact(a, inv);
                if (c == 0) {
                    u = f;
                } else {
                    v = f;
                }
            }
        }
        fft.forward(nl, 1);
        int bins = n / 2 + 1;
        double[] z = new double[bins];
        double[] te = new double[bins];
        double[] tz = new double[bins];
        double norm = 1.0 / ((double) n * n * (double) n * n);
        for (int j = 0; j < n; j++) {
            int ky = g.ky(j);
            for (int i = 0; i < half; i++) {
                int kx = g.kx(i);
                int k2 = kx * kx + ky * ky;
                if (k2 == 0 || !g.kept(j, i)) {
                    continue;
                }
                int shell = (int) Math.round(Math.sqrt(k2));
                if (shell >= bins) {
                    continue;
                }
                int p = 2 * (j * half + i);
                double wr = w[p];
                double wi = w[p + 1];
                // N̂ is unnormalised like ω̂: nl held N in physical units, its forward transform carries N².
                double transfer = g.hermitianWeight(i) * norm * (wr * nl[p] + wi * nl[p + 1]);
                z[shell] += g.hermitianWeight(i) * norm * 0.5 * (wr * wr + wi * wi);
                tz[shell] += transfer;
                te[shell] += transfer / k2;
            }
        }
        double[] pe = new double[bins];
        double[] pz = new double[bins];
        double se = 0;
        double sz = 0;
        for (int s = 0; s < bins; s++) {
            se -= te[s];
            sz -= tz[s];
            pe[s] = se;
            pz[s] = sz;
        }
        double[] psi = null;
        if (fields) {
            for (int j = 0; j < n; j++) {
                int ky = g.ky(j);
                for (int i = 0; i < half; i++) {
                    int kx = g.kx(i);
                    int p = 2 * (j * half + i);
                    double k2 = (double) kx * kx + (double) ky * ky;
                    a[p] = k2 == 0 ? 0 : w[p] / k2;
                    a[p + 1] = k2 == 0 ? 0 : w[p + 1] / k2;
                }
            }
            fft.inverse(a, 1);
            psi = compact(a, inv);
        }
        return new Result(z, te, tz, pe, pz, u, v, psi);
    }

    /** The N×N field of a padded physical buffer, scaled. */
    private double[] compact(double[] padded, double scale) {
        int n = g.n();
        int stride = g.rowStride();
        double[] out = new double[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                out[y * n + x] = padded[y * stride + x] * scale;
            }
        }
        return out;
    }
}
