package dev.eddy.bench;

import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.FftPlans;
import dev.eddy.gpu.StepProgram;
import dev.eddy.gpu.VkFftPlan;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.numerics.Precision;
import dev.eddy.numerics.Reductions;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Times batched 2D R2C + C2R round trips (VkFFT) on the device: {@code rounds} round trips are recorded
 * into one command buffer between two GPU timestamps (steady state, no host in the loop); the
 * program is run once cold, then {@code repeats} times timed by timestamps and by the wall clock.
 *
 * <p>Bytes model: VkFFT does each 2D transform up to 4096² as two passes (x, then y), and each pass
 * reads and writes the whole padded buffer once, so one round trip moves 2 transforms × 2 passes ×
 * 2 (read + write) × the buffer = 8 × batch × ny × (nx/2+1) × 2 × bytes-per-real. Larger sizes
 * take more passes, so the bandwidth reported for them is a lower bound.
 *
 * <p>The buffer is zero-filled: FFT cost does not depend on the values, and repeated unnormalised
 * round trips of real data would overflow float32 (each multiplies by nx·ny).
 */
public final class GpuFftBench {
    public static final String BYTES_MODEL = "8 x batch x ny x (nx/2+1) x 2 x bytes_per_real per round trip: "
            + "forward and inverse, 2 passes each (x, y), each pass reads and writes the padded buffer once";

    private GpuFftBench() {
    }

    public static long bytesPerRoundTrip(int nx, int ny, int batch, Precision p) {
        return 8 * VkFftPlan.requiredBytes(nx, ny, batch, p);
    }

    public static Map<String, Object> time(VulkanContext ctx, FftPlans plans, int n, Precision p, int batch, int rounds, int repeats) {
        long bytes = VkFftPlan.requiredBytes(n, n, batch, p);
        try (DeviceBuffer fields = new DeviceBuffer(ctx, "bench.fft.fields", bytes, "bench", DeviceBuffer.Movement.ONCE_AT_START)) {
            ctx.staging().upload(fields, 0, ByteBuffer.allocateDirect(Math.toIntExact(bytes)), "bench.init");
            VkFftPlan plan = plans.plan(fields, n, n, batch, p);
            StepProgram.Builder b = StepProgram.builder(ctx, "bench.fft").timestamp();
            for (int r = 0; r < rounds; r++) {
                b.fft(plan, VkFftPlan.FORWARD).fft(plan, VkFftPlan.INVERSE);
            }
            b.timestamp();
            try (StepProgram program = b.freeze()) {
                long t0 = System.nanoTime();
                program.run();
                double firstMs = (System.nanoTime() - t0) / 1e6;
                double[] gpu = new double[repeats];
                double[] wall = new double[repeats];
                for (int i = 0; i < repeats; i++) {
                    long s = System.nanoTime();
                    program.run();
                    wall[i] = (System.nanoTime() - s) / 1e6 / rounds;
                    gpu[i] = program.timestampsNanos()[1] / 1e6 / rounds;
                }
                double[] sorted = gpu.clone();
                Arrays.sort(sorted);
                double median = sorted[repeats / 2];
                long moved = bytesPerRoundTrip(n, n, batch, p);
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("n", n);
                m.put("precision", p.label());
                m.put("batch", batch);
                m.put("plan_ms", plan.createMillis());
                m.put("plan_from_disk_cache", plan.loadedFromCache());
                m.put("round_trips_per_submit", rounds);
                m.put("repeats", repeats);
                m.put("first_submit_ms_per_round_trip", firstMs / rounds);
                m.put("gpu_median_ms", median);
                m.put("gpu_min_ms", sorted[0]);
                m.put("gpu_max_ms", sorted[repeats - 1]);
                m.put("wall_median_ms", Reductions.median(wall));
                m.put("bytes_per_round_trip", moved);
                m.put("bandwidth_gb_s", moved / (median * 1e-3) / 1e9);
                return m;
            }
        }
    }
}
