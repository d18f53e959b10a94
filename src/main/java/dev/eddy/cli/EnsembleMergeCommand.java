package dev.eddy.cli;

import dev.eddy.run.EnsembleMerge;
import dev.eddy.sim.MemberStatus;
import dev.eddy.store.EnsembleCheckpoint;
import dev.eddy.store.EnsembleStore;
import dev.eddy.store.RunFiles;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code eddy ensemble merge DIR}: the parts of an ensemble run apart (Slurm array tasks) joined into one ensemble. */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Join the parts of an ensemble (directories under DIR, each an 'eddy ensemble --members-range' run, as the"
                + " Slurm job of 'eddy ensemble --slurm' makes them) into one ensemble in DIR: ensemble.json,"
                + " ensemble-checkpoint.bin, ensemble.zarr and report.html, members in order, as if one process had run them.",
                "Refuses (exit 2) a member in no part or in two, a part not finished, or parts of different ensembles;"
                        + " a corrupt part is exit 1."})
public final class EnsembleMergeCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "the ensemble's directory (eddy ensemble --slurm --out DIR): its parts are under it")
    Path dir;
    @Option(names = "--out", paramLabel = "OUT", description = "where the merged ensemble goes (default DIR)") Path out;
    @Option(names = "--no-report", description = "skip the report") boolean noReport;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Path target = out != null ? out : dir;
        EnsembleCheckpoint merged = EnsembleMerge.merge(dir, target);
        long dropped = merged.status().stream().filter(s -> s.phase() == MemberStatus.Phase.DROPPED).count();
        var o = spec.commandLine().getOut();
        o.println("eddy: merged " + EnsembleMerge.findParts(dir).size() + " parts: " + merged.config().size() + " members at ensemble step "
                + merged.step() + (dropped > 0 ? " (" + dropped + " dropped in their parts)" : "") + " into " + target.resolve(RunFiles.ENSEMBLE));
        o.flush();
        if (!noReport) {
            try {
                dev.eddy.viz.Headless.ensure();
                dev.eddy.report.EnsembleReport.write(target, merged.config(), merged.status(), merged.diagnostics(),
                        EnsembleStore.open(target, merged.config()));
            } catch (RuntimeException | java.io.IOException | Error x) {
                // the merged store is complete; the report is a convenience that can fail on a node without fonts
                spec.commandLine().getErr().println("eddy: warning: merged, but the report could not be made (" + x.getClass().getSimpleName()
                        + ": " + x.getMessage() + ")");
            }
        }
        return ExitCodes.OK;
    }
}
