package dev.eddy.gpu;

import dev.eddy.numerics.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The FFT plans of one run: cached in memory (same buffer, kind and shape → same plan) and their compiled
 * kernels on disk under {@code ${EDDY_CACHE:-~/.cache/eddy}/vkfft/}, one file per device name,
 * vendor/device id, driver version, plan kind, nx, ny, batch and precision (batch is baked into VkFFT's
 * kernels, so it must be in the key). The bridge validates a file fully before use and rewrites a stale
 * or corrupt one. Closing closes every plan.
 */
public final class FftPlans implements AutoCloseable {
    /** DeviceBuffer has identity equality, so a plan never outlives the meaning of its buffer. */
    private record Key(DeviceBuffer buffer, VkFftPlan.Kind kind, int nx, int ny, int batch, Precision precision, int dealiasCutoff) {
    }

    private final VulkanContext ctx;
    private final Path diskDir;
    private final Map<Key, VkFftPlan> plans = new LinkedHashMap<>();

    /** @param diskDir null: no disk cache */
    public FftPlans(VulkanContext ctx, Path diskDir) {
        this.ctx = ctx;
        this.diskDir = diskDir;
    }

    /** With the default disk cache, unless EDDY_FFT_CACHE=0. */
    public static FftPlans withDefaultCache(VulkanContext ctx) {
        boolean off = "0".equals(System.getenv("EDDY_FFT_CACHE"));
        return new FftPlans(ctx, off ? null : NativeLibraries.cacheRoot().resolve("vkfft"));
    }

    /** The plan for {@code batch} nx×ny fields at the start of {@code buffer}, made once. */
    public VkFftPlan plan(DeviceBuffer buffer, int nx, int ny, int batch, Precision p) {
        return plan(buffer, nx, ny, batch, p, 0);
    }

    /**
     * The dealiased plan (cutoff c &gt; 0): the inverse transform takes every mode with kx &gt; c or |ky| &gt; c
     * as zero without reading it and skips the y-transforms of those columns; the forward transform
     * neither computes nor writes those modes, so whoever reads its output reads only the kept box.
     * With c = 0 it is the plain plan.
     */
    public VkFftPlan plan(DeviceBuffer buffer, int nx, int ny, int batch, Precision p, int dealiasCutoff) {
        return plan(VkFftPlan.Kind.REAL_2D, buffer, nx, ny, batch, p, dealiasCutoff);
    }

    /**
     * The column plan for {@code batch} compact arrays of ny rows × {@code width} complex values at the start of
     * {@code buffer}, made once: a C2C transform of length ny down each of the {@code width} columns, x left alone
     * ({@link VkFftPlan.Kind#COLUMNS}). ny must have no prime factor above 13 (the bridge refuses those lengths:
     * VkFFT 1.2.26's Rader/Bluestein kernels gave wrong results on lavapipe).
     */
    public VkFftPlan columns(DeviceBuffer buffer, int width, int ny, int batch, Precision p) {
        if (width < 1 || ny < 2 || batch < 1) {
            throw new IllegalArgumentException("a column plan needs width ≥ 1, ny ≥ 2 and batch ≥ 1, got width " + width
                    + ", ny " + ny + ", batch " + batch);
        }
        return plan(VkFftPlan.Kind.COLUMNS, buffer, width, ny, batch, p, 0);
    }

    private VkFftPlan plan(VkFftPlan.Kind kind, DeviceBuffer buffer, int nx, int ny, int batch, Precision p, int dealiasCutoff) {
        long need = kind.requiredBytes(nx, ny, batch, p);
        if (buffer.bytes() < need) {
            throw new IllegalArgumentException("buffer '" + buffer.name() + "' has " + buffer.bytes() + " bytes; "
                    + kind.describe(nx, ny, batch, p) + " need " + need);
        }
        return plans.computeIfAbsent(new Key(buffer, kind, nx, ny, batch, p, dealiasCutoff),
                k -> new VkFftPlan(ctx, kind, buffer, nx, ny, batch, p, dealiasCutoff, cacheFile(kind, nx, ny, batch, p, dealiasCutoff)));
    }

    /** The disk cache file of a plan, or null without a disk cache. */
    Path cacheFile(VkFftPlan.Kind kind, int nx, int ny, int batch, Precision p, int dealiasCutoff) {
        if (diskDir == null) {
            return null;
        }
        try {
            Files.createDirectories(diskDir);
        } catch (java.io.IOException e) {
            System.err.println("eddy: FFT plan cache " + diskDir + " cannot be created (" + e.getMessage() + "); compiling plans");
            return null;
        }
        return diskDir.resolve(cacheFileName(ctx.info(), kind, nx, ny, batch, p, dealiasCutoff));
    }

    /** ...-128x64-b3-fp32.bin for a 2D plan (-d&lt;c&gt; when dealiased), ...-128x64-b3-fp32-cols.bin for a column plan. */
    static String cacheFileName(DeviceInfo d, VkFftPlan.Kind kind, int nx, int ny, int batch, Precision p, int dealiasCutoff) {
        String device = d.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        String suffix = switch (kind) {
            case REAL_2D -> dealiasCutoff > 0 ? "-d" + dealiasCutoff : "";
            case COLUMNS -> "-cols";
        };
        return String.format(Locale.ROOT, "%s-%04x-%04x-drv%08x-vkfft%d-%dx%d-b%d-%s%s.bin", device, d.vendorId(), d.deviceId(),
                d.driverVersion(), VkFftBridge.get().vkfftVersion(), nx, ny, batch, p.label(), suffix);
    }

    public int size() {
        return plans.size();
    }

    @Override
    public void close() {
        for (VkFftPlan p : plans.values()) {
            p.close();
        }
        plans.clear();
    }
}
