package dev.eddy.pipeline;

import dev.eddy.codec.CodecSettings;
import dev.eddy.config.ConfigException;
import dev.eddy.config.RunConfig;
import dev.eddy.proxy.ProxySettings;

/**
 * Everything an {@code eddy pipeline} run does, validated here once (design §4): the LES, a
 * spin-up past its initial transient, a training window in which a snapshot is encoded every
 * {@code stride} steps, the proxy learnt from those latents, and a horizon over which the proxy rolls
 * out from the last training latent while the LES continues as the ground truth.
 *
 * @param les          the LES (its backend is the simulation stage's; its step count is ignored)
 * @param spinupSteps  LES steps before the first training snapshot (0 = none)
 * @param windowSteps  LES steps of the training window: window/stride + 1 snapshots, window/stride pairs
 * @param stride       LES steps between snapshots; one proxy step stands for {@code stride} LES steps
 * @param horizonSteps LES steps the proxy predicts (a multiple of the stride)
 * @param codec        the codec (its precision is the LES's)
 * @param proxy        ridge λ, rank and validation split
 * @param backends     where each stage runs
 * @param compareEvery decode and compare every this many proxy steps of the horizon (the last one always)
 */
public record PipelineSettings(RunConfig les, long spinupSteps, long windowSteps, int stride, long horizonSteps,
                               CodecSettings codec, ProxySettings proxy, Backends backends, int compareEvery) {
    /**
     * The largest latent the host solve takes: the d×d Gram matrices are 8d² bytes each and the
     * Cholesky solve d³/3 flops, so d = 8192 is 0.5 GiB per matrix and ~2·10¹¹ flops (a minute on one
     * core); K = 44 gives d = 8010.
     */
    public static final int MAX_LATENT = 8192;

    public PipelineSettings {
        ConfigException.require(les != null && codec != null && proxy != null && backends != null, "incomplete pipeline settings");
        ConfigException.require(spinupSteps >= 0, "--spinup must be ≥ 0 steps, got " + spinupSteps);
        ConfigException.require(stride >= 1, "--stride must be ≥ 1 step, got " + stride);
        ConfigException.require(windowSteps >= 1, "--window must be ≥ 1 step, got " + windowSteps);
        ConfigException.require(stride <= windowSteps, "--stride " + stride + " is larger than the training window --window "
                + windowSteps + ": the window must hold at least two snapshots (one pair)");
        ConfigException.require(windowSteps % stride == 0, "--window " + windowSteps + " is not a multiple of --stride " + stride
                + ": snapshots are taken every stride steps from the start of the window to its end");
        ConfigException.require(horizonSteps >= 1, "--horizon must be ≥ 1 step (the proxy has to predict something), got "
                + horizonSteps);
        ConfigException.require(horizonSteps % stride == 0, "--horizon " + horizonSteps + " is not a multiple of --stride " + stride
                + ": one proxy step stands for stride LES steps");
        ConfigException.require(compareEvery >= 1, "--compare-every must be ≥ 1 proxy step, got " + compareEvery);
        ConfigException.require(codec.n() == les.n(), "codec N = " + codec.n() + " does not match the LES N = " + les.n());
        ConfigException.require(codec.precision() == les.precision(), "codec precision " + codec.precision().label()
                + " does not match the LES precision " + les.precision().label());
        ConfigException.require(backends.sim().equals(les.backend()), "the LES backend " + les.backend()
                + " is not the simulation stage's " + backends.sim());
        int d = codec.latentDimension();
        ConfigException.require(d <= MAX_LATENT, "--k " + codec.k() + " gives a latent of d = " + d + " reals; the host"
                + " ridge solve takes d ≤ " + MAX_LATENT + " (K ≤ 44): d×d Gram matrices of " + (8L * d * d >> 20) + " MiB each");
        ConfigException.require(proxy.rank() <= d, "--rank " + proxy.rank() + " exceeds the latent dimension d = " + d);
        if (proxy.lambdaByValidation()) {
            ConfigException.require(windowSteps / stride >= 2, "choosing λ by validation needs at least 2 training pairs, the window"
                    + " gives " + windowSteps / stride + ": lengthen --window or shorten --stride");
        }
        long pairs = windowSteps / stride;
        ConfigException.require(horizonSteps / stride <= Integer.MAX_VALUE - 1 && pairs < Integer.MAX_VALUE - 1,
                "too many snapshots");
    }

    /** Snapshots in the training window: z_0 … z_P. */
    public int trainingSnapshots() {
        return Math.toIntExact(windowSteps / stride + 1);
    }

    /** Proxy steps of the horizon. */
    public int horizon() {
        return Math.toIntExact(horizonSteps / stride);
    }

    /** Index of the training latent before which the pairs are held out to choose λ; the count when none are. */
    public int splitBeforeLatent() {
        return Math.toIntExact(proxy.lambdaByValidation() ? proxy.splitBeforeLatent(trainingSnapshots()) : trainingSnapshots());
    }
}
