package dev.eddy.bench;

import dev.eddy.backend.Backend;
import dev.eddy.config.RunConfig;
import dev.eddy.config.TimeControl;
import dev.eddy.numerics.Precision;
import dev.eddy.numerics.Reductions;
import dev.eddy.run.LesRun;
import dev.eddy.run.SnapshotWriter;
import dev.eddy.run.StageTimes;
import dev.eddy.sim.Diagnostics;
import dev.eddy.sim.PendingSnapshot;
import dev.eddy.sim.Simulation;
import dev.eddy.sim.Simulations;
import dev.eddy.sim.Snapshot;
import java.io.IOException;
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
    public static RunConfig caseFor(int n, Precision precision, dev.eddy.config.BackendKind backend, double cs, String stepper, double cfl,
                                    int threads) {
        RunConfig d = RunConfig.defaults();
        return new RunConfig(n, precision, backend,
                new dev.eddy.config.Physics(d.physics().nu(), d.physics().mu(), cs), d.forcing(),
                new dev.eddy.config.InitialSpectrum(Math.min(10, n / 3 - 1), 0.5, 1),
                // CFL-adaptive, with a cap (dt ≤ 1) that never binds: a fixed dt stable at every N does not exist (H100:
                // dt = 1e-3 blew up at N = 2048 within 15 steps); the device computes dt either way, so the cost
                // per step is the same, and the mean dt gives the cost per unit of simulated time.
                new TimeControl(1, 0, 1.0, cfl, stepper), d.output(), threads, d.health());
    }

    public static Map<String, Object> time(RunConfig config, Backend backend, int warmup, int steps, int repeats) {
        dev.eddy.sim.cpu.HostMemory.requireCpuLes(config);
        try (Simulation sim = Simulations.create(config, backend)) {
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
            double timedFrom = sim.time();
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
            int stages = config.time().tableau().stages();
            double meanDt = (sim.time() - timedFrom) / (rounds * batch);
            r.put("stepper", config.time().stepper());
            r.put("cfl", config.time().cfl());
            r.put("rhs_evaluations", stages);
            r.put("ms_per_rhs", mean / stages);
            // the CFL step of the bench's initial state (kp = 10, E = 0.5): dt scales as 1/N and with C
            r.put("mean_dt", meanDt);
            r.put("ms_per_unit_time", mean / meanDt);
            r.put("les_transforms", sim.transforms());
            var profile = sim.profileStep();
            if (!profile.isEmpty()) {
                r.put("profile_ms", profile); // one extra step, with a GPU timestamp after every operation
            }
            r.put("finite", sim.diagnostics().finite());
            return r;
        }
    }

    /** The three ways {@link #timeSnapshots} steps: no snapshots, snapshots read before stepping on, snapshots read while stepping on. */
    private enum SnapshotMode { PLAIN, SYNC, OVERLAPPED }

    /**
     * ms per step with a snapshot every {@code every} steps, consumed the way {@link LesRun} consumes
     * them (through {@link SnapshotWriter}): synchronously (read ω̂, transform on the host, then step
     * on) against overlapped (request the copy, step on, and consume the copy on the writer thread),
     * with plain stepping as the baseline. The host work per snapshot is the run's, minus the disk
     * write: ω̂ to the host, the inverse FFT, the shell spectrum. After the first step and the warm-up,
     * {@code rounds} rounds each time every mode over {@code steps} steps, in turn, so any drift of the
     * state or the clocks affects all modes alike. The medians over the rounds are reported.
     */
    public static Map<String, Object> timeSnapshots(RunConfig config, Backend backend, int warmup, int steps, int every, int rounds)
            throws IOException {
        if (every < 1 || steps < every || rounds < 1) {
            throw new IllegalArgumentException("need 1 ≤ snapshot interval (" + every + ") ≤ steps (" + steps + ") and rounds ≥ 1");
        }
        dev.eddy.sim.cpu.HostMemory.requireCpuLes(config);
        try (Simulation sim = Simulations.create(config, backend)) {
            sim.step(Double.POSITIVE_INFINITY);
            if (warmup > 0) {
                advance(sim, warmup);
            }
            Map<SnapshotMode, double[]> ms = new java.util.EnumMap<>(SnapshotMode.class);
            Map<SnapshotMode, StageTimes> stages = new java.util.EnumMap<>(SnapshotMode.class);
            long[] snapshots = new long[1];
            double[] sink = new double[1]; // consumers write here, so the host work cannot be optimised away
            for (SnapshotMode m : SnapshotMode.values()) {
                ms.put(m, new double[rounds]);
                stages.put(m, new StageTimes());
            }
            for (int r = 0; r < rounds; r++) {
                for (SnapshotMode m : SnapshotMode.values()) {
                    StageTimes times = stages.get(m);
                    long t0 = System.nanoTime();
                    try (SnapshotWriter writer = new SnapshotWriter(m == SnapshotMode.OVERLAPPED, LesRun.SNAPSHOTS_IN_FLIGHT, times)) {
                        // each chunk starts with its snapshot, so even a round's last snapshot has `every` steps to
                        // hide behind before the drain that ends the round
                        for (int done = 0; done + every <= steps; done += every) {
                            if (m != SnapshotMode.PLAIN) {
                                PendingSnapshot p = m == SnapshotMode.OVERLAPPED ? sim.requestSnapshot()
                                        : PendingSnapshot.completed(new Snapshot(sim.stepCount(), sim.time(), sim.spectralState(),
                                                sim.vorticity()));
                                writer.submit(p, s -> {
                                    double[] e = Diagnostics.spectrum(sim.grid(), s.spectralState());
                                    synchronized (sink) {
                                        sink[0] += e[1] + s.vorticity()[0];
                                    }
                                });
                                if (m == SnapshotMode.OVERLAPPED) {
                                    snapshots[0]++;
                                }
                            }
                            advance(sim, every);
                        }
                        writer.drain();
                    }
                    ms.get(m)[r] = (System.nanoTime() - t0) * 1e-6 / (steps / every * every);
                }
            }
            double plain = Reductions.median(ms.get(SnapshotMode.PLAIN));
            double sync = Reductions.median(ms.get(SnapshotMode.SYNC));
            double overlapped = Reductions.median(ms.get(SnapshotMode.OVERLAPPED));
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("snapshot_every", every);
            r.put("snapshot_rounds", rounds);
            r.put("snapshot_steps_per_round", steps / every * every);
            r.put("snapshot_host_work", "ω̂ to the host, inverse FFT on the host (float64), shell spectrum; no disk write");
            r.put("ms_per_step_plain", plain);
            r.put("ms_per_step_sync", sync);
            r.put("ms_per_step_overlapped", overlapped);
            r.put("ms_per_step_sync_all", ms.get(SnapshotMode.SYNC));
            r.put("ms_per_step_overlapped_all", ms.get(SnapshotMode.OVERLAPPED));
            r.put("hidden_ms_per_snapshot", (sync - overlapped) * every);
            r.put("snapshot_cost_sync_ms", (sync - plain) * every);
            r.put("snapshot_cost_overlapped_ms", (overlapped - plain) * every);
            // the writer thread's time per snapshot (wait for the copy, transform, spectrum), and the run thread's wait for the writer
            r.put("writer_ms_per_snapshot", 1e3 * stages.get(SnapshotMode.OVERLAPPED).seconds("snapshots") / snapshots[0]);
            r.put("run_thread_wait_ms_per_snapshot", 1e3 * stages.get(SnapshotMode.OVERLAPPED).seconds("snapshot_wait") / snapshots[0]);
            r.put("finite", Double.isFinite(sink[0]) && sim.diagnostics().finite());
            return r;
        }
    }

    /** {@code count} steps in advance() calls of at most {@link Simulation#maxAdvance()} steps. */
    private static void advance(Simulation sim, int count) {
        for (int left = count; left > 0; ) {
            int k = Math.min(left, sim.maxAdvance());
            sim.advance(k, Double.POSITIVE_INFINITY);
            left -= k;
        }
    }
}
