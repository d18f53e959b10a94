package dev.eddy.cli;

import dev.eddy.backend.Backend;
import dev.eddy.codec.CodecSettings;
import dev.eddy.run.EncodeJob;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eddy encode}: a run's snapshots (or an HDF5 file's) → latent + ternary-residual codes (.eddyc), with an accuracy report. */
@Command(name = "encode", header = "Encode vorticity snapshots into a .eddyc code file (latent plus ternary residual).",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Encode the vorticity snapshots of a run (its directory or snapshots.zarr) or of an HDF5 file into a"
                + " .eddyc code file, one snapshot at a time:",
                "latent Z (Fourier modes |kx|,|ky| ≤ K) plus a per-tile ternary residual. Prints and writes a JSON report",
                "of ratio and errors (latent-only and latent+residual) per snapshot. Format: docs/codec-format.md."})
public final class EncodeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR|STORE.zarr|SNAPSHOTS.h5") Path input;
    @Option(names = {"-o", "--out"}, required = true, paramLabel = "CODES.eddyc") Path out;
    @Option(names = "--k", defaultValue = CodecSettings.DEFAULT_K, paramLabel = "K",
            description = "latent cutoff: modes |kx|, |ky| ≤ K, 1 ≤ K < N/3 (default ${DEFAULT-VALUE})") int k;
    @Option(names = "--tile", defaultValue = CodecSettings.DEFAULT_TILE, paramLabel = "T",
            description = "residual tile side T, divides N (default ${DEFAULT-VALUE})")
    int tile;
    @Option(names = "--theta", defaultValue = "0.7", paramLabel = "θ", description = "mask threshold (default ${DEFAULT-VALUE})")
    double theta;
    @Option(names = "--smooth", defaultValue = "0", paramLabel = "σ", description = "spectral Gaussian width of L(Z), 0 = off")
    double sigma;
    @Option(names = "--majority", description = "3×3 majority smoothing of the mask") boolean majority;
    @Mixin
    BackendFlags where;
    @Option(names = "--report", paramLabel = "FILE", description = "report JSON (default: OUT.report.json)") Path report;

    @Override
    public Integer call() throws Exception {
        try (Backend backend = where.backend()) {
            EncodeJob.run(input, out, new EncodeJob.Codec(k, tile, theta, sigma, majority), backend, report, System.out::println);
        }
        return ExitCodes.OK;
    }
}
