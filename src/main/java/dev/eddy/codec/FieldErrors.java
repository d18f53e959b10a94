package dev.eddy.codec;

import dev.eddy.numerics.CpuFft2D_F64;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Parallel;
import dev.eddy.sim.Diagnostics;

/**
 * How far a decoded field ω̃ is from the original ω, all in float64:
 * relative L2 ‖ω̃ − ω‖/‖ω‖; max |ω̃ − ω|; PSNR = 20·log10(peak/RMSE) with peak = max ω − min ω of the
 * original (its range, as for signed data); Pearson correlation; relative error of the energy
 * ½⟨u²+v²⟩ and of the enstrophy ½⟨ω²⟩, both by {@link Diagnostics} after a forward FFT.
 */
public record FieldErrors(double relL2, double maxError, double psnrDb, double correlation,
                          double energyRelError, double enstrophyRelError) {

    public static FieldErrors compare(int n, double[] original, double[] decoded) {
        return reference(n, original).compare(decoded);
    }

    /**
     * The original's statistics and energy/enstrophy (one forward FFT), kept to compare several
     * decodings of it (the pipeline compares latent-only, with residual and the codec floor against one
     * LES field): each comparison then costs one FFT, not two.
     */
    public static Reference reference(int n, double[] original) {
        return new Reference(n, original);
    }

    /** An original field, ready to be compared against. */
    public static final class Reference {
        private final int n;
        private final double[] original;
        private final double mean;
        private final double range;
        private final double energy;
        private final double enstrophy;

        private Reference(int n, double[] original) {
            this.n = n;
            this.original = original;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (double v : original) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
                sum += v;
            }
            this.mean = sum / original.length;
            this.range = hi - lo;
            Grid g = new Grid(n);
            double[] so = spectrum(g, original);
            this.energy = Diagnostics.energy(g, so);
            this.enstrophy = Diagnostics.enstrophy(g, so);
        }

        public double[] field() {
            return original;
        }

        /** The original's energy ½⟨u² + v²⟩. */
        public double energy() {
            return energy;
        }

        /** The original's enstrophy ½⟨ω²⟩. */
        public double enstrophy() {
            return enstrophy;
        }

        public FieldErrors compare(double[] decoded) {
            if (decoded.length != original.length) {
                throw new IllegalArgumentException("decoded field has " + decoded.length + " values, the original " + original.length);
            }
            double num = 0;
            double den = 0;
            double max = 0;
            double meanB = 0;
            for (int i = 0; i < original.length; i++) {
                double d = decoded[i] - original[i];
                num += d * d;
                den += original[i] * original[i];
                max = Math.max(max, Math.abs(d));
                meanB += decoded[i];
            }
            meanB /= original.length;
            double sab = 0;
            double saa = 0;
            double sbb = 0;
            for (int i = 0; i < original.length; i++) {
                double a = original[i] - mean;
                double b = decoded[i] - meanB;
                sab += a * b;
                saa += a * a;
                sbb += b * b;
            }
            double rmse = Math.sqrt(num / original.length);
            double psnr = rmse == 0 ? Double.POSITIVE_INFINITY : 20 * Math.log10(range / rmse);
            Grid g = new Grid(n);
            double[] sd = spectrum(g, decoded);
            return new FieldErrors(Math.sqrt(num / den), max, psnr, sab / Math.sqrt(saa * sbb),
                    (Diagnostics.energy(g, sd) - energy) / energy, (Diagnostics.enstrophy(g, sd) - enstrophy) / enstrophy);
        }
    }

    private static double[] spectrum(Grid g, double[] field) {
        int n = g.n();
        double[] w = new double[g.fieldLength()];
        for (int j = 0; j < n; j++) {
            System.arraycopy(field, j * n, w, j * g.rowStride(), n);
        }
        try (Parallel p = new Parallel(0)) {
            new CpuFft2D_F64(n, n, p).forward(w, 1);
        }
        return w;
    }
}
