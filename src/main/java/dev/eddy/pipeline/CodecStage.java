package dev.eddy.pipeline;

import dev.eddy.codec.Codecs;
import dev.eddy.codec.CodecSettings;
import dev.eddy.codec.GpuCodec;
import dev.eddy.codec.SnapshotCodec;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.sim.Simulation;
import dev.eddy.sim.gpu.GpuLes;
import java.util.ArrayList;
import java.util.List;

/**
 * The codec stage of the pipeline, on the CPU or the GPU: it encodes the simulation's current state
 * into a numbered latent column and decodes latents (its own, or a proxy's) back to fields. The
 * pipeline never branches on where it runs; the copies a mixed pipeline needs happen here and are
 * counted in the transfer ledger by the GPU classes.
 */
sealed interface CodecStage extends AutoCloseable {

    CodecSettings settings();

    /** Encodes the simulation's current state into latent column {@code column}. */
    void encode(Simulation sim, int column);

    /** The latent of column {@code column} on the host. */
    double[] hostLatent(int column);

    /** The device latent matrix (column-major d×m), or null when the latents live on the host. */
    DeviceBuffer deviceLatents();

    /** The whole code (Z, α, t) of the last encode, on the host. */
    SnapshotCodec.Code lastCode();

    /** Decodes a host latent: L(Z), or with a residual code L(Z) + α·t of {@code residual}. */
    double[] decode(double[] z, SnapshotCodec.Code residual);

    /** Decodes this stage's own latent column {@code column} (read in place where it lives). */
    double[] decodeColumn(int column, SnapshotCodec.Code residual);

    /**
     * Decodes column {@code column} of a device latent matrix on the same context; only a GPU codec
     * can, and only where {@link #shares} that context.
     */
    double[] decode(DeviceBuffer latents, int column, SnapshotCodec.Code residual);

    /** Whether device buffers of {@code ctx} can be read in place by this stage. */
    boolean shares(VulkanContext ctx);

    @Override
    void close();

    static CodecStage create(CodecSettings settings, String backend, VulkanContext ctx, int columns, int threads) {
        return backend.equals("vulkan") ? new Gpu(new GpuCodec(ctx, settings, columns + 1), ctx, columns)
                : new Cpu(Codecs.create(settings, threads), columns);
    }

    /** The CPU codec: latents kept on the host; a GPU simulation's state crosses to the host to be encoded. */
    final class Cpu implements CodecStage {
        private final SnapshotCodec codec;
        private final List<double[]> latents;
        private SnapshotCodec.Code last;

        Cpu(SnapshotCodec codec, int columns) {
            this.codec = codec;
            this.latents = new ArrayList<>(java.util.Collections.nCopies(columns, (double[]) null));
        }

        @Override
        public CodecSettings settings() {
            return codec.settings();
        }

        @Override
        public void encode(Simulation sim, int column) {
            last = codec.encode(sim.vorticity());
            latents.set(column, last.z());
        }

        @Override
        public double[] hostLatent(int column) {
            double[] z = latents.get(column);
            if (z == null) {
                throw new IllegalStateException("latent column " + column + " was never encoded");
            }
            return z;
        }

        @Override
        public DeviceBuffer deviceLatents() {
            return null;
        }

        @Override
        public SnapshotCodec.Code lastCode() {
            return last;
        }

        @Override
        public double[] decode(double[] z, SnapshotCodec.Code residual) {
            if (residual == null) {
                return codec.decode(new SnapshotCodec.Code(z, new double[codec.settings().tiles()],
                        new byte[(int) codec.settings().packedBytes()]), false);
            }
            return codec.decode(new SnapshotCodec.Code(z, residual.alpha(), residual.packed()), true);
        }

        @Override
        public double[] decodeColumn(int column, SnapshotCodec.Code residual) {
            return decode(hostLatent(column), residual);
        }

        @Override
        public double[] decode(DeviceBuffer source, int column, SnapshotCodec.Code residual) {
            throw new IllegalStateException("the CPU codec cannot decode a device latent; read it back first");
        }

        @Override
        public boolean shares(VulkanContext ctx) {
            return false;
        }

        @Override
        public void close() {
            codec.close();
        }
    }

    /**
     * The GPU codec: a GPU simulation's ω̂ is encoded in place (no field crosses); a CPU simulation's
     * ω is uploaded. The latent matrix has one spare column past the pipeline's, for decoding host latents.
     */
    final class Gpu implements CodecStage {
        private final GpuCodec codec;
        private final VulkanContext ctx;
        private final int scratch;
        private SnapshotCodec.Code residualOnDevice;
        private int lastColumn = -1;

        Gpu(GpuCodec codec, VulkanContext ctx, int columns) {
            this.codec = codec;
            this.ctx = ctx;
            this.scratch = columns;
        }

        @Override
        public CodecSettings settings() {
            return codec.settings();
        }

        @Override
        public void encode(Simulation sim, int column) {
            if (sim instanceof GpuLes les && les.context() == ctx) {
                codec.encodeSpectral(les.omegaBuffer(), column);
            } else {
                SnapshotCodec.Code code = codec.encode(sim.vorticity());
                codec.uploadLatent(code.z(), column);
            }
            residualOnDevice = null; // the encode replaced the device's α and t
            lastColumn = column;
        }

        @Override
        public double[] hostLatent(int column) {
            return codec.readCode(column).z();
        }

        @Override
        public DeviceBuffer deviceLatents() {
            return codec.latents();
        }

        @Override
        public SnapshotCodec.Code lastCode() {
            if (lastColumn < 0) {
                throw new IllegalStateException("nothing was encoded yet");
            }
            SnapshotCodec.Code code = codec.readCode(lastColumn);
            residualOnDevice = code; // α and t on the device are this code's: decoding with it uploads nothing
            return code;
        }

        @Override
        public double[] decodeColumn(int column, SnapshotCodec.Code residual) {
            return decode(codec.latents(), column, residual);
        }

        @Override
        public double[] decode(double[] z, SnapshotCodec.Code residual) {
            codec.uploadLatent(z, scratch);
            return decode(codec.latents(), scratch, residual);
        }

        @Override
        public double[] decode(DeviceBuffer latents, int column, SnapshotCodec.Code residual) {
            if (residual != null && residual != residualOnDevice) {
                codec.setResidual(residual);
                residualOnDevice = residual;
            }
            return codec.decodeColumn(latents, column, residual != null);
        }

        @Override
        public boolean shares(VulkanContext other) {
            return other == ctx;
        }

        @Override
        public void close() {
            codec.close();
        }
    }
}
