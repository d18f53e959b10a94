package dev.eddy.codec;

import dev.eddy.backend.Latents;
import dev.eddy.numerics.CpuFft2D_F64;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Parallel;
import dev.eddy.numerics.Reals_F64;
import dev.eddy.sim.Simulation;

/**
 * The CPU codec: runs the operations of {@link CodecSteps} (the order the GPU codec records too) with
 * the kernels of {@link CodecKernels_F64} and {@link TernaryKernels} around the batched FFT. Its latent
 * matrix lives on the host. The float32 twin {@code CpuCodec_F32} is generated from this file.
 */
public final class CpuCodec_F64 implements SnapshotCodec {
    private final CodecSettings settings;
    private final Grid grid;
    private final Parallel parallel;
    private final CpuFft2D_F64 fft;
    private final Latents.Host latents;
    private final Ops ops = new Ops();
    /** The work field: ω → ω̂ → r̂ → r when encoding, L̂(Z) → L(Z) (+ α·t) when decoding. */
    private final double[] field;
    private final double[] meanAbs;
    private final byte[] mask;
    private final byte[] smoothed;
    private final byte[] t;
    /** α of each code slot (one per latent column, then the scratch slot of host codes); null until encoded. */
    private final double[][] alphas;
    /** The packed t of each code slot. */
    private final byte[][] packeds;
    /** The latent being encoded or decoded. */
    private double[] z;
    private final HostJudge judge;

    /** A codec with a host latent matrix of {@code columns} columns, on {@code threads} threads (0 = one per core). */
    public CpuCodec_F64(CodecSettings settings, int columns, int threads) {
        this.settings = settings;
        this.grid = new Grid(settings.n());
        this.parallel = new Parallel(threads);
        this.fft = new CpuFft2D_F64(grid.n(), grid.n(), parallel);
        this.latents = new Latents.Host(settings.latentDimension(), columns, settings.precision());
        int n = grid.n();
        this.field = new double[grid.fieldLength()];
        this.meanAbs = new double[settings.tiles()];
        this.mask = new byte[n * n];
        this.smoothed = settings.majority() ? new byte[n * n] : null;
        this.t = new byte[n * n];
        this.alphas = new double[columns + 1][];
        this.packeds = new byte[columns + 1][];
        this.judge = new HostJudge(n);
    }

    @Override
    public CodecSettings settings() {
        return settings;
    }

    @Override
    public Latents latents() {
        return latents;
    }

    @Override
    public void encode(double[] omega, int column) { // neutral
        load(omega, field);
        z = new double[settings.latentDimension()];
        CodecSteps.encode(settings, true, column, ops);
        latents.set(column, Reals_F64.widen(z));
    }

    @Override
    public void encode(Simulation sim, int column) {
        encode(sim.vorticity(), column);
    }

    @Override
    public Code code(int column) {
        checkSlot(column, latents.columns());
        if (alphas[column] == null) {
            throw new IllegalStateException("latent column " + column + " has not been encoded");
        }
        return new Code(latents.column(column), Reals_F64.widen(alphas[column]), packeds[column].clone());
    }

    @Override
    public void restoreLatents(double[] values, int from, int count) { // neutral
        int d = settings.latentDimension();
        checkSlot(from, latents.columns());
        checkSlot(from + count - 1, latents.columns());
        if (values.length != (long) d * count) {
            throw new IllegalArgumentException(values.length + " reals are not " + count + " latent columns of d = " + d);
        }
        for (int j = 0; j < count; j++) {
            latents.set(from + j, Reals_F64.widen(Reals_F64.narrow(java.util.Arrays.copyOfRange(values, j * d, (j + 1) * d))));
            alphas[from + j] = null;
            packeds[from + j] = null;
        }
    }

    @Override
    public void restoreCode(int column, Code code) {
        checkSlot(column, latents.columns());
        checkCode(code);
        latents.set(column, Reals_F64.widen(Reals_F64.narrow(code.z())));
        alphas[column] = Reals_F64.narrow(code.alpha());
        packeds[column] = code.packed().clone();
    }

    @Override
    public double[] decode(Latents source, int column, Residual residual) { // neutral
        if (residual != null) {
            checkSlot(residual.slot(), latents.columns());
            if (alphas[residual.slot()] == null) {
                throw new IllegalStateException("no residual code in slot " + residual.slot() + ": that column has not been encoded");
            }
        }
        z = Reals_F64.narrow(source.column(column));
        CodecSteps.decode(residual, 0, ops);
        return unload(field);
    }

    @Override
    public double[] decode(Code code, boolean withResidual) { // neutral
        checkCode(code);
        int scratch = latents.columns();
        alphas[scratch] = Reals_F64.narrow(code.alpha());
        packeds[scratch] = code.packed().clone();
        z = Reals_F64.narrow(code.z());
        CodecSteps.decode(withResidual ? Residual.of(scratch) : null, 0, ops);
        return unload(field);
    }

