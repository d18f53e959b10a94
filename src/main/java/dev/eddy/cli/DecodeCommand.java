package dev.eddy.cli;

import dev.eddy.backend.Backend;
import dev.eddy.run.DecodeJob;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eddy decode}: a .eddyc code file → a Zarr store (streamed) or an HDF5 file of snapshots. */
@Command(name = "decode", header = "Decode a .eddyc code file into a Zarr store or an HDF5 file.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Decode a .eddyc code file into a Zarr store or an HDF5 file (omega, step, time, with x, y coordinates),",
                "with the codec settings as attributes. Every record is checksum-verified as it is read."})
public final class DecodeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CODES.eddyc") Path input;
    @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT.zarr|OUT.h5",
            description = "a Zarr store (streamed, one snapshot at a time) or an HDF5 file (held in memory while written)")
    Path out;
    @Option(names = "--latent-only", description = "decode L(Z) only, without the ternary residual") boolean latentOnly;
    @Mixin
    BackendFlags where;
    @Option(names = "--report", paramLabel = "FILE", description = "report JSON (default: OUT.report.json)") Path report;

    @Override
    public Integer call() throws Exception {
        try (Backend backend = where.backend()) {
            DecodeJob.run(input, out, latentOnly, backend, report, System.out::println);
        }
        return ExitCodes.OK;
    }
}
