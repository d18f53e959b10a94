package dev.eddy.sim.cpu;

import dev.eddy.numerics.Grid;
import dev.eddy.sim.MemberParams;

/**
 * The x-direction stage of the fused LES step, the specification of {@code les_row_transform.comp}: per
 * row y of a member, the real inverse transform along x of every spectral field, the products of
 * {@link LesKernels_F64#physicalProducts} and its row maxima on the physical values, then the real forward
 * transforms of the products, of which only the kept columns are written back. The spectral fields and the
 * products are in the <em>compact</em> layout: rows of {@link #width} = c + 1 complex values (the columns
 * kx ≤ c the 2/3 rule keeps; c = {@link Grid#dealiasCutoff()}), after the y-direction transforms of those
 * columns (VkFFT's column plans). Field f of member m starts at (f·B + m)·{@link #compactLength} reals.
 *
 * <p>The transform is the shader's, operation for operation: a real sequence of length N is a complex one
 * of length M = N/2 (z[n] = x[2n] + i x[2n+1]) with the usual pre/post twiddle, and the complex FFT is a
 * Stockham factorisation into radix-4 passes (after one radix-2 pass when log₂M is odd). In the shader
 * each of the M/4 threads of a row keeps the 4 values t + r·M/4 in registers and exchanges them through
 * shared memory between passes; here an array stands for the registers of every thread. Twiddles come
 * from one table exp(−2πik/N), k &lt; N, computed in float64 ({@link #twiddles}); the shader reads the same
 * table from a buffer. Both directions are unnormalised, like the VkFFT transforms they replace. N must be a
 * power of two from {@link #MIN_N} to {@link #MAX_N}.
 */
public final class RowTransform_F64 {
    public static final int MIN_N = 16;
    public static final int MAX_N = 8192;

    private final int n;
    private final int m;
    private final int q;
    private final int width;
    private final double[] tw;

    public RowTransform_F64(int n) {
        if (!supports(n)) {
            throw new IllegalArgumentException("the row transform takes a power of two N in [" + MIN_N + ", " + MAX_N + "], got " + n);
        }
        this.n = n;
        this.m = n / 2;
        this.q = m / 4;
        this.width = width(n);
        this.tw = twiddles(n);
    }

    /** Whether N is a size the row transform (and so the fused step) takes. */
    public static boolean supports(int n) { // neutral
        return n >= MIN_N && n <= MAX_N && Integer.bitCount(n) == 1;
    }

    /** Complex values per compact row: the kept columns kx = 0 … c. */
    public static int width(int n) { // neutral
        return Grid.dealiasCutoff(n) + 1;
    }

    /** Reals per compact field of one member: n rows of {@link #width} complex values. */
    public static int compactLength(int n) { // neutral
        return 2 * n * width(n);
    }

    /** exp(−2πik/N) for k = 0 … N−1, interleaved (re, im), evaluated in float64. */
    public static double[] twiddles(int n) {
        double[] t = new double[2 * n];
        for (int k = 0; k < n; k++) {
            double a = 2 * Math.PI * k / n; // neutral
            t[2 * k] = (double) Math.cos(a);
            t[2 * k + 1] = (double) -Math.sin(a);
        }
        return t;
    }

    // ---- the complex FFT of length M, in place on (re, im), sign s = -1 forward, +1 inverse ----

