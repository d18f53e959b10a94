package dev.eddy.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The flags that set a single LES run: the shared ones of {@link LesGridFlags} and the run's own
 * physics, forcing amplitude and seed, shared by the commands that run one LES ({@code eddy run},
 * {@code eddy pipeline}); each maps to a key of {@link dev.eddy.config.ConfigLoader}.
 */
public final class LesFlags extends LesGridFlags {
    @Option(names = "--nu", description = "viscosity ν") Double nu;
    @Option(names = "--mu", description = "linear drag μ") Double mu;
    @Option(names = "--cs", description = "Smagorinsky constant C_s (0 = DNS)") Double cs;
    @Option(names = "--forcing-amplitude", paramLabel = "A", description = "Kolmogorov forcing amplitude") Double amplitude;
    @Option(names = "--seed", description = "seed of the initial phases") Long seed;

    /** The flags given, as ConfigLoader keys. */
    @Override
    Map<String, Object> values() {
        Map<String, Object> m = super.values();
        put(m, "physics.nu", nu);
        put(m, "physics.mu", mu);
        put(m, "physics.cs", cs);
        put(m, "forcing.amplitude", amplitude);
        put(m, "initial.seed", seed);
        return m;
    }
}
