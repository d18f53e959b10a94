package dev.eddy.numerics;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Batched 2D real-to-complex FFT on the CPU (JTransforms 1D transforms, rows then columns), in place
 * in the padded layout of {@link dev.eddy.numerics.Grid}, which is also VkFFT's: each field holds ny rows
 * of nx/2+1 complex values, and in physical space ny rows of nx reals with row stride 2·(nx/2+1).
 * Both directions are unnormalised, as in VkFFT and FFTW: inverse(forward(x)) = nx·ny·x.
 */
public final class CpuFft2D_F64 {
    /** Columns gathered together in the y pass: 8 complex values = 128 contiguous bytes per row. */
    private static final int COLUMN_BLOCK = 8;

    private final int nx;
    private final int ny;
    private final int stride;
    private final int fieldLength;
    private final double rowGain;
    private final Parallel parallel;
    private final ThreadLocal<Scratch> scratch;

    private final class Scratch {
        final DoubleFFT_1D rowFft = new DoubleFFT_1D(nx);
        final DoubleFFT_1D columnFft = new DoubleFFT_1D(ny);
        final double[] columns = new double[2 * ny * COLUMN_BLOCK];
    }

    public CpuFft2D_F64(int nx, int ny, Parallel parallel) {
        if (nx < 2 || ny < 2 || nx % 2 != 0) {
            throw new IllegalArgumentException("FFT size must have an even nx ≥ 2 and ny ≥ 2, got " + nx + "×" + ny);
        }
        this.nx = nx;
        this.ny = ny;
        this.stride = 2 * (nx / 2 + 1);
        this.fieldLength = ny * stride;
        this.rowGain = (double) nx;
        this.parallel = parallel;
        this.scratch = ThreadLocal.withInitial(Scratch::new);
        pl.edu.icm.jlargearrays.ConcurrencyUtils.setNumberOfThreads(1); // we parallelise across rows ourselves
    }

    public int fieldLength() {
        return fieldLength;
    }

    /** R2C of {@code fields} consecutive fields starting at the beginning of {@code data}. */
    public void forward(double[] data, int fields) {
        checkLength(data, fields);
        parallel.forRange(fields * ny, (from, to) -> {
            DoubleFFT_1D fft = scratch.get().rowFft;
            for (int row = from; row < to; row++) {
                int r = row * stride; // rows of consecutive fields are consecutive
                fft.realForward(data, r);
                // JTransforms packs Re(nx/2) into slot 1; unpack to nx/2+1 complex values.
                double nyquist = data[r + 1];
                data[r + 1] = (double) 0;
                data[r + nx] = nyquist;
                data[r + nx + 1] = (double) 0;
            }
        });
        columns(data, fields, true);
    }

    /** C2R of {@code fields} consecutive fields; destroys the spectral values. */
    public void inverse(double[] data, int fields) {
        checkLength(data, fields);
        columns(data, fields, false);
        parallel.forRange(fields * ny, (from, to) -> {
            DoubleFFT_1D fft = scratch.get().rowFft;
            for (int row = from; row < to; row++) {
                int r = row * stride;
                data[r + 1] = data[r + nx]; // repack Re(nx/2); the imaginary parts of kx = 0, nx/2 are dropped (C2R)
                // JTransforms' unscaled realInverse returns (n/2)·x for power-of-two n (Ooura's rdft
                // convention) but n·x otherwise; the scaled one is 1·x for every n, so scale back by nx.
                fft.realInverse(data, r, true);
                for (int x = 0; x < nx; x++) {
                    data[r + x] *= rowGain;
                }
            }
        });
    }

    private void columns(double[] data, int fields, boolean forward) {
        int half = nx / 2 + 1;
        int blocksPerField = (half + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
        parallel.forRange(fields * blocksPerField, (from, to) -> {
            Scratch s = scratch.get();
            double[] tmp = s.columns;
            for (int task = from; task < to; task++) {
                int base = (task / blocksPerField) * fieldLength;
                int c0 = (task % blocksPerField) * COLUMN_BLOCK;
                int width = Math.min(COLUMN_BLOCK, half - c0);
                for (int y = 0; y < ny; y++) {
                    int src = base + y * stride + 2 * c0;
                    for (int c = 0; c < width; c++) {
                        tmp[2 * (c * ny + y)] = data[src + 2 * c];
                        tmp[2 * (c * ny + y) + 1] = data[src + 2 * c + 1];
                    }
                }
                for (int c = 0; c < width; c++) {
                    if (forward) {
                        s.columnFft.complexForward(tmp, 2 * c * ny);
                    } else {
                        s.columnFft.complexInverse(tmp, 2 * c * ny, false);
                    }
                }
                for (int y = 0; y < ny; y++) {
                    int dst = base + y * stride + 2 * c0;
                    for (int c = 0; c < width; c++) {
                        data[dst + 2 * c] = tmp[2 * (c * ny + y)];
                        data[dst + 2 * c + 1] = tmp[2 * (c * ny + y) + 1];
                    }
                }
            }
        });
    }

    private void checkLength(double[] data, int fields) {
        if (fields < 1 || (long) fields * fieldLength > data.length) {
            throw new IllegalArgumentException(fields + " fields of " + fieldLength + " reals do not fit in " + data.length);
        }
    }
}
