package dev.eddy.cli;

import dev.eddy.backend.Backend;
import dev.eddy.config.BackendKind;
import dev.eddy.config.ConfigException;
import dev.eddy.config.ConfigLoader;
import dev.eddy.config.RunConfig;
import dev.eddy.run.CompareJob;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code eddy compare}: one case on two backends, compared snapshot by snapshot — how users check the
 * GPU kernels against the CPU reference on their own settings.
 */
@Command(name = "compare", header = "Run one case on two backends and report how far they differ, every --every steps.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run one case on two backends and report, every --every steps, the relative L2 and max",
                "error of ω, its correlation, and the energy and enstrophy differences (the first backend is the reference)."})
public final class CompareCommand implements Callable<Integer> {
    @Option(names = "--backends", split = ",", defaultValue = "cpu,vulkan", description = "reference,other (default ${DEFAULT-VALUE})")
    List<String> backends;
    @Option(names = "--preset", paramLabel = "NAME") String preset;
    @Option(names = "--config", paramLabel = "FILE") Path configFile;
    @Option(names = {"-n", "--n"}) Integer n;
    @Option(names = "--steps") Long steps;
    @Option(names = "--precision") String precision;
    @Option(names = "--cs") Double cs;
    @Option(names = "--cfl") Double cfl;
    @Option(names = "--seed") Long seed;
    @Option(names = "--kp") Double kp;
    @Option(names = "--every", defaultValue = "10", description = "compare every this many steps (default ${DEFAULT-VALUE})") int every;
    @Mixin
    DeviceFlags where;
    @Option(names = "--out", paramLabel = "FILE", description = "write the report as JSON here") Path out;

    @Override
    public Integer call() throws Exception {
        if (backends.size() != 2) {
            throw new ConfigException("--backends takes two backends, e.g. cpu,vulkan");
        }
        if (every < 1) {
            throw new ConfigException("--every must be ≥ 1");
        }
        ConfigLoader loader = new ConfigLoader();
        if (preset != null) {
            loader.preset(preset);
        }
        if (configFile != null) {
            loader.overlay(configFile);
        }
        loader.set("n", n).set("precision", precision).set("threads", where.threads).set("physics.cs", cs).set("time.cfl", cfl).set("initial.seed", seed)
                .set("initial.kp", kp);
        if (steps != null) {
            loader.set("time.steps", steps).set("time.endTime", 0.0);
        }
        RunConfig base = loader.build();
        if (base.time().steps() == 0) {
            throw new ConfigException("compare runs a number of steps: give --steps");
        }
        for (String b : backends) {
            dev.eddy.sim.cpu.HostMemory.requireCpuLes(new RunConfig(base.n(), base.precision(), BackendKind.parse("--backends", b),
                    base.physics(), base.forcing(), base.initial(), base.time(), base.output(), base.threads(), base.health()));
        }
        try (Backend reference = Backend.of(BackendKind.parse("--backends", backends.get(0)), where.device, base.threads());
             Backend compared = Backend.of(BackendKind.parse("--backends", backends.get(1)), where.device, base.threads())) {
            CompareJob.run(base, reference, compared, every, out, System.out::println);
        }
        return ExitCodes.OK;
    }
}
