package dev.eddy.pipeline;

import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.proxy.CpuGram;
import dev.eddy.proxy.CpuRollout_F32;
import dev.eddy.proxy.CpuRollout_F64;
import dev.eddy.proxy.Gram;
import dev.eddy.proxy.GramAccumulator;
import dev.eddy.proxy.GpuGram;
import dev.eddy.proxy.GpuRollout;
import dev.eddy.proxy.LinearProxy;
import dev.eddy.proxy.ProxySettings;
import java.util.List;
import dev.eddy.proxy.RidgeLearner;
import dev.eddy.numerics.Precision;

/**
 * The proxy stage of the pipeline, on the CPU or the GPU: Gram matrices of the training latents
 * (accumulated as they are encoded, split into a training and a held-out block), the ridge solve on the
 * host, and the rollout z ← A z from a latent column. Latents that sit on the device of a GPU codec feed
 * a GPU proxy in place; every other combination copies them, counted in the ledger.
 */
abstract sealed class ProxyStage implements AutoCloseable {
    protected final int d;
    protected final Precision precision;
    protected final GramAccumulator gram;
    protected LinearProxy proxy;

    ProxyStage(int d, Precision precision, GramAccumulator gram) {
        this.d = d;
        this.precision = precision;
        this.gram = gram;
    }

    static ProxyStage create(String backend, int d, Precision precision, VulkanContext ctx, int horizon, int threads) {
        return backend.equals("vulkan") ? new Gpu(ctx, d, precision, horizon) : new Cpu(d, precision, threads);
    }

    /** Appends the next latent of the training sequence: column {@code column} of the codec. */
    abstract void add(CodecStage codec, int column);

    /** The pairs from the next latent on are held out to choose λ (GramAccumulator#split). */
    void holdOut() {
        gram.split();
    }

    /** Solves for A on the host (the d×d Grams cross once) and hands it to the rollout (A crosses once). */
    LinearProxy learn(ProxySettings settings) {
        List<Gram> blocks = gram.blocks();
        Gram validation = null;
        for (Gram g : blocks.subList(1, blocks.size())) {
            validation = validation == null ? g : validation.plus(g);
        }
        proxy = RidgeLearner.learn(blocks.getFirst(), validation, settings);
        install(proxy);
        return proxy;
    }

    protected abstract void install(LinearProxy proxy);

    /** Rolls out {@code steps} proxy steps from latent column {@code column} of the codec. */
    abstract void rollout(CodecStage codec, int column, int steps);

    /** Latent after {@code step} proxy steps, on the host. */
    abstract double[] latent(int step);

    /** Decoded field after {@code step} proxy steps. */
    abstract double[] decode(CodecStage codec, int step, dev.eddy.codec.SnapshotCodec.Code residual);

    /** GPU time of the last rollout in ms (timestamps), or NaN where there are none. */
    abstract double deviceMillis();

    @Override
    public void close() {
        gram.close();
    }

    /** A CPU proxy: float64 Grams, the rollout in the run's precision. */
    static final class Cpu extends ProxyStage {
        private final int threads;
        private double[] trajectory;

        Cpu(int d, Precision precision, int threads) {
            super(d, precision, new CpuGram(d, threads));
            this.threads = threads;
        }

        @Override
        void add(CodecStage codec, int column) {
            gram.add(codec.hostLatent(column));
        }

        @Override
        protected void install(LinearProxy proxy) {
        }

        @Override
        void rollout(CodecStage codec, int column, int steps) {
            double[] z0 = codec.hostLatent(column);
            if (precision == Precision.FP64) {
                try (CpuRollout_F64 r = new CpuRollout_F64(d, 1, threads)) {
                    trajectory = r.run(proxy.a(), z0, steps);
                }
            } else {
                try (CpuRollout_F32 r = new CpuRollout_F32(d, 1, threads)) {
                    trajectory = r.run(proxy.a(), z0, steps);
                }
            }
        }

        @Override
        double[] latent(int step) {
            return java.util.Arrays.copyOfRange(trajectory, step * d, (step + 1) * d);
        }

        @Override
        double[] decode(CodecStage codec, int step, dev.eddy.codec.SnapshotCodec.Code residual) {
            return codec.decode(latent(step), residual);
        }

        @Override
        double deviceMillis() {
            return Double.NaN;
        }
    }

    /** A GPU proxy on the pipeline's context: Gram updates and the rollout on the device, A uploaded once. */
    static final class Gpu extends ProxyStage {
        private final VulkanContext ctx;
        private final GpuRollout rollout;

        Gpu(VulkanContext ctx, int d, Precision precision, int horizon) {
            super(d, precision, new GpuGram(ctx, d, precision));
            this.ctx = ctx;
            this.rollout = new GpuRollout(ctx, d, 1, horizon, precision);
        }

        @Override
        void add(CodecStage codec, int column) {
            DeviceBuffer latents = codec.deviceLatents();
            if (latents != null && codec.shares(ctx)) {
                ((GpuGram) gram).addColumns(latents, column, 1);
            } else {
                gram.add(codec.hostLatent(column));
            }
        }

        @Override
        protected void install(LinearProxy proxy) {
            rollout.setOperator(proxy);
        }

        @Override
        void rollout(CodecStage codec, int column, int steps) {
            DeviceBuffer latents = codec.deviceLatents();
            if (latents != null && codec.shares(ctx)) {
                rollout.start(latents, column);
            } else {
                rollout.start(codec.hostLatent(column));
            }
            rollout.run(steps);
        }

        @Override
        double[] latent(int step) {
            return rollout.readColumn(step);
        }

        @Override
        double[] decode(CodecStage codec, int step, dev.eddy.codec.SnapshotCodec.Code residual) {
            if (codec.shares(ctx)) {
                return codec.decode(rollout.trajectory(), step, residual);
            }
            return codec.decode(latent(step), residual);
        }

        @Override
        double deviceMillis() {
            return rollout.lastRunDeviceMillis().orElse(Double.NaN);
        }

        @Override
        public void close() {
            rollout.close();
            super.close();
        }
    }
}
