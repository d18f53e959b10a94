package dev.eddy.pipeline;

import dev.eddy.config.ConfigException;

/**
 * Where each stage of the pipeline runs (DESIGN.md §5): the simulation, the codec and the proxy,
 * each {@code cpu} or {@code vulkan}. (cpu, cpu, cpu) is the CPU pipeline, (cpu, *, vulkan) the mixed
 * one, (vulkan, vulkan, vulkan) the full GPU pipeline; every combination runs, and the transfer ledger
 * shows what the host copies between stages cost.
 */
public record Backends(String sim, String codec, String proxy) {
    public Backends {
        check("--sim", sim);
        check("--codec", codec);
        check("--proxy", proxy);
    }

    private static void check(String flag, String value) {
        if (!"cpu".equals(value) && !"vulkan".equals(value)) {
            throw new ConfigException(flag + " must be cpu or vulkan, got " + value);
        }
    }

    public static Backends all(String backend) {
        return new Backends(backend, backend, backend);
    }

    /** Whether any stage needs the GPU (then all GPU stages share one Vulkan context). */
    public boolean anyGpu() {
        return sim.equals("vulkan") || codec.equals("vulkan") || proxy.equals("vulkan");
    }

    /** "cpu", "gpu" or "mixed": the name of the pipeline in tables. */
    public String label() {
        if (!anyGpu()) {
            return "cpu";
        }
        return sim.equals("vulkan") && codec.equals("vulkan") && proxy.equals("vulkan") ? "gpu" : "mixed";
    }

    @Override
    public String toString() {
        return "sim=" + sim + ", codec=" + codec + ", proxy=" + proxy;
    }
}