    /** One complex FFT of length M: the shader's passes, each reading the registers' pattern t + r·M/4. */
    void fft(double[] re, double[] im, int s) {
        double[] nre = new double[m];
        double[] nim = new double[m];
        int ns = 1;
        if (Integer.numberOfTrailingZeros(m) % 2 == 1) {
            for (int t = 0; t < q; t++) {
                // two radix-2 butterflies: j = t on (t, t + M/2), j = t + M/4 on (t + M/4, t + 3M/4)
                radix2(re, im, t, t + 2 * q, nre, nim, 2 * t);
                radix2(re, im, t + q, t + 3 * q, nre, nim, 2 * (t + q));
            }
            System.arraycopy(nre, 0, re, 0, m);
            System.arraycopy(nim, 0, im, 0, m);
            ns = 2;
        }
        while (ns < m) {
            int stride = n / (4 * ns);
            for (int j = 0; j < q; j++) {
                int jm = j & (ns - 1);
                double[] vr = new double[4];
                double[] vi = new double[4];
                for (int r = 0; r < 4; r++) {
                    vr[r] = re[j + r * q];
                    vi[r] = im[j + r * q];
                }
                // one twiddle load per pass: w, then w² and w³ by complex products
                double[] wr = new double[4];
                double[] wi = new double[4];
                wr[1] = tw[2 * jm * stride];
                wi[1] = s > 0 ? -tw[2 * jm * stride + 1] : tw[2 * jm * stride + 1];
                wr[2] = wr[1] * wr[1] - wi[1] * wi[1];
                wi[2] = wr[1] * wi[1] + wi[1] * wr[1];
                wr[3] = wr[1] * wr[2] - wi[1] * wi[2];
                wi[3] = wr[1] * wi[2] + wi[1] * wr[2];
                for (int r = 1; r < 4; r++) {
                    double xr = vr[r] * wr[r] - vi[r] * wi[r];
                    double xi = vr[r] * wi[r] + vi[r] * wr[r];
                    vr[r] = xr;
                    vi[r] = xi;
                }
                double a0r = vr[0] + vr[2];
                double a0i = vi[0] + vi[2];
                double a1r = vr[0] - vr[2];
                double a1i = vi[0] - vi[2];
                double a2r = vr[1] + vr[3];
                double a2i = vi[1] + vi[3];
                double a3r = vr[1] - vr[3];
                double a3i = vi[1] - vi[3];
                // (s·i)·a3
                double br = -s * a3i;
                double bi = s * a3r;
                int d = (j - jm) * 4 + jm;
                nre[d] = a0r + a2r;
                nim[d] = a0i + a2i;
                nre[d + ns] = a1r + br;
                nim[d + ns] = a1i + bi;
                nre[d + 2 * ns] = a0r - a2r;
                nim[d + 2 * ns] = a0i - a2i;
                nre[d + 3 * ns] = a1r - br;
                nim[d + 3 * ns] = a1i - bi;
            }
            System.arraycopy(nre, 0, re, 0, m);
            System.arraycopy(nim, 0, im, 0, m);
            ns *= 4;
        }
    }

    private static void radix2(double[] re, double[] im, int a, int b, double[] nre, double[] nim, int d) {
        nre[d] = re[a] + re[b];
        nim[d] = im[a] + im[b];
        nre[d + 1] = re[a] - re[b];
        nim[d + 1] = im[a] - im[b];
    }

    /**
     * The real inverse transform of one compact row: {@code spectrum} holds X[0 … width−1] (re, im) at
     * {@code offset}, the columns above are zero and the imaginary part of X[0] is ignored (a real signal's
     * mean is real); {@code x} receives the n reals Σ_k X[k] e^{+2πikx/N} over the Hermitian extension.
     */
    public void inverse(double[] spectrum, int offset, double[] x) {
        double[] re = new double[m];
        double[] im = new double[m];
        for (int k = 0; k < m; k++) {
            double ar = k < width ? spectrum[offset + 2 * k] : (double) 0;
            double ai = k < width && k > 0 ? spectrum[offset + 2 * k + 1] : (double) 0;
            int c = m - k;
            double br = c < width ? spectrum[offset + 2 * c] : (double) 0;
            double bi = c < width ? -spectrum[offset + 2 * c + 1] : (double) 0;
            double sr = ar + br;
            double si = ai + bi;
            double dr = ar - br;
            double di = ai - bi;
            // e = conj(tw[k]) = exp(+2πik/N); Z = sum + i·(e·diff)
            double er = tw[2 * k];
            double ei = -tw[2 * k + 1];
            double pr = er * dr - ei * di;
            double pi = er * di + ei * dr;
            re[k] = sr - pi;
            im[k] = si + pr;
        }
        fft(re, im, +1);
        for (int j = 0; j < m; j++) {
            x[2 * j] = re[j];
            x[2 * j + 1] = im[j];
        }
    }

