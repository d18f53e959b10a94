package dev.eddy.proxy;

import java.util.Arrays;

/**
 * A set of pairs (x_t, y_t) = (z_{x[t]}, z_{y[t]}) named by their columns in a latent matrix Z, in order:
 * the pair lists of the snapshot (dual) form of the fit (X = Z[:, x], Y = Z[:, y]). The arrays are not
 * copied; do not change them after construction.
 */
public record SnapshotPairs(int[] x, int[] y) {
    public SnapshotPairs {
        if (x == null || y == null || x.length != y.length) {
            throw new IllegalArgumentException("pair lists need as many x as y columns, got " + (x == null ? "null" : x.length)
                    + " and " + (y == null ? "null" : y.length));
        }
        for (int t = 0; t < x.length; t++) {
            if (x[t] < 0 || y[t] < 0) {
                throw new IllegalArgumentException("pair " + t + " names a negative column (" + x[t] + ", " + y[t] + ")");
            }
        }
    }

    /** No pairs. */
    public static SnapshotPairs none() {
        return new SnapshotPairs(new int[0], new int[0]);
    }

    /** The {@code count} pairs of consecutive latents (z_{from+t}, z_{from+t+1}), t = 0 … count−1. */
    public static SnapshotPairs consecutive(int from, int count) {
        if (from < 0 || count < 0) {
            throw new IllegalArgumentException("consecutive pairs need from ≥ 0 and count ≥ 0, got " + from + ", " + count);
        }
        int[] x = new int[count];
        int[] y = new int[count];
        for (int t = 0; t < count; t++) {
            x[t] = from + t;
            y[t] = from + t + 1;
        }
        return new SnapshotPairs(x, y);
    }

    public int size() {
        return x.length;
    }

    /** These pairs, then {@code other}'s. */
    public SnapshotPairs plus(SnapshotPairs other) {
        int[] px = Arrays.copyOf(x, x.length + other.x.length);
        int[] py = Arrays.copyOf(y, y.length + other.y.length);
        System.arraycopy(other.x, 0, px, x.length, other.x.length);
        System.arraycopy(other.y, 0, py, y.length, other.y.length);
        return new SnapshotPairs(px, py);
    }

    /** The largest column named, or −1 when there are no pairs. */
    public int maxColumn() {
        int m = -1;
        for (int t = 0; t < x.length; t++) {
            m = Math.max(m, Math.max(x[t], y[t]));
        }
        return m;
    }
}
