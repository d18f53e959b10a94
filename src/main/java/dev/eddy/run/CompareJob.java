package dev.eddy.run;

import dev.eddy.backend.Backend;
import dev.eddy.codec.FieldErrors;
import dev.eddy.config.BackendKind;
import dev.eddy.config.RunConfig;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.Json;
import dev.eddy.io.Versions;
import dev.eddy.sim.Simulation;
import dev.eddy.sim.Simulations;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code eddy compare}: one case on two backends, compared snapshot by snapshot (the first is the
 * reference): how users check the GPU kernels against the CPU reference on their own settings.
 */
public final class CompareJob {
    private CompareJob() {
    }

    /**
     * Runs {@code base} on both backends for its step count, comparing every {@code every} steps: the
     * relative L2 and max error of ω, its correlation, and the energy and enstrophy differences. Writes
     * the rows as JSON to {@code out} when it is not null.
     */
    public static void run(RunConfig base, Backend reference, Backend compared, int every, Path out, Consumer<String> log)
            throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Simulation ref = Simulations.create(withBackend(base, reference.kind()), reference);
             Simulation other = Simulations.create(withBackend(base, compared.kind()), compared)) {
            log.accept(String.format(Locale.ROOT, "%8s %10s %12s %12s %12s %12s %12s", "step", "time", "rel L2", "max err",
                    "correlation", "ΔE/E", "ΔZ/Z"));
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
                log.accept(String.format(Locale.ROOT, "%8d %10.4g %12.3e %12.3e %12.9f %12.3e %12.3e", ref.stepCount(), ref.time(),
                        e.relL2(), e.maxError(), e.correlation(), e.energyRelError(), e.enstrophyRelError()));
            }
        }
        if (out != null) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("schema", "eddy-compare/1");
            doc.put("backends", List.of(reference.kind(), compared.kind()));
            doc.put("settings", base);
            doc.put("software", Versions.software());
            doc.put("snapshots", rows);
            AtomicFiles.writeString(out, Json.write(doc));
            log.accept("wrote " + out);
        }
    }

    private static void advance(Simulation sim, int k) {
        int left = k;
        while (left > 0) {
            int chunk = Math.min(left, sim.maxAdvance());
            sim.advance(chunk, Double.POSITIVE_INFINITY);
            left -= chunk;
        }
    }

    private static RunConfig withBackend(RunConfig c, BackendKind backend) {
        return new RunConfig(c.n(), c.precision(), backend, c.physics(), c.forcing(), c.initial(), c.time(), c.output(), c.threads(),
                c.health());
    }
}
