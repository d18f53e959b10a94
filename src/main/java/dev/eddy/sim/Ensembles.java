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
 * many members fit. On several devices ({@link #create(EnsembleConfig, List)}) the members are dealt out
 * in order, an equal share of consecutive members to each device, and each share is split and checked
 * against its own device as above; the devices then advance at the same time, one host thread each.
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

    /**
     * The ensemble of {@code config} spread over {@code devices} (Vulkan backends, one context each; the
     * same device may appear twice, as two contexts): device d runs members [d·B/D, (d+1)·B/D). One device
     * is {@link #create(EnsembleConfig, Backend)}. The caller closes the backends.
     */
    public static Ensemble create(EnsembleConfig config, List<? extends Backend> devices) {
        if (devices.size() == 1) {
            return create(config, devices.getFirst());
        }
        List<Backend.Vulkan> vulkan = new ArrayList<>();
        for (Backend b : devices) {
            if (!(b instanceof Backend.Vulkan v)) {
                throw new ConfigException("an ensemble spreads over several devices on Vulkan only, got " + b.describe());
            }
            vulkan.add(v);
        }
        if (config.base().backend() != dev.eddy.config.BackendKind.VULKAN) {
            throw new ConfigException("an ensemble on several devices needs --backend vulkan");
        }
        if (config.sharedDt()) {
            throw new ConfigException("a shared dt needs every member in one device state: run a --shared-dt ensemble on one device");
        }
        int d = vulkan.size();
        if (config.size() < d) {
            throw new ConfigException(config.size() + " members cannot be spread over " + d + " devices: give at least one member per device");
        }
        List<EnsembleConfig> shares = new ArrayList<>();
        for (int i = 0; i < d; i++) {
            shares.add(config.slice(share(config.size(), d, i), share(config.size(), d, i + 1)));
        }
        List<List<Integer>> sizes = new ArrayList<>(); // every device's memory checked before anything is allocated
        for (int i = 0; i < d; i++) {
            try {
                sizes.add(GpuLesLayout.groups(shares.get(i), vulkan.get(i).context().info()));
            } catch (dev.eddy.gpu.GpuException e) {
                throw new dev.eddy.gpu.GpuException("device " + i + " of " + d + " (members " + share(config.size(), d, i) + ":"
                        + share(config.size(), d, i + 1) + "): " + e.getMessage(), e);
            }
        }
        List<Ensemble> groups = new ArrayList<>();
        List<Integer> lanes = new ArrayList<>();
        try {
            for (int i = 0; i < d; i++) {
                int from = 0;
                for (int size : sizes.get(i)) {
                    groups.add(new GpuEnsemble(shares.get(i).slice(from, from + size), vulkan.get(i)));
                    lanes.add(i);
                    from += size;
                }
            }
        } catch (RuntimeException e) {
            closeAll(groups, e);
            throw e;
        }
        return new MemberGroups(config, groups, lanes.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The first member of share {@code i} of {@code b} members dealt out to {@code d} devices (share d: b). */
    static int share(int b, int d, int i) {
        return (int) ((long) b * i / d);
    }

    private static void closeAll(List<Ensemble> groups, RuntimeException cause) {
        for (Ensemble g : groups) {
            try {
                g.close();
            } catch (RuntimeException suppressed) {
                cause.addSuppressed(suppressed);
            }
        }
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
            closeAll(groups, e);
            throw e;
        }
        return new MemberGroups(config, groups);
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