    @Override
    public double[] residualLags(int from, int count, int maxLag) { // neutral
        checkSlot(from, latents.columns());
        checkSlot(from + count - 1, latents.columns());
        for (int a = from; a < from + count; a++) {
            if (alphas[a] == null) {
                throw new IllegalStateException("latent column " + a + " has not been encoded: no residual code");
            }
        }
        int lags = maxLag + 1;
        double[] g = new double[count * lags]; // neutral
        parallel.forRange(count, (a0, a1) -> {
            for (int a = a0; a < a1; a++) {
                for (int h = 0; h < lags && a + h < count; h++) {
                    g[a * lags + h] = CodecKernels_F64.residualDot(grid, settings.tile(), alphas[from + a], packeds[from + a], // neutral
                            alphas[from + a + h], packeds[from + a + h]);
                }
            }
        });
        return g;
    }

    private static void checkSlot(int column, int columns) {
        if (column < 0 || column >= columns) {
            throw new IndexOutOfBoundsException("latent column " + column + " is outside the codec's " + columns + " columns");
        }
    }

    @Override
    public void reference(int slot, Simulation sim) {
        judge.reference(slot, sim.vorticity());
    }

    @Override
    public FieldErrors judge(Latents source, int column, Residual residual) {
        return judge.judge(decode(source, column, residual));
    }

    @Override
    public FieldErrors judgeReference(int slot) {
        return judge.judgeReference(slot);
    }

    /** The operations of {@link CodecSteps}, run as they come on this codec's host buffers. */
    private final class Ops implements CodecSteps.Ops {
        /** 1/N²: Z holds the normalised Fourier coefficients. */
        private double scale() {
            return (double) 1 / ((double) grid.n() * (double) grid.n());
        }

        @Override
        public void forwardFft() {
            fft.forward(field, 1);
        }

        @Override
        public void gatherLatent(int column) {
            double[] out = z;
            parallel.forRange(2 * settings.k() + 1, (r0, r1) -> CodecKernels_F64.gatherLatent(grid, settings.k(), field, scale(), out,
                    r0, r1));
        }

        @Override
        public void spectralResidual(int column) {
            double[] in = z;
            double sigma = (double) settings.sigma();
            double scale = scale();
            parallel.forRange(grid.n(), (j0, j1) -> CodecKernels_F64.spectralResidual(grid, settings.k(), field, scale, in, sigma,
                    field, j0, j1));
        }

        @Override
        public void inverseFft() {
            fft.inverse(field, 1);
        }

        @Override
        public void tileMeanAbs() {
            parallel.forRange(settings.tilesPerSide(), (t0, t1) -> CodecKernels_F64.tileMeanAbs(grid, settings.tile(), field, meanAbs,
                    t0, t1));
        }

        @Override
        public void tileMask() {
            double theta = (double) settings.theta();
            parallel.forRange(grid.n(), (j0, j1) -> CodecKernels_F64.tileMask(grid, settings.tile(), theta, field, meanAbs, mask,
                    j0, j1));
        }

        @Override
        public void majority3x3() {
            parallel.forRange(grid.n(), (j0, j1) -> TernaryKernels.majority3x3(grid.n(), mask, smoothed, j0, j1));
        }

        @Override
        public void ternaryScale(int slot) {
            byte[] m = settings.majority() ? smoothed : mask;
            double[] alpha = new double[settings.tiles()];
            parallel.forRange(settings.tilesPerSide(), (t0, t1) -> CodecKernels_F64.ternaryScale(grid, settings.tile(), field, m, t,
                    alpha, t0, t1));
            alphas[slot] = alpha;
        }

        @Override
        public void pack(int slot) {
            byte[] packed = new byte[(int) settings.packedBytes()];
            parallel.forRange(packed.length, (b0, b1) -> TernaryKernels.pack(t, packed, b0, b1));
            packeds[slot] = packed;
        }

        @Override
        public void scatterLatent(int column) {
            double[] in = z;
            double sigma = (double) settings.sigma();
            parallel.forRange(grid.n(), (j0, j1) -> CodecKernels_F64.scatterLatent(grid, settings.k(), in, sigma, field, j0, j1));
        }

        @Override
        public void synthesize(int slot, double fade) { // neutral
            double[] alpha = alphas[slot];
            byte[] packed = packeds[slot];
            double f = (double) fade;
            parallel.forRange(grid.n(), (j0, j1) -> CodecKernels_F64.synthesize(grid, settings.tile(), f, alpha, packed, field, j0, j1));
        }
    }

    private void checkCode(Code code) {
        if (code.z().length != settings.latentDimension() || code.alpha().length != settings.tiles()
                || code.packed().length != settings.packedBytes()) {
            throw new IllegalArgumentException("code sizes " + code.z().length + "/" + code.alpha().length + "/"
                    + code.packed().length + " do not match the settings " + settings);
        }
    }

    /** Copies a compact N×N field (float64 at the interface) into the padded layout, narrowing it. */
    private void load(double[] compact, // neutral
                      double[] padded) {
        int n = grid.n();
        if (compact.length != n * n) {
            throw new IllegalArgumentException("field has " + compact.length + " values, expected N² = " + (n * n));
        }
        int stride = grid.rowStride();
        java.util.Arrays.fill(padded, (double) 0);
        for (int j = 0; j < n; j++) {
            for (int x = 0; x < n; x++) {
                padded[j * stride + x] = (double) compact[j * n + x];
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

    @Override
    public void close() {
        parallel.close();
    }
}
