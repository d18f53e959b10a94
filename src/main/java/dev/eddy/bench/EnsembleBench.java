package dev.eddy.bench;

import dev.eddy.backend.Backend;
import dev.eddy.config.BackendKind;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.config.RunConfig;
import dev.eddy.numerics.Precision;
import dev.eddy.report.bench.MemoryFloor;
import dev.eddy.sim.Ensemble;
import dev.eddy.sim.Ensembles;
import dev.eddy.sim.MemberStatus;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.LongStream;

/**
 * Times ensemble steps: B members of one N advanced together ({@link Ensembles}), each with its own seed
 * and its own CFL dt, in the benchmark case of the single LES ({@link CpuLesBench#caseFor}). The first
 * step apart, then {@code warmup} steps untimed, then timed batches of steps, each one advance() (one host
 * synchronisation per batch, as in a run between two outputs). Reported per ensemble step and per
 * member-step (the ensemble step's time over B), with the bandwidth floor of a member-step beside it.
 *
 * <p>The floor (design §7, {@link MemoryFloor}): a right-hand-side evaluation of the batched-FFT algorithm
 * moves about 230·N² bytes per member in fp32 (the spectral fields, two passes of each FFT over the 6 inverse
 * and 3 forward fields, the products, the explicit term and the combination: ≈ 60 field passes of N(N+2)
 * reals), so a member-step of a stepper with s evaluations moves 230·s·N² bytes in fp32 and twice that in
 * fp64; over the device's bandwidth (4.26 TB/s on the H200) that is the floor's ms per member-step.
 */
public final class EnsembleBench {
    /** What the bytes-per-member-step floor assumes, for the JSON. */
    public static final String FLOOR_MODEL = "230·s·N² bytes per member-step in fp32 (×2 in fp64), s = right-hand-side evaluations"
            + " per step: design §7's 460·N² per RK2 step; ms at the H200's 4.26 TB/s (report/bench/MemoryFloor)";

    private EnsembleBench() {
    }

    /** The case: {@link CpuLesBench#caseFor}'s decaying LES, {@code members} seeds 1 … B, each member its own CFL dt. */
    public static EnsembleConfig caseFor(int n, int members, Precision precision, BackendKind backend, double cs, String stepper, double cfl,
                                         int threads) {
        RunConfig base = CpuLesBench.caseFor(n, precision, backend, cs, stepper, cfl, threads);
        return EnsembleConfig.sweep(base, LongStream.rangeClosed(1, members).boxed().toList(), null, null, null, null, false);
    }

    /**
     * @param seconds with {@code seconds > 0}, at least as many timed steps as fill that many seconds at the
     *                warm-up's pace (else exactly {@code steps})
     */
    public static Map<String, Object> time(EnsembleConfig config, Backend backend, int warmup, int steps, int repeats, double seconds) {
        int b = config.size();
        double[] open = new double[b];
        Arrays.fill(open, Double.POSITIVE_INFINITY);
        long s0 = System.nanoTime();
        try (Ensemble e = Ensembles.create(config, backend)) {
            double setup = (System.nanoTime() - s0) * 1e-6;
            long t0 = System.nanoTime();
            e.advance(1, open);
            double first = (System.nanoTime() - t0) * 1e-6;
            long w0 = System.nanoTime();
            advance(e, warmup, open);
            double warmMs = warmup > 0 ? (System.nanoTime() - w0) * 1e-6 / warmup : first;
            int timed = steps;
            if (seconds > 0) {
                timed = (int) Math.max(steps, Math.min(1_000_000, Math.ceil(seconds * 1e3 / Math.max(warmMs, 1e-6))));
            }
            int batch = Math.max(1, Math.min(timed / Math.max(1, repeats), e.maxAdvance()));
            int rounds = Math.max(1, timed / batch);
            double[] ms = new double[rounds];
            double timeFrom = meanTime(e);
            for (int i = 0; i < rounds; i++) {
                long s = System.nanoTime();
                e.advance(batch, open);
                ms[i] = (System.nanoTime() - s) * 1e-6 / batch;
            }
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            double mean = Arrays.stream(ms).average().orElse(Double.NaN);
            int rhs = config.base().time().tableau().stages();
            String precision = config.base().precision().label();
            double floorMs = MemoryFloor.H200.ms(config.base().n(), precision, rhs);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("n", config.base().n());
            r.put("members", b);
            r.put("precision", precision);
            r.put("backend", e.name());
            r.put("stepper", config.base().time().stepper());
            r.put("cfl", config.base().time().cfl());
            r.put("rhs_evaluations", rhs);
            r.put("shared_dt", config.sharedDt());
            r.put("setup_ms", setup);
            r.put("first_step_ms", first);
            r.put("warmup_steps", warmup);
            r.put("timed_steps", rounds * batch);
            r.put("steps_per_sync", batch);
            r.put("ms_per_step", mean);
            r.put("median_ms_per_step", sorted[sorted.length / 2]);
            r.put("min_ms_per_step", sorted[0]);
            r.put("max_ms_per_step", sorted[sorted.length - 1]);
            r.put("ms_per_member_step", mean / b);
            r.put("member_steps_per_second", 1e3 * b / mean);
            r.put("ms_per_member_rhs", mean / b / rhs);
            r.put("mean_dt", (meanTime(e) - timeFrom) / (rounds * batch));
            r.put("floor_bytes_per_member_step", floorMs * 1e-3 * MemoryFloor.H200.bytesPerSecond());
            r.put("floor_ms_per_member_step_h200", floorMs);
            r.put("times_floor_h200", mean / b / floorMs);
            r.put("device_bytes", e.memoryMap().stream().filter(m -> "device_local".equals(m.get("memory")))
                    .mapToLong(m -> ((Number) m.get("bytes")).longValue()).sum());
            r.put("device_states", e.memoryMap().stream().map(m -> m.getOrDefault("group", 0)).distinct().count());
            r.put("les_transforms", e.transforms());
            var profile = e.profileStep();
            if (!profile.isEmpty()) {
                r.put("profile_ms", profile); // one extra ensemble step, GPU timestamps after every operation (the first group's)
            }
            long dropped = LongStream.range(0, b).filter(m -> e.status((int) m).phase() == MemberStatus.Phase.DROPPED).count();
            r.put("dropped", dropped);
            r.put("finite", dropped == 0 && Arrays.stream(e.diagnostics()).allMatch(dev.eddy.sim.FlowDiagnostics::finite));
            return r;
        }
    }

    private static double meanTime(Ensemble e) {
        double t = 0;
        for (int m = 0; m < e.members(); m++) {
            t += e.status(m).time();
        }
        return t / e.members();
    }

    /** {@code count} steps in advance() calls of at most {@link Ensemble#maxAdvance()} steps. */
    private static void advance(Ensemble e, int count, double[] open) {
        for (int left = count; left > 0; ) {
            int k = Math.min(left, e.maxAdvance());
            e.advance(k, open);
            left -= k;
        }
    }

    /** A case that could not run (the memory check refused it): what, and why. */
    public static Map<String, Object> skipped(EnsembleConfig config, String why) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("n", config.base().n());
        r.put("members", config.size());
        r.put("precision", config.base().precision().label());
        r.put("why", why);
        return r;
    }
}
