package dev.eddy.gpu;

import dev.eddy.numerics.Precision;

/**
 * Batched 2D R2C/C2R on the device, in place in the padded layout of {@link dev.eddy.numerics.Grid} —
 * the GPU twin of {@code CpuFft2D_F64/F32} (unnormalised both ways: inverse(forward(x)) = nx·ny·x).
 * Owns a device-local buffer of {@code batch} fields and two frozen programs (forward, inverse).
 * The double[] methods upload, transform and read back (for tests and checks); the LES instead
 * appends {@link #plan()} to its own step program and keeps the fields on the device.
 */
public final class GpuFft2D implements AutoCloseable {
    private final VulkanContext ctx;
    private final Precision precision;
    private final int batch;
    private final int fieldLength;
    private final DeviceBuffer fields;
    private final VkFftPlan plan;
    private final StepProgram forward;
    private final StepProgram inverse;

    public GpuFft2D(VulkanContext ctx, FftPlans plans, int nx, int ny, int batch, Precision precision) {
        this(ctx, plans, nx, ny, batch, precision, 0);
    }

    /** @param dealiasCutoff 0, or c &gt; 0 for the dealiased pair of {@link FftPlans#plan(DeviceBuffer, int, int, int, Precision, int)} */
    public GpuFft2D(VulkanContext ctx, FftPlans plans, int nx, int ny, int batch, Precision precision, int dealiasCutoff) {
        if (nx < 2 || ny < 2 || nx % 2 != 0 || batch < 1) {
            throw new IllegalArgumentException("FFT size must have an even nx ≥ 2, ny ≥ 2 and batch ≥ 1, got "
                    + nx + "×" + ny + " batch " + batch);
        }
        this.ctx = ctx;
        this.precision = precision;
        this.batch = batch;
        this.fieldLength = ny * 2 * (nx / 2 + 1);
        this.fields = new DeviceBuffer(ctx, "fft.fields", VkFftPlan.requiredBytes(nx, ny, batch, precision), "fft", DeviceBuffer.Movement.ON_DEMAND);
        try {
            this.plan = plans.plan(fields, nx, ny, batch, precision, dealiasCutoff);
            this.forward = StepProgram.builder(ctx, "fft.forward").fft(plan, VkFftPlan.FORWARD).freeze();
            this.inverse = StepProgram.builder(ctx, "fft.inverse").fft(plan, VkFftPlan.INVERSE).freeze();
        } catch (RuntimeException e) {
            fields.close();
            throw e;
        }
    }

    public int fieldLength() {
        return fieldLength;
    }

    public VkFftPlan plan() {
        return plan;
    }

    public DeviceBuffer fields() {
        return fields;
    }

    /** R2C of {@code batch} packed fields in {@code data} (replaced by their spectra). */
    public void forward(double[] data) {
        transform(data, forward, "fft.forward");
    }

    /** C2R of {@code batch} packed spectra in {@code data} (replaced by the unnormalised fields). */
    public void inverse(double[] data) {
        transform(data, inverse, "fft.inverse");
    }

    private void transform(double[] data, StepProgram program, String stage) {
        if (data.length != batch * fieldLength) {
            throw new IllegalArgumentException("expected " + batch + " fields of " + fieldLength + " reals, got " + data.length);
        }
        ctx.staging().uploadReals(fields, data, precision, stage);
        program.run();
        ctx.staging().downloadReals(fields, data, precision, stage);
    }

    /** Closes the programs and buffer; the plan stays with its {@link FftPlans}. */
    @Override
    public void close() {
        forward.close();
        inverse.close();
        fields.close();
    }
}
