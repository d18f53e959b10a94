package dev.eddy.cli;

import dev.eddy.config.ConfigException;
import dev.eddy.store.Hdf5EnsembleExport;
import dev.eddy.store.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code eddy ensemble export --h5 DIR}: an ensemble's store copied into one HDF5 file, for readers without Zarr. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Copy an ensemble's store (DIR/ensemble.zarr, as of its last checkpoint) into one HDF5 file (default"
                + " DIR/ensemble.h5), each dataset naming its dimensions in a 'dims' attribute (scripts/eddy_ensemble.py opens it).",
                "The file is written whole from memory: every snapshot of every member must fit."})
public final class EnsembleExportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "the ensemble's directory") Path dir;
    @Option(names = "--h5", paramLabel = "FILE", arity = "0..1", fallbackValue = "", description = "write HDF5 (the one format; FILE defaults"
            + " to DIR/ensemble.h5)") String h5;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (h5 == null) {
            throw new ConfigException("say which format: --h5 [FILE]");
        }
        if (!Files.exists(dir.resolve(RunFiles.ENSEMBLE_CHECKPOINT))) {
            throw new ConfigException(dir + " holds no ensemble checkpoint (" + RunFiles.ENSEMBLE_CHECKPOINT + ")");
        }
        Path target = h5.isEmpty() ? dir.resolve(RunFiles.ENSEMBLE_H5) : Path.of(h5);
        Hdf5EnsembleExport.write(dir, target);
        spec.commandLine().getOut().println("eddy: exported " + dir.resolve(RunFiles.ENSEMBLE) + " to " + target);
        return ExitCodes.OK;
    }
}
