package dev.eddy.cli;

import dev.eddy.codec.FieldErrors;
import dev.eddy.config.ConfigException;
import dev.eddy.config.ConfigLoader;
import dev.eddy.config.RunConfig;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.Json;
import dev.eddy.io.Versions;
import dev.eddy.sim.Simulation;
import dev.eddy.sim.Simulations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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
    @Option(names = "--device", paramLabel = "INDEX|NAME", description = "Vulkan device") String device;
    @Option(names = "--out", paramLabel = "FILE", description = "write the report as JSON here") Path out;

    @Override
    public Integer call() throws Exception {
        if (backends.size() != 2) {
            throw new ConfigException("--backends takes two backends, e.g. cpu,vulkan");
        }
        if (every < 1) {
            throw new ConfigException("--every must be ≥ 1");
        }
        if (device != null) {
            System.setProperty(Simulations.DEVICE_PROPERTY, device);
        }
        ConfigLoader loader = new ConfigLoader();
        if (preset != null) {
            loader.preset(preset);
        }
        if (configFile != null) {
            loader.overlay(configFile);
        }
        loader.set("n", n).set("precision", precision).set("physics.cs", cs).set("time.cfl", cfl).set("initial.seed", seed)
                .set("initial.kp", kp);
        if (steps != null) {
            loader.set("time.steps", steps).set("time.endTime", 0.0);
        }
        RunConfig base = loader.build();
        if (base.time().steps() == 0) {
            throw new ConfigException("compare runs a number of steps: give --steps");
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String b : backends) {
            dev.eddy.sim.cpu.HostMemory.requireCpuLes(withBackend(base, b));
        }
        try (Simulation ref = Simulations.create(withBackend(base, backends.get(0)));
             Simulation other = Simulations.create(withBackend(base, backends.get(1)))) {
            System.out.printf(Locale.ROOT, "%8s %10s %12s %12s %12s %12s %12s%n", "step", "time", "rel L2", "max err",
                    "correlation", "ΔE/E", "ΔZ/Z");
            long done = 0;
            while (done < base.time().steps()) {
                int k = (int) Math.min(every, base.time().steps() - done);
                advance(ref, k);
                advance(other, k);
                done += k;
                FieldErrors e = FieldErrors.compare(base.n(), ref.vorticity(), other.vorticity());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", ref.stepCount());
                row.put("time", ref.time());
                row.put("time_other", other.time());
                row.put("rel_l2", e.relL2());
                row.put("max_error", e.maxError());
                row.put("correlation", e.correlation());
                row.put("energy_rel_diff", e.energyRelError());
                row.put("enstrophy_rel_diff", e.enstrophyRelError());
                rows.add(row);
                System.out.printf(Locale.ROOT, "%8d %10.4g %12.3e %12.3e %12.9f %12.3e %12.3e%n", ref.stepCount(), ref.time(),
                        e.relL2(), e.maxError(), e.correlation(), e.energyRelError(), e.enstrophyRelError());
            }
        }
        if (out != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("schema", "eddy-compare/1");
            doc.put("backends", backends);
            doc.put("settings", base);
            doc.put("software", Versions.software());
            doc.put("snapshots", rows);
            AtomicFiles.writeString(out, Json.write(doc));
            System.out.println("wrote " + out);
        }
        return ExitCodes.OK;
    }

    private static void advance(Simulation sim, int k) {
        int left = k;
        while (left > 0) {
            int chunk = Math.min(left, sim.maxAdvance());
            sim.advance(chunk, Double.POSITIVE_INFINITY);
            left -= chunk;
        }
    }

    private static RunConfig withBackend(RunConfig c, String backend) {
        return new RunConfig(c.n(), c.precision(), backend, c.physics(), c.forcing(), c.initial(), c.time(), c.output(), c.threads(), c.health());
    }
}
