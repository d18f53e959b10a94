package dev.eddy.sim.cpu;

import dev.eddy.config.RunConfig;
import dev.eddy.numerics.Grid;
import java.util.Locale;

/**
 * Host memory of the CPU paths, estimated before anything is allocated, so that a run that cannot fit
 * is refused with the figure and what to do instead of ending in an {@code OutOfMemoryError} (the Vulkan
 * path checks device memory the same way).
 */
public final class HostMemory {
    private HostMemory() {
    }

    /** Too little heap for the request: a runtime failure (exit 1), valid settings that run elsewhere. */
    public static final class InsufficientException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InsufficientException(String message) {
            super(message);
        }
    }

    /**
     * Bytes the CPU LES ({@link CpuLes_F64}/F32) holds: ω̂, the stage input, one right-hand side per stage,
     * the spectral work fields and the integrating-factor tables in the run's precision, plus the float64
     * copies a run makes per snapshot in flight (state and field, two in flight) and per checkpoint.
     */
    public static long cpuLesBytes(RunConfig c) {
        Grid g = new Grid(c.n());
        long len = g.fieldLength();
        int real = c.precision().bytes();
        int spectral = c.physics().hasSgs() ? LesKernels_F64.SPECTRAL_FIELDS_SGS : LesKernels_F64.SPECTRAL_FIELDS_DNS;
        int stages = c.time().tableau().stages();
        long solver = (2L + stages + spectral) * len * real + (long) stages * g.modes() * real;
        long setup = 3L * len * 8; // the initial condition and forcing built in float64 before narrowing
        long outputs = (2L * 2 + 1) * len * 8; // two snapshots in flight (state + field) and a checkpoint's copy
        // the snapshot writer's spectral transfer scratch (3 fields) and, with u, v, ψ, their three fields
        long transfer = dev.eddy.sim.SpectralTransfer.bytes(c.n()) + (c.output().velocity() ? 3L * c.n() * c.n() * 8 : 0);
        return solver + Math.max(setup, outputs) + transfer;
    }

    /**
     * Refuses {@code bytes} more than this JVM's heap can give (with a tenth kept for everything else).
     *
     * @param what what needs it ("the CPU LES at N = 8192, fp64")
     */
    public static void require(long bytes, String what) {
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > 0.9 * free) {
            throw new InsufficientException(String.format(Locale.ROOT, "%s needs about %.1f GiB of host memory; this JVM may use"
                            + " %.1f GiB more (heap %.1f GiB): raise the heap (EDDY_JAVA_OPTS=-Xmx%dg), use a smaller N or fp32,"
                            + " or run it on the GPU (--backend vulkan)", what, gib(bytes), gib(free), gib(rt.maxMemory()),
                    (long) Math.ceil(gib((long) (bytes / 0.9 + (rt.maxMemory() - free)))) + 1));
        }
    }

    /** The host memory of a run: the whole CPU LES, or for a GPU run what its snapshots need on the host. */
    public static void requireCpuLes(RunConfig c) {
        if (c.backend() == dev.eddy.config.BackendKind.CPU) {
            require(cpuLesBytes(c), String.format(Locale.ROOT, "the CPU LES at N = %d, %s", c.n(), c.precision().label()));
        } else {
            long len = new Grid(c.n()).fieldLength();
            long host = (2L * 2 + 1) * len * 8 + dev.eddy.sim.SpectralTransfer.bytes(c.n())
                    + (c.output().velocity() ? 3L * c.n() * c.n() * 8 : 0);
            require(host, String.format(Locale.ROOT, "the host side of a GPU run at N = %d (snapshots in flight, spectra)", c.n()));
        }
    }

    private static double gib(long b) {
        return b / (double) (1L << 30);
    }
}