    /** The real forward transform of n reals {@code x}: X[0 … width−1] written as (re, im) at {@code offset}. */
    public void forward(double[] x, double[] spectrum, int offset) {
        double[] re = new double[m];
        double[] im = new double[m];
        for (int j = 0; j < m; j++) {
            re[j] = x[2 * j];
            im[j] = x[2 * j + 1];
        }
        fft(re, im, -1);
        for (int k = 0; k < width; k++) {
            int c = (m - k) & (m - 1);
            double sr = re[k] + re[c];
            double si = im[k] - im[c];
            double dr = re[k] - re[c];
            double di = im[k] + im[c];
            double tr = tw[2 * k] * dr - tw[2 * k + 1] * di;
            double ti = tw[2 * k] * di + tw[2 * k + 1] * dr;
            spectrum[offset + 2 * k] = (double) 0.5 * (sr + ti);
            spectrum[offset + 2 * k + 1] = (double) 0.5 * (si - tr);
        }
    }

    /**
     * The row stage of rows [r0, r1) (packed rows r = member·N + y) in place on the compact work buffer:
     * inverse transforms of the 4 (6 with the SGS model) spectral fields, the products and row maxima of
     * {@link LesKernels_F64#physicalProducts} (same per-point math, same rowMax layout), forward transforms
     * of the 1 (3) products into fields 0 (… 2).
     */
    public void rows(int members, double[] work, boolean sgs, double[] params, double[] rowMax, int r0, int r1) {
        int fields = sgs ? LesKernels_F64.SPECTRAL_FIELDS_SGS : LesKernels_F64.SPECTRAL_FIELDS_DNS;
        int cl = compactLength(n);
        double[][] f = new double[fields][n];
        for (int r = r0; r < r1; r++) {
            int member = r / n;
            int y = r % n;
            for (int g = 0; g < fields; g++) {
                inverse(work, (g * members + member) * cl + y * 2 * width, f[g]);
            }
            double csDelta2 = params[member * MemberParams.COUNT + MemberParams.CS_DELTA2];
            double mu = (double) 0;
            double mv = (double) 0;
            double ms = (double) 0;
            for (int x = 0; x < n; x++) {
                double u = f[0][x];
                double v = f[1][x];
                double wx = f[2][x];
                double wy = f[3][x];
                mu = LesKernels_F64.maxNan(mu, Math.abs(u));
                mv = LesKernels_F64.maxNan(mv, Math.abs(v));
                ms = LesKernels_F64.maxNan(ms, u * u + v * v);
                // the shader consumes the fields as they land: ν_t first, then u·∂ω/∂x, then + v·∂ω/∂y
                double nut = sgs ? LesKernels_F64.eddyViscosity(f[4][x], f[5][x], csDelta2) : (double) 0;
                double adv = u * wx;
                f[0][x] = adv + v * wy;
                if (sgs) {
                    f[1][x] = nut * wx;
                    f[2][x] = nut * wy;
                }
            }
            rowMax[LesKernels_F64.ROW_MAXIMA * r] = mu;
            rowMax[LesKernels_F64.ROW_MAXIMA * r + 1] = mv;
            rowMax[LesKernels_F64.ROW_MAXIMA * r + 2] = ms;
            int products = sgs ? LesKernels_F64.PRODUCT_FIELDS_SGS : LesKernels_F64.PRODUCT_FIELDS_DNS;
            for (int g = 0; g < products; g++) {
                forward(f[g], work, (g * members + member) * cl + y * 2 * width);
            }
        }
    }
}
