package dev.eddy.gpu;

import dev.eddy.numerics.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The FFT plans of one run: cached in memory (same buffer and shape → same plan) and their compiled
 * kernels on disk under {@code ${EDDY_CACHE:-~/.cache/eddy}/vkfft/}, one file per device name,
 * vendor/device id, driver version, nx, ny, batch and precision (batch is baked into VkFFT's kernels,
 * so it must be in the key). The bridge validates a file fully before use and rewrites a stale
 * or corrupt one. Closing closes every plan.
 */
public final class FftPlans implements AutoCloseable {
    /** DeviceBuffer has identity equality, so a plan never outlives the meaning of its buffer. */
    private record Key(DeviceBuffer buffer, int nx, int ny, int batch, Precision precision, int dealiasCutoff) {
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
        long need = VkFftPlan.requiredBytes(nx, ny, batch, p);
        if (buffer.bytes() < need) {
            throw new IllegalArgumentException("buffer '" + buffer.name() + "' has " + buffer.bytes() + " bytes; "
                    + batch + " fields of " + nx + "×" + ny + " " + p.label() + " need " + need);
        }
        return plans.computeIfAbsent(new Key(buffer, nx, ny, batch, p, dealiasCutoff),
                k -> new VkFftPlan(ctx, buffer, nx, ny, batch, p, dealiasCutoff, cacheFile(nx, ny, batch, p, dealiasCutoff)));
    }

    /** The disk cache file of a plan, or null without a disk cache. */
    Path cacheFile(int nx, int ny, int batch, Precision p, int dealiasCutoff) {
        if (diskDir == null) {
            return null;
        }
        try {
            Files.createDirectories(diskDir);
        } catch (java.io.IOException e) {
            System.err.println("eddy: FFT plan cache " + diskDir + " cannot be created (" + e.getMessage() + "); compiling plans");
            return null;
        }
        return diskDir.resolve(cacheFileName(ctx.info(), nx, ny, batch, p, dealiasCutoff));
    }

    static String cacheFileName(DeviceInfo d, int nx, int ny, int batch, Precision p, int dealiasCutoff) {
        String device = d.name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return String.format(Locale.ROOT, "%s-%04x-%04x-drv%08x-vkfft%d-%dx%d-b%d-%s%s.bin", device, d.vendorId(), d.deviceId(),
                d.driverVersion(), VkFftBridge.get().vkfftVersion(), nx, ny, batch, p.label(),
                dealiasCutoff > 0 ? "-d" + dealiasCutoff : "");
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
