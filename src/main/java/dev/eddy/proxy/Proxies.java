package dev.eddy.proxy;

import dev.eddy.backend.Backend;
import dev.eddy.backend.Latents;
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

    /** The form the fit of {@code pairs} pairs of latents of dimension {@code d} takes: dual when there are fewer pairs than d. */
    public static RidgeForm form(int d, long pairs) {
        return RidgeForm.choose(d, pairs);
    }

    /**
     * Learns A in the dual (snapshot) form from the first {@code columns} columns of {@code latents}: the
     * snapshot Gram ZᵀZ is formed where the latents live (on the proxy backend's device in place: only
     * L² numbers cross), Z itself crosses once to form A's factors on the host. The pairs from latent
     * {@code splitBeforeLatent} on are held out to choose λ.
     */
    public static LinearProxy learn(Backend proxy, Latents latents, int columns, long splitBeforeLatent, ProxySettings settings) {
        int d = latents.d();
        SnapshotGram gram = switch (proxy) {
            case Backend.Cpu cpu -> null; // the learner forms it from Z on the host
            case Backend.Vulkan vulkan -> deviceGram(vulkan, latents, columns);
        };
        double[] z = latents.columns(0, columns);
        return RidgeLearner.learn(Snapshots.sequence(z, d, columns, splitBeforeLatent), gram, settings, RidgeForm.DUAL);
    }

    /** ZᵀZ on the device where the latents live on the backend's context; null (formed on the host) otherwise. */
    private static SnapshotGram deviceGram(Backend.Vulkan vulkan, Latents latents, int columns) {
        var buffer = latents.bufferOn(vulkan.context());
        if (buffer == null) {
            return null;
        }
        try (GpuSnapshotGram g = new GpuSnapshotGram(vulkan.context(), latents.d(), latents.precision())) {
            return g.compute(buffer, 0, columns);
        }
    }

    /**
     * Learns A in the primal form on the host from the accumulated d×d Grams (they cross once): the first
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
