package dev.eddy.cli;

import dev.eddy.backend.Backend;
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
    @Mixin
    CodecFlags codec;
    @Mixin
    BackendFlags where;
    @Option(names = "--report", paramLabel = "FILE", description = "report JSON (default: OUT.report.json)") Path report;

    @Override
    public Integer call() throws Exception {
        try (Backend backend = where.backend()) {
            EncodeJob.run(input, out, new EncodeJob.Codec(codec.k, codec.tile, codec.theta, codec.sigma, codec.majority), backend, report, System.out::println);
        }
        return ExitCodes.OK;
    }
}
