package dev.eddy.sim.gpu;

import dev.eddy.numerics.Precision;
import dev.eddy.sim.cpu.RowTransform_F64;

/**
 * How {@code les_row_transform} is compiled and dispatched for one N and precision: {@code rows} rows per
 * workgroup of {@code threads} = rows·N/8 invocations (N/8 per row: each keeps 4 of the row's N/2 complex
 * values), and how its passes exchange through {@code sharedReals} reals of shared memory: {@link #PING_PONG}
 * (two buffers, one barrier per exchange), {@link #ONE_BUFFER} (both components at once, two barriers) or
 * {@link #SPLIT} (one component at a time), the fastest that fits in the device's shared memory. A row's slice
 * is padded by one word per 32 (no bank conflicts on the Stockham writes); {@code prefetch}: each pass's twiddle
 * loaded once, before the first transform. Its {@link #specialization} is the shader's constant_id 0 … 5.
 */
public record RowStageShape(int n, int rows, int threads, int mode, int sharedReals, boolean prefetch) {
    public static final int SPLIT = 0;
    public static final int ONE_BUFFER = 1;
    public static final int PING_PONG = 2;
    /**
     * Invocations a workgroup aims at where a row alone has fewer (small N): one subgroup, so that even a single
     * member's N rows make many workgroups (N = 256: 256 workgroups of 32, not 32 of 256, on a GPU of 132 SMs).
     * EDDY_ROW_THREADS overrides it, for the A/B measurements of planning/les-speed.md §5.
     */
    static final int TARGET_THREADS = targetThreads();
    /**
     * Whether each thread loads its twiddle of every pass once, before the first transform (off the critical path of
     * the passes), rather than in every pass; EDDY_ROW_PREFETCH=0 turns it off, for the A/B of planning/les-speed.md §5.
     */
    static final boolean PREFETCH = !"0".equals(System.getenv("EDDY_ROW_PREFETCH"));

    private static int targetThreads() {
        String v = System.getenv("EDDY_ROW_THREADS");
        try {
            int t = v == null ? 32 : Integer.parseInt(v.trim());
            return t >= 1 && t <= 1024 ? t : 32;
        } catch (NumberFormatException e) {
            return 32;
        }
    }

    /** The shape for a device with {@code sharedBytes} of shared memory per workgroup. */
    public static RowStageShape of(int n, Precision p, int sharedBytes) {
        if (!RowTransform_F64.supports(n)) {
            throw new IllegalArgumentException("the row stage takes a power of two N in [" + RowTransform_F64.MIN_N + ", "
                    + RowTransform_F64.MAX_N + "], got " + n);
        }
        int perRow = n / 8;
        int rows = Math.min(n, Math.max(1, TARGET_THREADS / perRow));
        int half = n / 2;
        long span = (long) rows * (half + half / 32);
        int mode = 4 * span * p.bytes() <= sharedBytes ? PING_PONG : 2 * span * p.bytes() <= sharedBytes ? ONE_BUFFER : SPLIT;
        long reals = mode == SPLIT ? span : mode == ONE_BUFFER ? 2 * span : 4 * span;
        if (reals * p.bytes() > sharedBytes) {
            throw new IllegalArgumentException("the row stage at N = " + n + " " + p.label() + " needs " + reals * p.bytes()
                    + " bytes of shared memory, more than " + sharedBytes);
        }
        // the one split shape on the H200 (8192² fp64, 1024 invocations) ran 3 % slower with the twiddles up front
        // (planning/les-speed.md §5, session 12): its registers are the scarcest, so it loads them per pass
        return new RowStageShape(n, rows, rows * perRow, mode, (int) reals, PREFETCH && mode != SPLIT);
    }

    /** The shader's specialisation constants: N, ROWS, workgroup size, MODE, SH, PREFETCH. */
    public int[] specialization() {
        return new int[] {n, rows, threads, mode, sharedReals, prefetch ? 1 : 0};
    }

    /** The same shape with the pass twiddles loaded as they are needed (false) or once, up front (true). */
    public RowStageShape withPrefetch(boolean on) {
        return new RowStageShape(n, rows, threads, mode, sharedReals, on);
    }

    /** Workgroups along x per member. */
    public int groups() {
        return n / rows;
    }
}
