package dev.eddy.pipeline;

import dev.eddy.backend.Backend;
import dev.eddy.config.BackendKind;

/**
 * Where each stage of the pipeline runs (design §5), as settings: the simulation, the codec and the
 * proxy, each on the CPU or Vulkan. (cpu, cpu, cpu) is the CPU pipeline, (cpu, *, vulkan) the mixed
 * one, (vulkan, vulkan, vulkan) the full GPU pipeline; every combination runs, and the transfer ledger
 * shows what the host copies between stages cost. {@link #open} makes the running backends.
 */
public record Backends(BackendKind sim, BackendKind codec, BackendKind proxy) {
    public Backends {
        if (sim == null || codec == null || proxy == null) {
            throw new IllegalArgumentException("every stage needs a backend");
        }
    }

    public static Backends all(BackendKind backend) {
        return new Backends(backend, backend, backend);
    }

    /** Whether any stage needs the GPU (then all GPU stages share one Vulkan context). */
    public boolean anyGpu() {
        return sim == BackendKind.VULKAN || codec == BackendKind.VULKAN || proxy == BackendKind.VULKAN;
    }

    /** "cpu", "gpu" or "mixed": the name of the pipeline in tables. */
    public String label() {
        if (!anyGpu()) {
            return "cpu";
        }
        return sim == BackendKind.VULKAN && codec == BackendKind.VULKAN && proxy == BackendKind.VULKAN ? "gpu" : "mixed";
    }

    @Override
    public String toString() {
        return "sim=" + sim + ", codec=" + codec + ", proxy=" + proxy;
    }

    /**
     * The running backends of the three stages: one CPU value and at most one Vulkan value, so every GPU
     * stage shares one context (on {@code device}) and reads the others' buffers in place.
     */
    public Running open(String device, int threads) {
        Backend cpu = new Backend.Cpu(threads);
        Backend.Vulkan vulkan = anyGpu() ? (Backend.Vulkan) Backend.of(BackendKind.VULKAN, device, threads) : null;
        return new Running(pick(sim, cpu, vulkan), pick(codec, cpu, vulkan), pick(proxy, cpu, vulkan), vulkan);
    }

    private static Backend pick(BackendKind kind, Backend cpu, Backend vulkan) {
        return kind == BackendKind.VULKAN ? vulkan : cpu;
    }

    /** The stages' backends; closing closes the shared Vulkan context, if there is one. */
    public record Running(Backend sim, Backend codec, Backend proxy, Backend.Vulkan vulkan) implements AutoCloseable {
        @Override
        public void close() {
            if (vulkan != null) {
                vulkan.close();
            }
        }
    }
}
