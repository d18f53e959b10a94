package dev.eddy.proxy;

/**
 * The Gram update as a Java loop: the specification of src/main/glsl/proxy/gram_update.glsl and the
 * kernel {@link CpuGram} runs. {@link #accumulate} is the per-element math of both (the GLSL function of
 * the same name). The float32 twin GramKernels_F32 is generated (build/GenerateF32.java); it is the
 * reference for gram_update_f32.spv, the variant for devices without shaderFloat64.
 */
public final class GramKernels_F64 {
    private GramKernels_F64() {
    }

    /** acc + a·b, rounded after the product and after the sum (the shader declares it precise: no FMA). */
    public static double accumulate(double acc, double a, double b) {
        return acc + a * b;
    }

    /**
     * Over the pairs t = 0 … pairs−1, with x_t the column xCol + t of {@code xs} and y_t the column
     * yCol + t of {@code ys} (column-major, d reals a column), for the rows i in [from, to):
     * XX[i][j] ← (overwrite ? 0 : XX[i][j]) + Σ_t x_t[i]·x_t[j], YX[i][j] ← … + Σ_t y_t[i]·x_t[j] and
     * YY[i] ← … + Σ_t y_t[i]². Every entry adds the pairs in increasing t, the order of the shader, so
     * the two agree to the bit and adding pairs one call at a time gives the same bits as all at once.
     */
    public static void update(double[] xs, int xCol, double[] ys, int yCol, int d, int pairs, boolean overwrite,
                              double[] xx, double[] yx, double[] yyRow, int from, int to) {
        for (int i = from; i < to; i++) {
            int rowStart = i * d;
            if (overwrite) {
                java.util.Arrays.fill(xx, rowStart, rowStart + d, (double) 0);
                java.util.Arrays.fill(yx, rowStart, rowStart + d, (double) 0);
                yyRow[i] = (double) 0;
            }
            for (int t = 0; t < pairs; t++) {
                int xOff = (xCol + t) * d;
                int yOff = (yCol + t) * d;
                double xi = xs[xOff + i];
                double yi = ys[yOff + i];
                for (int j = 0; j < d; j++) {
                    double xj = xs[xOff + j];
                    xx[rowStart + j] = accumulate(xx[rowStart + j], xi, xj);
                    yx[rowStart + j] = accumulate(yx[rowStart + j], yi, xj);
                }
                yyRow[i] = accumulate(yyRow[i], yi, yi);
            }
        }
    }
}
