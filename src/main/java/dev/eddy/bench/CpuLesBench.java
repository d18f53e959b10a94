package dev.eddy.bench;

import dev.eddy.config.RunConfig;
import dev.eddy.config.TimeControl;
import dev.eddy.sim.Precision;
import dev.eddy.sim.Simulation;
import dev.eddy.sim.Simulations;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Times LES steps of one configuration on any backend: the first step (cold: JIT, page faults,
 * pipeline and plan creation not included, they happen at construction) apart, then {@code warmup}
 * steps untimed, then {@code steps} steps timed in {@code steps / batch} batches; the statistics are
 * over the batches, in ms per step.
 */
public final class CpuLesBench {
    private CpuLesBench() {
    }

    /** The benchmark case: decaying LES with the default physics and a CFL-adaptive dt. */
    public static RunConfig caseFor(int n, Precision precision, String backend, double cs, int threads) {
        RunConfig d = RunConfig.defaults();
        return new RunConfig(n, precision, backend,
                new dev.eddy.config.Physics(d.physics().nu(), d.physics().mu(), cs), d.forcing(),
                new dev.eddy.config.InitialSpectrum(Math.min(10, n / 3 - 1), 0.5, 1),
                // CFL-adaptive (c = 0.5, dt ≤ 0.01): a fixed dt stable at every N does not exist (measured on the
                // H100: dt = 1e-3 blew up at N = 2048 within 15 steps); the device computes dt either way, so
                // the cost per step is the same.
                new TimeControl(1, 0, 1e-2, 0.5, "heun"), d.output(), threads);
    }

    public static Map<String, Object> time(RunConfig config, int warmup, int steps, int repeats) {
        try (Simulation sim = Simulations.create(config)) {
            long t0 = System.nanoTime();
            sim.step(Double.POSITIVE_INFINITY);
            double first = (System.nanoTime() - t0) * 1e-6;
            if (warmup > 0) {
                sim.advance(warmup, Double.POSITIVE_INFINITY);
            }
            // Timed in batches of `batch` steps through advance(): a GPU backend then replays its recorded
            // step with one host synchronisation per batch, as in a run between two outputs.
            int batch = Math.max(1, Math.min(steps / Math.max(1, repeats), sim.maxAdvance()));
            int rounds = Math.max(1, steps / batch);
            double[] ms = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                long s = System.nanoTime();
                sim.advance(batch, Double.POSITIVE_INFINITY);
                ms[i] = (System.nanoTime() - s) * 1e-6 / batch;
            }
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            double mean = Arrays.stream(ms).average().orElse(Double.NaN);
            double var = Arrays.stream(ms).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, ms.length - 1);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("n", config.n());
            r.put("precision", config.precision().label());
            r.put("backend", sim.name());
            r.put("sgs", config.physics().hasSgs());
            r.put("threads", config.threads());
            r.put("first_step_ms", first);
            r.put("warmup_steps", warmup);
            r.put("timed_steps", rounds * batch);
            r.put("steps_per_sync", batch);
            r.put("mean_ms", mean);
            r.put("median_ms", sorted[sorted.length / 2]);
            r.put("min_ms", sorted[0]);
            r.put("max_ms", sorted[sorted.length - 1]);
            r.put("stddev_ms", Math.sqrt(var));
            var profile = sim.profileStep();
            if (!profile.isEmpty()) {
                r.put("profile_ms", profile); // one extra step, with a GPU timestamp after every operation
            }
            r.put("finite", Double.isFinite(sim.maxSpeed()));
            return r;
        }
    }
}
