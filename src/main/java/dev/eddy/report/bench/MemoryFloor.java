package dev.eddy.report.bench;

import java.util.Locale;

/**
 * The bandwidth floor of an LES step: the bytes a step must move over the device's bandwidth. A step of
 * the batched-FFT algorithm moves about {@code bytesPerPointFp32}·N² bytes per two right-hand-side
 * evaluations (RK2) in fp32; fp64 moves twice the bytes, and a stepper with s evaluations s/2 times as
 * many. The defaults are design §7's: 460·N² bytes at the H200's 4.26 TB/s (0.113 ms at 1024²).
 *
 * @param bytesPerPointFp32 bytes per grid point of one RK2 step in fp32
 * @param bytesPerSecond    the device's memory bandwidth
 */
public record MemoryFloor(double bytesPerPointFp32, double bytesPerSecond) {
    /** The right-hand-side evaluations the bytes per point are counted for: Heun, RK2. */
    public static final int RK2_EVALUATIONS = 2;

    public static final MemoryFloor H200 = new MemoryFloor(DesignFigures.RK2_BYTES_PER_POINT_FP32, DesignFigures.H200_BYTES_PER_SECOND);

    public MemoryFloor {
        if (!(bytesPerPointFp32 > 0 && Double.isFinite(bytesPerPointFp32))) {
            throw new dev.eddy.config.ConfigException("the floor's bytes per grid point must be a finite number > 0, got "
                    + bytesPerPointFp32);
        }
        if (!(bytesPerSecond > 0 && Double.isFinite(bytesPerSecond))) {
            throw new dev.eddy.config.ConfigException("the floor's bandwidth must be a finite number > 0, got " + bytesPerSecond);
        }
    }

    /** Milliseconds per step at N for a stepper of {@code rhsEvaluations} evaluations. */
    public double ms(int n, String precision, int rhsEvaluations) {
        double realBytes = precision.equals("fp64") ? 2 : 1;
        return bytesPerPointFp32 * realBytes * n * (double) n * rhsEvaluations / RK2_EVALUATIONS / bytesPerSecond * 1e3;
    }

    /** "460·N² B per RK2 step (fp32) at 4.26 TB/s". */
    public String describe() {
        return String.format(Locale.ROOT, "%s·N² bytes per RK2 step in fp32 (×2 in fp64, ×s/2 for s right-hand-side evaluations)"
                + " at %s TB/s", trim(bytesPerPointFp32), trim(bytesPerSecond / 1e12));
    }

    private static String trim(double v) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
    }
}
