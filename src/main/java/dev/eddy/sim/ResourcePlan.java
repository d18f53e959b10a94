package dev.eddy.sim;

import dev.eddy.gpu.BufferSpec;
import dev.eddy.gpu.TransferSpec;
import java.util.List;

/**
 * What a backend allocates and copies for given settings, known before anything runs: the memory map
 * and, for each {@link Simulation} call, the host↔device copies it makes, in the ledger's terms.
 * {@code eddy run --explain} walks a run's schedule through these; a device backend allocates and
 * copies from the same specs, so the plan and the run agree (tested against the ledger of a real run).
 */
public interface ResourcePlan {

    /** Every allocation the backend makes (the shape of {@link Simulation#memoryMap()}). */
    List<BufferSpec> buffers();

    /** The most steps one {@link Simulation#advance} call takes ({@link Simulation#maxAdvance()}). */
    default int maxAdvance() {
        return Integer.MAX_VALUE;
    }

    /** Copies made while the backend is created (the initial state). */
    List<TransferSpec> onCreate();

    /** Copies of {@link Simulation#restore}. */
    List<TransferSpec> onRestore();

    /** Copies of one {@link Simulation#advance} call; {@code dtLimitChanged}: its maxDt differs from the last call's. */
    List<TransferSpec> onAdvance(boolean dtLimitChanged);

    /** Copies of {@link Simulation#diagnostics()}. */
    List<TransferSpec> onDiagnostics();

    /** Copies of {@link Simulation#requestSnapshot()} of a state not yet on the host. */
    List<TransferSpec> onSnapshot();

    /** Copies of {@link Simulation#spectralState()} of a state not yet on the host. */
    List<TransferSpec> onStateRead();

    /** The plan of a backend that has no device: it allocates nothing there and copies nothing. */
    ResourcePlan HOST_ONLY = new ResourcePlan() {
        @Override
        public List<BufferSpec> buffers() {
            return List.of();
        }

        @Override
        public List<TransferSpec> onCreate() {
            return List.of();
        }

        @Override
        public List<TransferSpec> onRestore() {
            return List.of();
        }

        @Override
        public List<TransferSpec> onAdvance(boolean dtLimitChanged) {
            return List.of();
        }

        @Override
        public List<TransferSpec> onDiagnostics() {
            return List.of();
        }

        @Override
        public List<TransferSpec> onSnapshot() {
            return List.of();
        }

        @Override
        public List<TransferSpec> onStateRead() {
            return List.of();
        }
    };
}
