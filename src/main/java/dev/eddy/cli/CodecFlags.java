package dev.eddy.cli;

import dev.eddy.codec.CodecSettings;
import dev.eddy.numerics.Precision;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The codec's settings as flags, one spelling and one default for every command that encodes
 * ({@code run}, {@code encode}, {@code pipeline}, {@code bench codec}; issue 17): {@code --k --tile --theta
 * --smooth --majority}. The defaults are {@link CodecSettings}' own. ({@code --codec} is elsewhere the
 * codec's <em>backend</em>, as {@code --sim} and {@code --proxy} are the others'.)
 */
public final class CodecFlags {
    /** Every flag of the mixin, in the order of the help. */
    static final List<String> NAMES = List.of("--k", "--tile", "--theta", "--smooth", "--majority");

    @Option(names = "--k", defaultValue = CodecSettings.DEFAULT_K, paramLabel = "K",
            description = "latent cutoff: Fourier modes |kx|, |ky| ≤ K, 1 ≤ K < N/3 (default ${DEFAULT-VALUE})")
    int k;
    @Option(names = "--tile", defaultValue = CodecSettings.DEFAULT_TILE, paramLabel = "T",
            description = "side T of the residual's tiles, divides N (default ${DEFAULT-VALUE})")
    int tile;
    @Option(names = "--theta", defaultValue = CodecSettings.DEFAULT_THETA_TEXT, paramLabel = "θ",
            description = "residual mask threshold: a cell is coded where |r| > θ·mean_tile|r| (default ${DEFAULT-VALUE})")
    double theta;
    @Option(names = "--smooth", defaultValue = "0", paramLabel = "σ",
            description = "spectral Gaussian width of the low-pass L(Z), 0 = off (default ${DEFAULT-VALUE})")
    double sigma;
    @Option(names = "--majority", description = "3×3 majority smoothing of the residual mask (default off)")
    boolean majority;

    /** The settings for fields of N² at {@code precision}; impossible values are a usage error. */
    CodecSettings settings(int n, Precision precision) {
        return new CodecSettings(n, k, tile, theta, sigma, majority, precision);
    }

    /** Which of the codec flags the command line of {@code command} gave. */
    static Set<String> given(CommandSpec command) {
        var parsed = command.commandLine().getParseResult();
        return NAMES.stream().filter(parsed::hasMatchedOption).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }
}
