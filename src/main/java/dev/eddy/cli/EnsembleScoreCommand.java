package dev.eddy.cli;

import dev.eddy.backend.Backend;
import dev.eddy.config.ConfigException;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.store.EnsembleStore;
import dev.eddy.pipeline.EnsembleScore;
import dev.eddy.proxy.ProxySettings;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eddy ensemble score DIR}: the linear proxy learnt on an ensemble's members and scored on its held-out ones. */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Learn the linear proxy on the snapshots of an ensemble's first members, roll it out from every held-out"
                + " member's snapshot --origin at once, and compare with each held-out member over the rest of its snapshots:"
                + " the proxy's error as a mean over the held-out members with its spread.",
                "Writes DIR/ensemble-score.json (or --out FILE) and prints the mean ± σ per proxy step."})
public final class EnsembleScoreCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "an ensemble's output directory (eddy ensemble --out)") Path dir;
    @Option(names = "--held-out", defaultValue = "2", description = "the last members, held out and scored (default ${DEFAULT-VALUE})")
    int heldOut;
    @Option(names = "--origin", defaultValue = "0", description = "the snapshot (index) the fit and the rollouts start from (default ${DEFAULT-VALUE})")
    int origin;
    @Mixin
    CodecFlags codec;
    @Option(names = "--lambda", paramLabel = "λ|auto", defaultValue = "auto",
            description = "ridge λ (relative to tr(X Xᵀ)/d), or auto: chosen on each member's last --validation pairs (default ${DEFAULT-VALUE})")
    String lambda;
    @Option(names = "--rank", defaultValue = "0", description = "DMD-style rank truncation of A (0 = full rank)") int rank;
    @Option(names = "--validation", paramLabel = "FRACTION", defaultValue = "0.2",
            description = "fraction of each training member's pairs held out to choose λ (default ${DEFAULT-VALUE})")
    double validation;
    @Mixin
    BackendFlags where;
    @Option(names = "--out", paramLabel = "FILE", description = "where the score goes (default DIR/ensemble-score.json)") Path out;

    @Override
    public Integer call() throws Exception {
        EnsembleConfig config = EnsembleStore.settings(dir);
        double l;
        try {
            l = lambda.equalsIgnoreCase("auto") ? Double.NaN : Double.parseDouble(lambda);
        } catch (NumberFormatException e) {
            throw new ConfigException("--lambda must be a number ≥ 0 or auto, got " + lambda);
        }
        var settings = new EnsembleScore.Settings(codec.settings(config.base().n(), config.base().precision()), new ProxySettings(l, rank, Double.isNaN(l) ? validation : 0), heldOut, origin);
        EnsembleScore.Result r;
        try (Backend backend = where.backend()) {
            r = EnsembleScore.score(dir, settings, backend);
        }
        Path file = out != null ? out : dir.resolve("ensemble-score.json");
        EnsembleScore.write(r, file);
        double[][] field = EnsembleScore.Result.meanAndSpread(r.fieldError());
        double[][] floor = EnsembleScore.Result.meanAndSpread(r.codecFloor());
        System.out.printf(Locale.ROOT, "proxy on %d held-out members %s (relative L2 of the decoded field, mean ± σ; codec floor):%n",
                r.heldOut().size(), r.heldOut());
        for (int t = 0; t < r.steps().length; t++) {
            System.out.printf(Locale.ROOT, "  proxy step %3d (ensemble step %6d): %.4f ± %.4f  (floor %.4f)%n", t, r.steps()[t], field[0][t],
                    field[1][t], floor[0][t]);
        }
        System.out.println("wrote " + file);
        return ExitCodes.OK;
    }
}
