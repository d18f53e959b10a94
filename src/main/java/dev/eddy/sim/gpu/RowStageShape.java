package dev.eddy.sim.gpu;

import dev.eddy.numerics.Precision;
import dev.eddy.sim.cpu.RowTransform_F64;

/**
 * How {@code les_row_transform} is compiled and dispatched for one N and precision: {@code rows} rows per
 * workgroup of {@code threads} = rows·N/8 invocations (N/8 per row: each keeps 4 of the row's N/2 complex
 * values), shared memory of {@code sharedReals} reals holding both components of every row's values at
 * once, or ({@code split}) one component at a time where both would not fit in {@link #SHARED_BUDGET}.
 * Its {@link #specialization} is the shader's constant_id 0 … 4.
 */
public record RowStageShape(int n, int rows, int threads, boolean split, int sharedReals) {
    /** Bytes of shared memory the row stage may use: 32 KB, what lavapipe and NVIDIA's Vulkan drivers both give. */
    public static final int SHARED_BUDGET = 32768;
    /** Invocations a workgroup aims at where a row alone has fewer. */
    static final int TARGET_THREADS = 256;

    public static RowStageShape of(int n, Precision p) {
        return of(n, p, SHARED_BUDGET);
    }

    /** The shape within {@code budget} bytes of shared memory (a test forces the split exchange with a small one). */
    static RowStageShape of(int n, Precision p, int budget) {
        if (!RowTransform_F64.supports(n)) {
            throw new IllegalArgumentException("the row stage takes a power of two N in [" + RowTransform_F64.MIN_N + ", "
                    + RowTransform_F64.MAX_N + "], got " + n);
        }
        int perRow = n / 8;
        int rows = Math.min(n, Math.max(1, TARGET_THREADS / perRow));
        int half = n / 2;
        boolean split = 2L * rows * half * p.bytes() > budget;
        int reals = split ? rows * half : 2 * rows * half;
        if ((long) reals * p.bytes() > budget) {
            throw new IllegalArgumentException("the row stage at N = " + n + " " + p.label() + " needs " + reals * p.bytes()
                    + " bytes of shared memory, more than " + budget);
        }
        return new RowStageShape(n, rows, rows * perRow, split, reals);
    }

    /** The shader's specialisation constants: N, ROWS, workgroup size, SPLIT, SH. */
    public int[] specialization() {
        return new int[] {n, rows, threads, split ? 1 : 0, sharedReals};
    }

    /** Workgroups along x per member. */
    public int groups() {
        return n / rows;
    }
}
