package dev.eddy.codec;

import dev.eddy.sim.Simulation;
import dev.eddy.sim.gpu.GpuLes;
import java.util.List;
import java.util.Map;

/**
 * Encodes the current state of a running simulation ({@code eddy run --encode}) and decodes the last
 * code for its report. Made by {@link Codecs#forSimulation}, which picks the backend: a GPU LES is
 * encoded on the device from its ω̂ buffer, any other simulation from its host vorticity.
 */
public sealed interface StateEncoder extends AutoCloseable {
    /** Encodes the state of {@code sim}; {@code omega} is its vorticity, already on the host for the snapshot frame. */
    SnapshotCodec.Code encode(Simulation sim, double[] omega);

    /** The last code decoded: L(Z), or L(Z) + α·t. */
    double[] decodeLast(boolean withResidual);

    /** "cpu" or "vulkan". */
    String backend();

    /** The encoder's device buffers (empty on the CPU). */
    List<Map<String, Object>> memoryMap();

    @Override
    void close();

    /** The CPU codec on the host field. */
    final class OnHost implements StateEncoder {
        private final SnapshotCodec codec;
        private SnapshotCodec.Code last;

        OnHost(SnapshotCodec codec) {
            this.codec = codec;
        }

        @Override
        public SnapshotCodec.Code encode(Simulation sim, double[] omega) {
            last = codec.encode(omega);
            return last;
        }

        @Override
        public double[] decodeLast(boolean withResidual) {
            if (last == null) {
                throw new IllegalStateException("nothing encoded yet");
            }
            return codec.decode(last, withResidual);
        }

        @Override
        public String backend() {
            return "cpu";
        }

        @Override
        public List<Map<String, Object>> memoryMap() {
            return List.of();
        }

        @Override
        public void close() {
            codec.close();
        }
    }

    /** The GPU codec on the GPU LES's ω̂ buffer, on the LES's context: the field does not cross to encode. */
    final class OnDevice implements StateEncoder {
        private final GpuLes les;
        private final GpuCodec codec;

        OnDevice(GpuLes les, GpuCodec codec) {
            this.les = les;
            this.codec = codec;
        }

        @Override
        public SnapshotCodec.Code encode(Simulation sim, double[] omega) {
            if (sim != les) {
                throw new IllegalArgumentException("this encoder reads the device state of the simulation it was made for");
            }
            codec.encodeSpectral(les.omegaBuffer(), 0);
            return codec.readCode(0);
        }

        @Override
        public double[] decodeLast(boolean withResidual) {
            return codec.decodeColumn(codec.latents(), 0, withResidual);
        }

        @Override
        public String backend() {
            return "vulkan";
        }

        @Override
        public List<Map<String, Object>> memoryMap() {
            return codec.memoryMap();
        }

        @Override
        public void close() {
            codec.close();
        }
    }
}
