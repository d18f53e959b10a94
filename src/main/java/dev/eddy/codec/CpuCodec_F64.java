package dev.eddy.codec;

import dev.eddy.numerics.Grid;
import dev.eddy.numerics.CpuFft2D_F64;
import dev.eddy.numerics.Parallel;

/**
 * The CPU codec: orchestration of {@link CodecKernels_F64} and {@link TernaryKernels} around the batched
 * FFT, in the order a GPU command buffer will record them:
 * encode = load → FFT → gatherLatent → scatterLatent → inverse FFT → residual → tileMeanAbs → tileMask
 * → [majority3x3] → ternaryScale → pack; decode = scatterLatent → inverse FFT → [synthesize].
 */
public final class CpuCodec_F64 implements SnapshotCodec {
    private final CodecSettings settings;
    private final Grid grid;
    private final Parallel parallel;
    private final CpuFft2D_F64 fft;
    private final double[] omega;
    private final double[] low;
    private final double[] r;
    private final double[] meanAbs;
    private final byte[] mask;
    private final byte[] smoothed;
    private final byte[] t;

    public CpuCodec_F64(CodecSettings settings, int threads) {
        this.settings = settings;
        this.grid = new Grid(settings.n());
        this.parallel = new Parallel(threads);
        this.fft = new CpuFft2D_F64(grid.n(), grid.n(), parallel);
        int n = grid.n();
        this.omega = new double[grid.fieldLength()];
        this.low = new double[grid.fieldLength()];
        this.r = new double[grid.fieldLength()];
        this.meanAbs = new double[settings.tiles()];
        this.mask = new byte[n * n];
        this.smoothed = settings.majority() ? new byte[n * n] : null;
        this.t = new byte[n * n];
    }

    @Override
    public CodecSettings settings() {
        return settings;
    }

    @Override
    public Code encode(double[] field) { // neutral
        int n = grid.n();
        int k = settings.k();
        int tile = settings.tile();
        int tilesPerSide = settings.tilesPerSide();
        load(field, omega);
        System.arraycopy(omega, 0, low, 0, omega.length);
        fft.forward(low, 1);
        double scale = (double) 1 / ((double) n * (double) n);
        double[] z = new double[settings.latentDimension()];
        parallel.forRange(2 * k + 1, (r0, r1) -> CodecKernels_F64.gatherLatent(grid, k, low, scale, z, r0, r1));
        lowPass(z);
        parallel.forRange(n, (j0, j1) -> CodecKernels_F64.residual(grid, omega, low, r, j0, j1));
        parallel.forRange(tilesPerSide, (t0, t1) -> CodecKernels_F64.tileMeanAbs(grid, tile, r, meanAbs, t0, t1));
        double theta = (double) settings.theta();
        parallel.forRange(n, (j0, j1) -> CodecKernels_F64.tileMask(grid, tile, theta, r, meanAbs, mask, j0, j1));
        byte[] m = mask;
        if (settings.majority()) {
            parallel.forRange(n, (j0, j1) -> TernaryKernels.majority3x3(n, mask, smoothed, j0, j1));
            m = smoothed;
        }
        byte[] finalMask = m;
        double[] alpha = new double[settings.tiles()];
        parallel.forRange(tilesPerSide, (t0, t1) -> CodecKernels_F64.ternaryScale(grid, tile, r, finalMask, t, alpha, t0, t1));
        byte[] packed = new byte[(int) settings.packedBytes()];
        parallel.forRange(packed.length, (b0, b1) -> TernaryKernels.pack(t, packed, b0, b1));
        return new Code(widen(z), widen(alpha), packed);
    }

    @Override
    public double[] decode(Code code, boolean withResidual) { // neutral
        checkCode(code);
        double[] z = narrow(code.z());
        lowPass(z);
        if (withResidual) {
            double[] alpha = narrow(code.alpha());
            byte[] packed = code.packed();
            int tile = settings.tile();
            parallel.forRange(grid.n(), (j0, j1) -> CodecKernels_F64.synthesize(grid, tile, alpha, packed, low, j0, j1));
        }
        return unload(low);
    }

    /** low = L(Z) in padded physical values. */
    private void lowPass(double[] z) {
        int k = settings.k();
        double sigma = (double) settings.sigma();
        parallel.forRange(grid.n(), (j0, j1) -> CodecKernels_F64.scatterLatent(grid, k, z, sigma, low, j0, j1));
        fft.inverse(low, 1);
    }

    private void checkCode(Code code) {
        if (code.z().length != settings.latentDimension() || code.alpha().length != settings.tiles()
                || code.packed().length != settings.packedBytes()) {
            throw new IllegalArgumentException("code sizes " + code.z().length + "/" + code.alpha().length + "/"
                    + code.packed().length + " do not match the settings " + settings);
        }
    }

    /** Copies a compact N×N field (float64 at the interface) into the padded layout, narrowing it. */
    private void load(double[] field, // neutral
                      double[] padded) {
        int n = grid.n();
        if (field.length != n * n) {
            throw new IllegalArgumentException("field has " + field.length + " values, expected N² = " + (n * n));
        }
        int stride = grid.rowStride();
        java.util.Arrays.fill(padded, (double) 0);
        for (int j = 0; j < n; j++) {
            for (int x = 0; x < n; x++) {
                padded[j * stride + x] = (double) field[j * n + x];
            }
        }
    }

    private double[] unload( // neutral
                            double[] padded) {
        int n = grid.n();
        int stride = grid.rowStride();
        double[] out = new double[n * n]; // neutral
        for (int j = 0; j < n; j++) {
            for (int x = 0; x < n; x++) {
                out[j * n + x] = padded[j * stride + x];
            }
        }
        return out;
    }

    private static double[] widen( // neutral
                                  double[] v) {
        double[] out = new double[v.length]; // neutral
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    private static double[] narrow(
            double[] wide) { // neutral
        double[] out = new double[wide.length];
        for (int i = 0; i < wide.length; i++) {
            out[i] = (double) wide[i];
        }
        return out;
    }

    @Override
    public void close() {
        parallel.close();
    }
}
