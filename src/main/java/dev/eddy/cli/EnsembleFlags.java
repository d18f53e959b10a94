package dev.eddy.cli;

import dev.eddy.config.ConfigException;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.config.RunConfig;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The flags that make an ensemble's members: seeds as a range or a list (or a count), and sweeps of ν,
 * μ, C_s and the forcing amplitude as lists. The members are every combination, the seed varying fastest
 * ({@link EnsembleConfig#sweep}); a flag not given keeps the base settings' value.
 */
public final class EnsembleFlags {
    @Option(names = "--seeds", paramLabel = "A..B|S,S,…", description = "the members' seeds: a range A..B (inclusive) or a list")
    String seeds;
    @Option(names = "--members", paramLabel = "B", description = "B seeds from --seed on (instead of --seeds)") Integer members;
    @Option(names = "--seed", description = "the first seed of --members (default: the settings' seed)") Long seed;
    @Option(names = "--nu", split = ",", paramLabel = "ν,…", description = "viscosities to sweep") List<Double> nu;
    @Option(names = "--mu", split = ",", paramLabel = "μ,…", description = "linear drags to sweep") List<Double> mu;
    @Option(names = "--cs", split = ",", paramLabel = "C_s,…", description = "Smagorinsky constants to sweep (0 = DNS)") List<Double> cs;
    @Option(names = "--forcing-amplitude", split = ",", paramLabel = "A,…", description = "Kolmogorov forcing amplitudes to sweep")
    List<Double> amplitude;
    @Option(names = "--shared-dt", description = "one dt for every member, the smallest of their CFL steps (members stay at one"
            + " time); default: each member its own CFL step and time") boolean sharedDt;

    /** Whether any member flag was given (with --config, the saved members are kept otherwise). */
    boolean given() {
        return seeds != null || members != null || seed != null || nu != null || mu != null || cs != null || amplitude != null;
    }

    /** The ensemble of {@code base}'s shared settings with the members these flags make. */
    EnsembleConfig ensemble(RunConfig base) {
        return EnsembleConfig.sweep(base, seeds(base.initial().seed()), nu, mu, cs, amplitude, sharedDt);
    }

    /** The seeds: --seeds, or --members of them from --seed (or {@code fallback}), or the one seed. */
    List<Long> seeds(long fallback) {
        if (seeds != null && members != null) {
            throw new ConfigException("give --seeds or --members, not both");
        }
        long first = seed != null ? seed : fallback;
        if (members != null) {
            if (members < 1 || members > EnsembleConfig.MAX_MEMBERS) {
                throw new ConfigException("--members must be in 1.." + EnsembleConfig.MAX_MEMBERS + ", got " + members);
            }
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                out.add(first + i);
            }
            return out;
        }
        return seeds == null ? List.of(first) : parseSeeds(seeds);
    }

    /** "A..B" (inclusive) or "S,S,…". */
    static List<Long> parseSeeds(String text) {
        List<Long> out = new ArrayList<>();
        try {
            int range = text.indexOf("..");
            if (range >= 0) {
                long a = Long.parseLong(text.substring(0, range).strip());
                long b = Long.parseLong(text.substring(range + 2).strip());
                if (b < a || b - a >= EnsembleConfig.MAX_MEMBERS) {
                    throw new ConfigException("--seeds " + text + ": a range A..B needs A ≤ B and at most " + EnsembleConfig.MAX_MEMBERS
                            + " seeds");
                }
                for (long s = a; s <= b; s++) {
                    out.add(s);
                }
            } else {
                for (String s : text.split(",")) {
                    out.add(Long.parseLong(s.strip()));
                }
            }
        } catch (NumberFormatException e) {
            throw new ConfigException("--seeds must be a range A..B or a list S,S,… of integers, got '" + text + "'");
        }
        if (out.stream().distinct().count() != out.size()) {
            throw new ConfigException("--seeds " + text + " names a seed twice");
        }
        return out;
    }
}
