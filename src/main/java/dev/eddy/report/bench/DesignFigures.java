package dev.eddy.report.bench;

import java.util.List;

/**
 * The reference numbers of design §7, in one place: what a user would pick instead of Eddy, measured
 * on the same NVIDIA H200 side by side (jax-cfd's spectral NS2D under jit, CN-RK2, cuFFT; a PyTorch
 * version of Eddy's scheme with torch.compile and a CUDA graph; LES with a local Smagorinsky term), the
 * H200's memory bandwidth the floor is drawn with, and the pipeline's speed-up targets. The report draws
 * them as reference lines and cites {@link #SOURCE} under every figure that shows them.
 */
public final class DesignFigures {
    public static final String SOURCE = "design §7: peers measured on an NVIDIA H200, side by side, 2026-12-01";

    /** A peer's ms per LES step against N; N where the peer was not measured ("—" in the table) are left out. */
    public record PeerLine(String peer, String precision, int[] n, double[] msPerStep) {
    }

    public static final List<PeerLine> LES = List.of(
            new PeerLine("jax-cfd", "fp32", new int[] {256, 512, 1024, 2048, 4096, 8192},
                    new double[] {0.344, 0.362, 0.476, 1.326, 5.094, 18.26}),
            new PeerLine("PyTorch", "fp32", new int[] {256, 512, 1024, 2048, 4096, 8192},
                    new double[] {0.123, 0.185, 0.392, 1.494, 6.053, 24.11}),
            new PeerLine("jax-cfd", "fp64", new int[] {256, 512, 1024, 2048, 4096, 8192},
                    new double[] {0.375, 0.339, 0.834, 2.764, 10.02, 43.79}),
            new PeerLine("PyTorch", "fp64", new int[] {256, 1024, 4096, 8192},
                    new double[] {0.145, 0.755, 11.72, 52.0}));

    /** A peer's ensemble: ms per member-step, fp32, at N with the given number of members. */
    public record PeerEnsemble(String peer, int n, int members, double msPerMemberStep) {
    }

    public static final List<PeerEnsemble> ENSEMBLE = List.of(
            new PeerEnsemble("jax-cfd vmap", 128, 256, 0.0042),
            new PeerEnsemble("jax-cfd vmap", 256, 256, 0.0159),
            new PeerEnsemble("jax-cfd vmap", 512, 64, 0.0666),
            new PeerEnsemble("PyTorch batched", 128, 256, 0.0050),
            new PeerEnsemble("PyTorch batched", 256, 256, 0.0200),
            new PeerEnsemble("PyTorch batched", 512, 64, 0.0818));

    /** Bytes an RK2 step moves with the batched-FFT algorithm, per grid point, in fp32: 460·N² (0.113 ms at 1024² on the H200). */
    public static final double RK2_BYTES_PER_POINT_FP32 = 460;
    /** The H200's device-to-device copy bandwidth, measured: 4.26 TB/s. */
    public static final double H200_BYTES_PER_SECOND = 4.26e12;

    /** The pipeline end to end against the CPU pipeline of the same N and steps: at least 20× at N = 1024, 100× at 4096. */
    public static final int[] PIPELINE_TARGET_N = {1024, 4096};
    public static final double[] PIPELINE_TARGET_SPEEDUP = {20, 100};

    private DesignFigures() {
    }
}
