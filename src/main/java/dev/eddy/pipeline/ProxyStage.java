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
import dev.eddy.proxy.RidgeLearner;
import dev.eddy.sim.Precision;

/**
 * The proxy stage of the pipeline, on the CPU or the GPU: Gram matrices of the training latents
 * (accumulated as they are encoded, split into a training and a held-out block), the ridge solve on the
 * host, and the rollout z ← A z from a latent column. Latents that sit on the device of a GPU codec feed
 * a GPU proxy in place; every other combination copies them, counted in the ledger.
 */
abstract sealed class ProxyStage implements AutoCloseable {
    protected final int d;
    protected final Precision precision;
    private final GramAccumulator train;
    private GramAccumulator validation;
    private GramAccumulator current;
    protected LinearProxy proxy;

    ProxyStage(int d, Precision precision, GramAccumulator train) {
        this.d = d;
        this.precision = precision;
        this.train = train;
        this.current = train;
    }

    static ProxyStage create(String backend, int d, Precision precision, VulkanContext ctx, int horizon) {
        return backend.equals("vulkan") ? new Gpu(ctx, d, precision, horizon) : new Cpu(d, precision);
    }

    /** A new accumulator of this backend. */
    protected abstract GramAccumulator newAccumulator();

    /**
     * The next latent of the training sequence, column {@code column} of the codec. {@code bridge}: the
     * latent that ended the previous block, which starts the held-out block (so no pair is lost at the split).
     */
    void add(CodecStage codec, int column) {
        add(current, codec, column);
    }

    protected abstract void add(GramAccumulator to, CodecStage codec, int column);

    /** From here on the pairs are held out to choose λ; the split latent is the first of the new block. */
    void holdOut(CodecStage codec, int column) {
        validation = newAccumulator();
        current = validation;
        add(validation, codec, column);
    }

    /** Solves for A on the host and hands it to the rollout (uploaded once on the GPU). */
    LinearProxy learn(ProxySettings settings) {
        Gram t = train.gram();
        Gram v = validation != null ? validation.gram() : null;
        proxy = RidgeLearner.learn(t, v, settings);
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
        train.close();
        if (validation != null) {
            validation.close();
        }
    }

    /** A CPU proxy: float64 Grams, the rollout in the run's precision. */
    static final class Cpu extends ProxyStage {
        private double[] trajectory;

        Cpu(int d, Precision precision) {
            super(d, precision, new CpuGram(d));
        }

        @Override
        protected GramAccumulator newAccumulator() {
            return new CpuGram(d);
        }

        @Override
        protected void add(GramAccumulator to, CodecStage codec, int column) {
            to.add(codec.hostLatent(column));
        }

        @Override
        protected void install(LinearProxy proxy) {
        }

        @Override
        void rollout(CodecStage codec, int column, int steps) {
            double[] z0 = codec.hostLatent(column);
            trajectory = precision == Precision.FP64 ? CpuRollout_F64.run(proxy.a(), z0, steps)
                    : CpuRollout_F32.run(proxy.a(), z0, steps);
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
        protected GramAccumulator newAccumulator() {
            return new GpuGram(ctx, d, precision);
        }

        @Override
        protected void add(GramAccumulator to, CodecStage codec, int column) {
            DeviceBuffer latents = codec.deviceLatents();
            if (latents != null && codec.shares(ctx)) {
                ((GpuGram) to).addColumns(latents, column, 1);
            } else {
                to.add(codec.hostLatent(column));
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
            return rollout.lastRunMillis();
        }

        @Override
        public void close() {
            rollout.close();
            super.close();
        }
    }
}
