package dev.eddy.cli;

import dev.eddy.backend.Backend;
import dev.eddy.run.DecodeJob;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eddy decode}: a .eddyc code file → snapshots HDF5 (same layout as snapshots.h5). */
@Command(name = "decode", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Decode a .eddyc code file into an HDF5 file in the snapshots.h5 layout (omega, step, time),",
                "with the codec settings as attributes. Every record is checksum-verified first."})
public final class DecodeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CODES.eddyc") Path input;
    @Option(names = {"-o", "--out"}, required = true, paramLabel = "SNAPSHOTS.h5") Path out;
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
