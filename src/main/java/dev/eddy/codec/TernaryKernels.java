package dev.eddy.codec;

/**
 * The precision-independent kernels of the residual code: 3×3 majority smoothing of the mask and 2-bit
 * packing of the ternary code, as loops over rows (or bytes) that the GLSL shaders of the same names
 * will mirror.
 *
 * <p>Packing (format v1, docs/codec-format.md): cell c = y·N + x (row-major) takes bits 2(c mod 4) and
 * 2(c mod 4)+1 of byte ⌊c/4⌋, least significant first; codes 00 = 0, 01 = +1, 10 = −1, 11 = invalid.
 * Read as little-endian 32-bit words this is cell c at bits 2(c mod 16) of word ⌊c/16⌋, which is how a
 * shader sees the same bytes.
 */
public final class TernaryKernels {
    /** Cells that must be set among the 9 of a 3×3 neighbourhood for the smoothed mask to be set. */
    public static final int MAJORITY = 5;

    private TernaryKernels() {
    }

    // ---- per-point math ----

    /** The 2-bit code of t ∈ {−1, 0, +1}. */
    public static int code(int t) {
        return t == 0 ? 0 : (t > 0 ? 1 : 2);
    }

    /** t of a 2-bit code; the invalid code 3 reads as 0 here (readers reject it first: {@link #firstInvalidCode}). */
    public static int value(int code) {
        return code == 1 ? 1 : (code == 2 ? -1 : 0);
    }

    /** t of cell c read from the packed code. */
    public static int ternaryAt(byte[] packed, long cell) {
        int b = packed[(int) (cell >>> 2)] & 0xFF;
        return value((b >>> (2 * (int) (cell & 3))) & 3);
    }

    /** Majority of the 3×3 neighbourhood (the cell included): set when at least 5 of 9 are set. */
    public static boolean majority(int setInNeighbourhood) {
        return setInNeighbourhood >= MAJORITY;
    }

    // ---- kernels ----

    /**
     * Rows [j0, j1) of the majority-smoothed mask (compact N×N bytes, 0/1). Neighbours wrap around the
     * domain edges (periodic, like the field), and across tile edges, so the smoothing does not depend on T.
     */
    public static void majority3x3(int n, byte[] in, byte[] out, int j0, int j1) {
        for (int j = j0; j < j1; j++) {
            int up = (j + n - 1) % n;
            int down = (j + 1) % n;
            for (int x = 0; x < n; x++) {
                int left = (x + n - 1) % n;
                int right = (x + 1) % n;
                int count = in[up * n + left] + in[up * n + x] + in[up * n + right]
                        + in[j * n + left] + in[j * n + x] + in[j * n + right]
                        + in[down * n + left] + in[down * n + x] + in[down * n + right];
                out[j * n + x] = (byte) (majority(count) ? 1 : 0);
            }
        }
    }

    /** Packed bytes [b0, b1) from the compact ternary code t (4 cells a byte). */
    public static void pack(byte[] t, byte[] packed, int b0, int b1) {
        for (int b = b0; b < b1; b++) {
            int c = 4 * b;
            packed[b] = (byte) (code(t[c]) | code(t[c + 1]) << 2 | code(t[c + 2]) << 4 | code(t[c + 3]) << 6);
        }
    }

    /** Cells [4·b0, 4·b1) of the ternary code from packed bytes [b0, b1). */
    public static void unpack(byte[] packed, byte[] t, int b0, int b1) {
        for (int b = b0; b < b1; b++) {
            int v = packed[b] & 0xFF;
            for (int s = 0; s < 4; s++) {
                t[4 * b + s] = (byte) value((v >>> (2 * s)) & 3);
            }
        }
    }

    /** Index of the first byte holding the invalid code 11, or −1. */
    public static int firstInvalidCode(byte[] packed) {
        for (int b = 0; b < packed.length; b++) {
            int v = packed[b] & 0xFF;
            // a 2-bit field is 11 exactly where both its bits are set
            if (((v & (v >>> 1)) & 0x55) != 0) {
                return b;
            }
        }
        return -1;
    }
}
