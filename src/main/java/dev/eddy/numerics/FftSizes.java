package dev.eddy.numerics;

/** Which grid sizes the FFT backends take (JTransforms on the CPU, VkFFT on the GPU). */
public final class FftSizes {
    /** Smallest N that leaves a turbulent range after 2/3 dealiasing. */
    public static final int MIN_N = 8;
    /**
     * Largest N: fields are indexed by int (Java arrays, GLSL int), and a field holds N·(N+2) reals,
     * which must stay below 2³¹; 32768 gives 1.07e9 (8.6 GB per float64 field).
     */
    public static final int MAX_N = 32768;

    private FftSizes() {
    }

    /**
     * Returns null if n is a usable grid size, else a sentence saying why not. Sizes must be even (the
     * real-to-complex layout has a Nyquist column) and 7-smooth: VkFFT runs radices 2, 3, 5, 7 natively
     * and falls back to a slower, less accurate Bluestein algorithm for other primes.
     */
    public static String whyNot(int n) {
        if (n < MIN_N || n > MAX_N) {
            return "N = " + n + " is out of range: the grid needs " + MIN_N + " ≤ N ≤ " + MAX_N;
        }
        if (n % 2 != 0) {
            return "N = " + n + " is odd: the real-to-complex FFT needs an even N (try " + (n + 1) + ")";
        }
        int rough = largestRoughFactor(n);
        if (rough != 1) {
            return "N = " + n + " has the prime factor " + rough + ": the FFT takes only sizes whose prime factors are"
                    + " 2, 3, 5 and 7 (nearest: " + nearest(n) + ")";
        }
        return null;
    }

    /** n with its factors 2, 3, 5 and 7 divided out (1 for a 7-smooth n). */
    private static int largestRoughFactor(int n) {
        int m = n;
        for (int p : new int[] {2, 3, 5, 7}) {
            while (m % p == 0) {
                m /= p;
            }
        }
        return m;
    }

    /** The nearest size at or above n that {@link #whyNot} accepts. */
    public static int nearest(int n) {
        for (int m = Math.max(MIN_N, n + (n & 1)); m <= MAX_N; m += 2) {
            if (largestRoughFactor(m) == 1) {
                return m;
            }
        }
        return MAX_N;
    }
}
