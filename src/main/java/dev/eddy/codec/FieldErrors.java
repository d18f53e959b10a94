package dev.eddy.codec;

import dev.eddy.sim.Diagnostics;
import dev.eddy.sim.Grid;
import dev.eddy.sim.cpu.CpuFft2D_F64;
import dev.eddy.sim.cpu.Parallel;

/**
 * How far a decoded field ω̃ is from the original ω, all in float64:
 * relative L2 ‖ω̃ − ω‖/‖ω‖; max |ω̃ − ω|; PSNR = 20·log10(peak/RMSE) with peak = max ω − min ω of the
 * original (its range, as for signed data); Pearson correlation; relative error of the energy
 * ½⟨u²+v²⟩ and of the enstrophy ½⟨ω²⟩, both by {@link Diagnostics} after a forward FFT.
 */
public record FieldErrors(double relL2, double maxError, double psnrDb, double correlation,
                          double energyRelError, double enstrophyRelError) {

    public static FieldErrors compare(int n, double[] original, double[] decoded) {
        double num = 0;
        double den = 0;
        double max = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        double meanA = 0;
        double meanB = 0;
        for (int i = 0; i < original.length; i++) {
            double d = decoded[i] - original[i];
            num += d * d;
            den += original[i] * original[i];
            max = Math.max(max, Math.abs(d));
            lo = Math.min(lo, original[i]);
            hi = Math.max(hi, original[i]);
            meanA += original[i];
            meanB += decoded[i];
        }
        meanA /= original.length;
        meanB /= original.length;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < original.length; i++) {
            double a = original[i] - meanA;
            double b = decoded[i] - meanB;
            sab += a * b;
            saa += a * a;
            sbb += b * b;
        }
        double rmse = Math.sqrt(num / original.length);
        double psnr = rmse == 0 ? Double.POSITIVE_INFINITY : 20 * Math.log10((hi - lo) / rmse);
        Grid g = new Grid(n);
        double[] so = spectrum(g, original);
        double[] sd = spectrum(g, decoded);
        double e0 = Diagnostics.energy(g, so);
        double z0 = Diagnostics.enstrophy(g, so);
        return new FieldErrors(Math.sqrt(num / den), max, psnr, sab / Math.sqrt(saa * sbb),
                (Diagnostics.energy(g, sd) - e0) / e0, (Diagnostics.enstrophy(g, sd) - z0) / z0);
    }

    private static double[] spectrum(Grid g, double[] field) {
        int n = g.n();
        double[] w = new double[g.fieldLength()];
        for (int j = 0; j < n; j++) {
            System.arraycopy(field, j * n, w, j * g.rowStride(), n);
        }
        try (Parallel p = new Parallel(1)) {
            new CpuFft2D_F64(n, n, p).forward(w, 1);
        }
        return w;
    }
}
