package dev.eddy.sim;

import dev.eddy.numerics.Grid;
import dev.eddy.config.Forcing;
import dev.eddy.config.InitialSpectrum;
import java.util.SplittableRandom;

/**
 * Initial vorticity and forcing, generated once on the CPU in float64 so that every backend and
 * precision starts from the same numbers (a float32 run rounds them once).
 */
public final class InitialCondition {
    private InitialCondition() {
    }

    /**
     * ω̂ with random phases and |ω̂(k)| chosen so that the shell energy follows
     * E(k) ∝ (k/k_p)⁴ exp(−(k/k_p)²) (San &amp; Staples 2012), then scaled to the requested energy.
     * Modes removed by dealiasing and the mean are zero; the kx = 0 column is Hermitian, so the field
     * is real. Phases are drawn from {@link SplittableRandom} (its algorithm is specified, so a seed
     * gives the same field on every JVM) for every mode in row order, used or not.
     */
    public static double[] vorticity(Grid g, InitialSpectrum spec) {
        int n = g.n();
        int half = g.halfX();
        double[] w = new double[g.fieldLength()];
        SplittableRandom random = new SplittableRandom(spec.seed());
        double n2 = (double) n * n;
        for (int j = 0; j < n; j++) {
            int ky = g.ky(j);
            for (int i = 0; i < half; i++) {
                double phase = 2 * Math.PI * random.nextDouble();
                int kx = g.kx(i);
                double k = Math.sqrt((double) kx * kx + (double) ky * ky);
                if (k == 0 || !g.kept(j, i)) {
                    continue;
                }
                double q = k / spec.kp();
                double shellEnergy = q * q * q * q * Math.exp(-q * q);
                // A full-plane shell of radius k holds about 2πk modes, each with energy ½|ω̂|²/(k²N⁴).
                double amplitude = n2 * Math.sqrt(k * shellEnergy / Math.PI);
                int p = 2 * (j * half + i);
                w[p] = amplitude * Math.cos(phase);
                w[p + 1] = amplitude * Math.sin(phase);
            }
        }
        // Hermitian symmetry of the kx = 0 column: ω̂(0, −ky) = conj ω̂(0, ky).
        for (int j = n / 2 + 1; j < n; j++) {
            int mirror = 2 * ((n - j) * half);
            int p = 2 * (j * half);
            w[p] = w[mirror];
            w[p + 1] = -w[mirror + 1];
        }
        double energy = Diagnostics.energy(g, w);
        double s = Math.sqrt(spec.energy() / energy);
        for (int p = 0; p < w.length; p++) {
            w[p] *= s;
        }
        return w;
    }

    /**
     * F̂ of the vorticity forcing, or null without forcing. Kolmogorov: F = −A k_f cos(k_f y), the curl
     * of the body force (A sin(k_f y), 0); cos(k_f y) has the coefficient N²/2 at ky = ±k_f.
     */
    public static double[] forcing(Grid g, Forcing f) {
        if (f.kind() == Forcing.Kind.NONE || f.amplitude() == 0) {
            return null;
        }
        int n = g.n();
        int half = g.halfX();
        double[] out = new double[g.fieldLength()];
        double value = -f.amplitude() * f.kf() * (double) n * n / 2;
        out[2 * (f.kf() * half)] = value;
        out[2 * ((n - f.kf()) * half)] = value;
        return out;
    }
}
