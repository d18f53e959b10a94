package dev.eddy.sim;

import dev.eddy.backend.Backend;
import dev.eddy.config.ConfigException;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.cpu.CpuEnsemble_F32;
import dev.eddy.sim.cpu.CpuEnsemble_F64;
import dev.eddy.sim.cpu.LesKernels_F64;
import dev.eddy.sim.gpu.GpuEnsemble;
import dev.eddy.sim.gpu.GpuLesLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The factory of ensembles on a backend; callers never branch on it. The CPU runs one batch over its
 * threads. Vulkan runs one batch per device state: all members in one when the device's storage-buffer
 * bindings hold them, else consecutive groups of members ({@link MemberGroups}) on the same context;
 * the device's memory is checked for all of them before anything is allocated, and a refusal says how
 * many members fit. Spreading groups over several devices (one context each) is the same split with one
 * backend per group.
 */
public final class Ensembles {
    /** Share of the Java heap an ensemble's CPU arrays may take (the rest: snapshots, outputs, the JVM). */
    static final double HEAP_SHARE = 0.7;

    private Ensembles() {
    }

    /** The ensemble of {@code config} on {@code backend} (of the kind the settings name); the caller closes both. */
    public static Ensemble create(EnsembleConfig config, Backend backend) {
        if (backend.kind() != config.base().backend()) {
            throw new IllegalArgumentException("the settings say backend " + config.base().backend() + " but the ensemble was given "
                    + backend.describe());
        }
        return switch (backend) {
            case Backend.Cpu cpu -> {
                checkHostMemory(config, Runtime.getRuntime().maxMemory());
                yield config.base().precision() == Precision.FP64 ? new CpuEnsemble_F64(config, cpu) : new CpuEnsemble_F32(config, cpu);
            }
            case Backend.Vulkan vulkan -> onDevice(config, vulkan);
        };
    }

    private static Ensemble onDevice(EnsembleConfig config, Backend.Vulkan vulkan) {
        List<Integer> sizes = GpuLesLayout.groups(config, vulkan.context().info());
        if (sizes.size() == 1) {
            return new GpuEnsemble(config, vulkan);
        }
        if (config.sharedDt()) {
            throw new ConfigException("a shared dt needs every member in one device state; '" + vulkan.context().info().name()
                    + "' holds at most " + sizes.getFirst() + " members of N = " + config.base().n() + " in one: run fewer members, or"
                    + " give each member its own dt");
        }
        List<Ensemble> groups = new ArrayList<>();
        try {
            int from = 0;
            for (int size : sizes) {
                groups.add(new GpuEnsemble(config.slice(from, from + size), vulkan));
                from += size;
            }
        } catch (RuntimeException e) {
            for (Ensemble g : groups) {
                try {
                    g.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return new MemberGroups(config, groups, true);
    }

    /**
     * Bytes of the CPU arrays per member: ω̂, the stage input, the s explicit terms, the work fields, a
     * forcing field when each member has its own, the decay tables, and the rows of the small arrays.
     */
    public static long hostBytesPerMember(EnsembleConfig config) {
        Grid g = new Grid(config.base().n());
        long real = config.base().precision().bytes();
        int s = config.base().time().tableau().stages();
        int work = config.sgs() ? LesKernels_F64.SPECTRAL_FIELDS_SGS : LesKernels_F64.SPECTRAL_FIELDS_DNS;
        long fields = 2L + s + work + (config.forcingPerMember() ? 1 : 0);
        long tables = 2L * g.modes(); // at most two distinct delays per tableau (½ and 1)
        return (fields * g.fieldLength() + tables + (long) (LesKernels_F64.ROW_MAXIMA + LesKernels_F64.DIAGNOSTIC_SUMS) * g.n()) * real;
    }

    /** Refuses a CPU ensemble whose arrays would not fit {@link #HEAP_SHARE} of a heap of {@code heapBytes}, with how many members fit. */
    static void checkHostMemory(EnsembleConfig config, long heapBytes) {
        long per = hostBytesPerMember(config);
        long budget = (long) (HEAP_SHARE * heapBytes);
        if (config.size() > 1 && per * config.size() > budget) {
            throw new ConfigException(String.format(Locale.ROOT, "%d members of N = %d in %s need %.2f GiB of arrays (%.1f MiB per member);"
                            + " the Java heap holds %.2f GiB for them (%.0f%% of %.2f GiB): at most %d members fit: run fewer members, or"
                            + " give the JVM more memory (EDDY_JAVA_OPTS=-Xmx…)", config.size(), config.base().n(),
                    config.base().precision().label(), per * (double) config.size() / 1073741824.0, per / 1048576.0,
                    budget / 1073741824.0, 100 * HEAP_SHARE, heapBytes / 1073741824.0, budget / per));
        }
    }
}
