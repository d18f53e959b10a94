package dev.eddy.proxy;

import dev.eddy.backend.Backend;
import dev.eddy.numerics.Precision;
import java.util.List;

/** The factory of the proxy's parts on a backend (the Gram accumulator, the rollout) and the learn step; callers never branch on the backend. */
public final class Proxies {
    private Proxies() {
    }

    /** Gram sums of latents of dimension {@code d}: float64 on the host, or on the Vulkan backend's device (float64 sums where it can). */
    public static GramAccumulator gram(Backend backend, int d, Precision latents) {
        return switch (backend) {
            case Backend.Cpu cpu -> new CpuGram(d, cpu.threads());
            case Backend.Vulkan vulkan -> new GpuGram(vulkan.context(), d, latents);
        };
    }

    /** A rollout of one trajectory of up to {@code maxSteps} steps in the latents' precision. */
    public static Rollout rollout(Backend backend, int d, int maxSteps, Precision precision) {
        return rollout(backend, d, 1, maxSteps, precision);
    }

    /**
     * A rollout of {@code batch} trajectories at once (from consecutive latent columns, e.g. an ensemble's
     * held-out members at one time), up to {@code maxSteps} steps each, in the latents' precision: on the
     * device one batched GEMM per step ({@code rollout_gemv} over the batch), on the host the same GEMV per trajectory.
     */
    public static Rollout rollout(Backend backend, int d, int batch, int maxSteps, Precision precision) {
        return switch (backend) {
            case Backend.Cpu cpu -> new HostRollout(d, batch, precision, cpu.threads());
            case Backend.Vulkan vulkan -> new GpuRollout(vulkan.context(), d, batch, maxSteps, precision);
        };
    }

    /**
     * Solves for A on the host from the accumulated Grams (the small matrices cross once): the first
     * block trains, the later blocks (the held-out pairs, GramAccumulator#split) choose λ.
     */
    public static LinearProxy learn(GramAccumulator gram, ProxySettings settings) {
        List<Gram> blocks = gram.blocks();
        Gram validation = null;
        for (Gram g : blocks.subList(1, blocks.size())) {
            validation = validation == null ? g : validation.plus(g);
        }
        return RidgeLearner.learn(blocks.getFirst(), validation, settings);
    }
}
