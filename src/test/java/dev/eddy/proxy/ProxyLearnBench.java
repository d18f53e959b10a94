package dev.eddy.proxy;

import dev.eddy.numerics.Parallel;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * Host timings of the proxy's learn and CPU rollout (issue 14), a main rather than a test (nothing to
 * assert; the numbers go to planning/benchmarks/). Run from the repository root after
 * {@code mvn -q -B test-compile}:
 * <pre>
 *   java -cp target/classes:target/test-classes:$(cat target/cp.txt) dev.eddy.proxy.ProxyLearnBench [quick]
 * </pre>
 * ({@code mvn -q dependency:build-classpath -Dmdep.outputFile=target/cp.txt} writes the class path.) With
 * {@code cold} or {@code cold warm} it times one learn at d = 1122 in a fresh JVM, without or after
 * {@link RidgeLearner#warmUp()}. Latents
 * are LES-like synthetic ones ({@link DualRidgeTest#latents}); the learn runs with λ = auto and 20 % held out,
 * as the pipeline does. First call (cold JVM: class loading, JIT) and steady state (median of repeats) are
 * reported separately.
 */
public final class ProxyLearnBench {
    private ProxyLearnBench() {
    }

    public static void main(String[] args) {
        boolean quick = args.length > 0 && args[0].equals("quick");
        PrintStream out = System.out;
        if (args.length > 0 && args[0].equals("cold")) { // a fresh JVM: RidgeLearner.warmUp() (or not), then one learn
            boolean warm = args.length > 1 && args[1].equals("warm");
            long t0 = System.nanoTime();
            if (warm) {
                RidgeLearner.warmUp();
            }
            long t1 = System.nanoTime();
            out.printf(Locale.ROOT, "# cold JVM, %s; load average %s%n", warm ? "warmUp() " + String.format(Locale.ROOT, "%.0f ms", (t1 - t0) * 1e-6)
                    : "no warm-up", loadAverage());
            learn(out, 1122, 40, 1, false);
            return;
        }
        out.printf(Locale.ROOT, "# ProxyLearnBench: java %s, %d cores (availableProcessors), %s%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"));
        out.println("# load average at start (other engineers share this VM): " + loadAverage());
        learn(out, 1122, 40, 7, true);
        learn(out, 4290, 1000, quick ? 1 : 3, false); // the primal form at d = 4290 takes minutes (proxy-host-solve-devvm.txt)
        rollout(out, 650, 40, 200);
        rollout(out, 1122, 40, 200);
        rollout(out, 4290, 1000, 20);
        out.println("# load average at end: " + loadAverage());
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    /** Learn from L = snapshots latents (snapshots − 1 pairs): snapshot Gram + dual solve; explicit A; the primal path once. */
    static void learn(PrintStream out, int d, int snapshots, int repeats, boolean primalToo) {
        double[] z = DualRidgeTest.latents(d, snapshots, 12, 0.01, 7);
        ProxySettings s = new ProxySettings(ProxySettings.AUTO, 0, 0.2);
        Snapshots snaps = Snapshots.sequence(z, d, snapshots, s.splitBeforeLatent(snapshots));
        double[] gramMs = new double[repeats];
        double[] learnMs = new double[repeats];
        double[] explicitMs = new double[repeats];
        LinearProxy p = null;
        for (int k = 0; k < repeats; k++) {
            long t0 = System.nanoTime();
            SnapshotGram g = SnapshotGram.compute(z, d, 0, snapshots, 0);
            long t1 = System.nanoTime();
            p = RidgeLearner.learn(snaps, g, s);
            long t2 = System.nanoTime();
            double[] a = p.a();
            long t3 = System.nanoTime();
            if (a.length != d * d) {
                throw new IllegalStateException();
            }
            gramMs[k] = (t1 - t0) * 1e-6;
            learnMs[k] = (t2 - t1) * 1e-6;
            explicitMs[k] = (t3 - t2) * 1e-6;
            out.printf(Locale.ROOT, "learn d=%d L=%d run %d: host snapshot Gram %.1f ms, dual learn %.1f ms (%s), explicit A %.1f ms;"
                            + " λ_rel %s, ρ %.4f (%s)%n", d, snapshots, k, gramMs[k], learnMs[k], p.fit().get("timings_seconds"),
                    explicitMs[k], p.fit().get("lambda_relative"), (double) p.fit().get("spectral_radius"),
                    p.fit().get("spectral_radius_method"));
        }
        if (repeats > 1) {
            double[] steadyG = Arrays.copyOfRange(gramMs, 1, repeats);
            double[] steadyL = Arrays.copyOfRange(learnMs, 1, repeats);
            double[] steadyA = Arrays.copyOfRange(explicitMs, 1, repeats);
            out.printf(Locale.ROOT, "learn d=%d L=%d: first run %.1f ms (Gram %.1f + learn %.1f), steady median %.1f ms"
                            + " (Gram %.1f + learn %.1f); explicit A first %.1f ms, steady %.1f ms%n", d, snapshots,
                    gramMs[0] + learnMs[0], gramMs[0], learnMs[0], median(steadyG) + median(steadyL), median(steadyG), median(steadyL),
                    explicitMs[0], median(steadyA));
        }
        if (primalToo) {
            long t0 = System.nanoTime();
            LinearProxy primal = RidgeLearner.learn(snaps, null, s, RidgeForm.PRIMAL);
            long t1 = System.nanoTime();
            out.printf(Locale.ROOT, "learn d=%d L=%d primal form (host d×d Grams + solve, for comparison): %.1f ms (%s); "
                            + "‖A_dual − A_primal‖/‖A_primal‖ = %.2e%n", d, snapshots, (t1 - t0) * 1e-6,
                    primal.fit().get("timings_seconds"), DualRidgeTest.relativeFrobenius(primal.a(), p.a()));
        }
    }

    /** The shader's order one invocation at a time: CpuRollout's loop before issue 14. */
    static void gemvBefore(double[] a, int d, double[] z, int in, int out, double[] partial, int from, int to) {
        for (int i = from; i < to; i++) {
            int row = i * d;
            for (int t = 0; t < 256; t++) {
                double acc = 0;
                for (int j = t; j < d; j += 256) {
                    acc = acc + a[row + j] * z[in + j];
                }
                partial[t] = acc;
            }
            for (int s = 128; s > 0; s >>= 1) {
                for (int t = 0; t < s; t++) {
                    partial[t] = partial[t] + partial[t + s];
                }
            }
            z[out + i] = partial[0];
        }
    }

    /** ms per proxy step: the loop before, the loop now, a plain row-by-row GEMV, the factors (m pairs). */
    static void rollout(PrintStream out, int d, int pairs, int steps) {
        double[] a = new java.util.Random(1).doubles((long) d * d, -1, 1).toArray();
        for (int k = 0; k < a.length; k++) {
            a[k] /= d; // keeps the state bounded
        }
        double[] z0 = new java.util.Random(2).doubles(d, -1, 1).toArray();
        int threads = Runtime.getRuntime().availableProcessors();
        double[] before = new double[3];
        double[] now = new double[3];
        double[] plain = new double[3];
        double[] factored = new double[3];
        double[] z = DualRidgeTest.latents(d, pairs + 1, 12, 0.01, 7);
        LinearProxy p = RidgeLearner.learn(Snapshots.sequence(z, d, pairs + 1, pairs + 1), null, new ProxySettings(1e-3, 0, 0),
                RidgeForm.DUAL);
        for (int rep = 0; rep < 3; rep++) {
            try (Parallel par = new Parallel(threads)) {
                double[] traj = new double[(steps + 1) * d];
                System.arraycopy(z0, 0, traj, 0, d);
                long t0 = System.nanoTime();
                for (int t = 0; t < steps; t++) {
                    int in = t * d;
                    par.forRange(d, (from, to) -> gemvBefore(a, d, traj, in, in + d, new double[256], from, to));
                }
                before[rep] = (System.nanoTime() - t0) * 1e-6 / steps;
            }
            try (CpuRollout_F64 r = new CpuRollout_F64(d, 1, threads)) {
                long t0 = System.nanoTime();
                r.run(a, z0, steps);
                now[rep] = (System.nanoTime() - t0) * 1e-6 / steps;
                t0 = System.nanoTime();
                r.run(p, z0, steps);
                factored[rep] = (System.nanoTime() - t0) * 1e-6 / steps;
            }
            double[] v = z0.clone();
            long t0 = System.nanoTime();
            for (int t = 0; t < steps; t++) {
                double[] w = new double[d];
                for (int i = 0; i < d; i++) {
                    double sum = 0;
                    for (int j = 0; j < d; j++) {
                        sum += a[i * d + j] * v[j];
                    }
                    w[i] = sum;
                }
                v = w;
            }
            plain[rep] = (System.nanoTime() - t0) * 1e-6 / steps;
        }
        out.printf(Locale.ROOT, "rollout d=%d, %d steps, %d threads, ms/step [first, 2nd, 3rd run]: before %s, now %s, plain 1-thread GEMV %s,"
                        + " factors (m=%d, %s) %s%n", d, steps, threads, fmt(before), fmt(now), fmt(plain), pairs,
                p.factorsCheaper() ? "cheaper" : "dearer", fmt(factored));
    }

    static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < v.length; k++) {
            sb.append(k == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", v[k]));
        }
        return sb.append(']').toString();
    }
}
