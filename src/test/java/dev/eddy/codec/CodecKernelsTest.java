package dev.eddy.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.eddy.numerics.Grid;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The codec kernels on hand-made inputs. */
@Tag("fast")
class CodecKernelsTest {

    @Test
    void tileThresholdAndScaleOnAHandMadeTile() {
        Grid g = new Grid(8);
        int tile = 4;
        double[] r = new double[g.fieldLength()];
        // tile (0,0): |r| = 1 everywhere except two cells of 5 (+5 and −5): mean |r| = (14 + 10)/16 = 1.5
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                r[y * g.rowStride() + x] = (x + y) % 2 == 0 ? 1 : -1;
            }
        }
        r[g.rowStride() + 1] = 5;
        r[2 * g.rowStride() + 3] = -5;
        double[] mean = new double[4];
        CodecKernels_F64.tileMeanAbs(g, tile, r, mean, 0, 2);
        assertEquals(1.5, mean[0], 1e-15);
        assertEquals(0.0, mean[1], 0.0); // an all-zero tile
        byte[] mask = new byte[64];
        CodecKernels_F64.tileMask(g, tile, 0.7, r, mean, mask, 0, 8); // threshold 1.05: only the two 5s
        int set = 0;
        for (byte b : mask) {
            set += b;
        }
        assertEquals(2, set);
        assertEquals(1, mask[8 + 1]);
        assertEquals(1, mask[2 * 8 + 3]);
        byte[] t = new byte[64];
        double[] alpha = new double[4];
        CodecKernels_F64.ternaryScale(g, tile, r, mask, t, alpha, 0, 2);
        assertEquals(1, t[8 + 1]);
        assertEquals(-1, t[2 * 8 + 3]);
        assertEquals(5.0, alpha[0], 0.0);
        assertEquals(0.0, alpha[1], 0.0); // no masked cell → α = 0
        // θ below 2/3: every cell (|r| = 1 > 0.6·1.5) is coded, α = mean |r| = 1.5
        CodecKernels_F64.tileMask(g, tile, 0.6, r, mean, mask, 0, 8);
        CodecKernels_F64.ternaryScale(g, tile, r, mask, t, alpha, 0, 2);
        assertEquals(1.5, alpha[0], 1e-15);
        assertEquals(-1, t[1]);
    }

    @Test
    void majorityRemovesIsolatedCellsFillsHolesAndWrapsPeriodically() {
        int n = 8;
        byte[] in = new byte[n * n];
        in[3 * n + 3] = 1; // isolated: 1 of 9 → cleared
        // a 3×3 block with a hole at its centre, straddling the corner: rows 7,0,1 × columns 7,0,1
        int[] rows = {7, 0, 1};
        for (int y : rows) {
            for (int x : rows) {
                in[y * n + x] = 1;
            }
        }
        in[0] = 0; // the hole at (0,0): its 8 neighbours are set (through the wrap) → filled
        byte[] out = new byte[n * n];
        TernaryKernels.majority3x3(n, in, out, 0, n);
        assertEquals(0, out[3 * n + 3]);
        assertEquals(1, out[0]);
        // corner cells of the block see 4 set (with the hole) → cleared; edge-centres see 5 → kept.
        assertEquals(0, out[7 * n + 7]);
        assertEquals(1, out[7 * n + 0]);
        assertEquals(1, out[0 * n + 7]);
        assertEquals(0, out[1 * n + 1]);
        int total = 0;
        for (byte b : out) {
            total += b;
        }
        assertEquals(5, total);
    }

    @Test
    void packingRoundTripsEveryPatternOfEightCells() {
        int cells = 8; // 3^8 = 6561 ternary patterns; all 4^8 bit patterns are covered below
        byte[] t = new byte[cells];
        byte[] packed = new byte[cells / 4];
        byte[] back = new byte[cells];
        int patterns = 1;
        for (int i = 0; i < cells; i++) {
            patterns *= 3;
        }
        for (int p = 0; p < patterns; p++) {
            int v = p;
            for (int i = 0; i < cells; i++) {
                t[i] = (byte) (v % 3 - 1);
                v /= 3;
            }
            TernaryKernels.pack(t, packed, 0, packed.length);
            TernaryKernels.unpack(packed, back, 0, packed.length);
            assertArrayEquals(t, back);
            for (int i = 0; i < cells; i++) {
                assertEquals(t[i], TernaryKernels.ternaryAt(packed, i));
            }
            assertEquals(-1, TernaryKernels.firstInvalidCode(packed));
        }
        // all 4^4 byte values: valid iff no 2-bit field is 11, and then pack(unpack(b)) = b
        byte[] one = new byte[1];
        byte[] four = new byte[4];
        for (int b = 0; b < 256; b++) {
            one[0] = (byte) b;
            boolean valid = true;
            for (int s = 0; s < 4; s++) {
                valid &= ((b >>> (2 * s)) & 3) != 3;
            }
            assertEquals(valid ? -1 : 0, TernaryKernels.firstInvalidCode(one), "byte " + b);
            if (valid) {
                TernaryKernels.unpack(one, four, 0, 1);
                byte[] again = new byte[1];
                TernaryKernels.pack(four, again, 0, 1);
                assertEquals((byte) b, again[0]);
            }
        }
        // documented code and bit order: cell 0 = +1 → 01, cell 1 = −1 → 10 at bits 2–3
        TernaryKernels.pack(new byte[] {1, -1, 0, 0}, one, 0, 1);
        assertEquals(0b1001, one[0]);
    }

    @Test
    void latentIndexCoversTheVectorOnce() {
        int k = 5;
        boolean[] seen = new boolean[2 * (2 * k + 1) * (k + 1)];
        for (int ky = -k; ky <= k; ky++) {
            for (int kx = 0; kx <= k; kx++) {
                int q = CodecKernels_F64.latentIndex(k, kx, ky);
                assertEquals(false, seen[q]);
                seen[q] = true;
                seen[q + 1] = true;
            }
        }
        for (boolean b : seen) {
            assertEquals(true, b);
        }
    }

    /**
     * The GPU encode's spectral residual (r̂ = ω̂/N² − L̂(Z), one inverse FFT) is the CPU codec's
     * residual (ω − L(Z), from two fields) to rounding, with and without the Gaussian: the FFT is linear.
     */
    @Test
    void theSpectralResidualTransformsToThePhysicalResidual() {
        Grid g = new Grid(24);
        int n = g.n();
        int k = 5;
        java.util.Random rnd = new java.util.Random(4);
        double[] omega = new double[g.fieldLength()];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                omega[y * g.rowStride() + x] = rnd.nextGaussian();
            }
        }
        for (double sigma : new double[] {0, 0.3}) {
            try (dev.eddy.numerics.Parallel par = new dev.eddy.numerics.Parallel(1)) {
                var fft = new dev.eddy.numerics.CpuFft2D_F64(n, n, par);
                double[] spectrum = omega.clone();
                fft.forward(spectrum, 1);
                double scale = 1.0 / (n * n);
                double[] z = new double[2 * (2 * k + 1) * (k + 1)];
                CodecKernels_F64.gatherLatent(g, k, spectrum, scale, z, 0, 2 * k + 1);
                // the direct way: L(Z) in physical space, then r = ω − L(Z)
                double[] low = new double[g.fieldLength()];
                CodecKernels_F64.scatterLatent(g, k, z, sigma, low, 0, n);
                fft.inverse(low, 1);
                double[] want = new double[g.fieldLength()];
                for (int p = 0; p < want.length; p++) {
                    want[p] = omega[p] - low[p];
                }
                // the codec's way (CodecSteps), in place as a host-field encode does it
                CodecKernels_F64.spectralResidual(g, k, spectrum, scale, z, sigma, spectrum, 0, n);
                fft.inverse(spectrum, 1);
                for (int y = 0; y < n; y++) {
                    for (int x = 0; x < n; x++) {
                        int p = y * g.rowStride() + x;
                        assertEquals(want[p], spectrum[p], 1e-13, "σ = " + sigma + " at (" + x + ", " + y + ")");
                    }
                }
                // with σ = 0 the latent modes cancel exactly: r has no content at |kx|, |ky| ≤ K
                if (sigma == 0) {
                    double[] rHat = spectrum.clone();
                    fft.forward(rHat, 1);
                    assertEquals(0.0, rHat[2 * (3 * g.halfX() + 2)] * scale, 1e-14);
                }
            }
        }
    }
}
