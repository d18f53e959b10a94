package dev.eddy.proxy;

import static org.junit.jupiter.api.Assertions.*;

import dev.eddy.config.ConfigException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The ridge learner on synthetic latents from known linear systems (host only, float64). */
@Tag("fast")
class RidgeLearnerTest {

    /** Independent trajectories from random starts (well-conditioned X Xᵀ with more pairs than d). */
    static Gram manyTrajectories(double[] a, int d, int count, int steps, double noise, long seed) {
        Random random = new Random(seed);
        double[][][] trajs = new double[count][][];
        for (int k = 0; k < count; k++) {
            trajs[k] = LinearSystems.trajectory(a, d, LinearSystems.gaussian(d, random), steps, noise, random);
        }
        return LinearSystems.gram(d, trajs);
    }

    @Test
    void recoversAKnownStableSystemExactly() {
        int d = 40;
        double[] a = LinearSystems.operator(d, d, 0.5, 0.95, 11);
        Gram g = manyTrajectories(a, d, 8, 10, 0, 12);
        assertEquals(80, g.pairs());
        for (double lambda : new double[] {0, 1e-14}) {
            LinearProxy p = RidgeLearner.learn(g, null, new ProxySettings(lambda, 0, 0));
            double err = LinearSystems.maxAbsDiff(p.a(), a);
            assertTrue(err < 1e-9, "λ_rel " + lambda + ": max |Â − A| = " + err);
            assertEquals("cholesky", p.fit().get("solver"));
            assertEquals(0.95, (double) p.fit().get("spectral_radius"), 1e-9, "ρ(A) of the learned operator");
            assertEquals(false, p.fit().get("grows"));
            assertTrue((double) p.fit().get("training_relative_residual") < 1e-6, p.fit().toString());
            assertEquals(d, p.rank());
        }
    }

    @Test
    void rankTruncationRecoversALowRankOperatorThatTheFullSolveCannot() {
        int d = 48;
        int r = 6;
        long seed = 21;
        double[] a = LinearSystems.operator(d, r, 0.7, 0.97, seed);
        Random random = new Random(22);
        double[][][] trajs = new double[3][][];
        for (int k = 0; k < trajs.length; k++) { // starts inside the invariant subspace span(q_0 … q_{r−1})
            double[] z0 = new double[d];
            for (int c = 0; c < r; c++) {
                double w = random.nextGaussian();
                double[] q = LinearSystems.basisColumn(d, seed, c);
                for (int i = 0; i < d; i++) {
                    z0[i] += w * q[i];
                }
            }
            trajs[k] = LinearSystems.trajectory(a, d, z0, 12, 0, random);
        }
        Gram g = LinearSystems.gram(d, trajs);
        LinearProxy p = RidgeLearner.learn(g, null, new ProxySettings(0, r, 0));
        double err = LinearSystems.maxAbsDiff(p.a(), a);
        assertTrue(err < 1e-9, "rank " + r + ": max |Â − A| = " + err);
        assertEquals(r, p.rank());
        assertEquals("symmetric-eigen", p.fit().get("solver"));
        assertEquals(0.97, (double) p.fit().get("spectral_radius"), 1e-9);
        assertEquals(1.0, (double) p.fit().get("rank_energy_kept"), 1e-12);
        // the data span only r of the d directions: the full λ = 0 system is singular, and says so
        var e = assertThrows(ConfigException.class, () -> RidgeLearner.learn(g, null, new ProxySettings(0, 0, 0)));
        assertTrue(e.getMessage().contains("lambda > 0"), e.getMessage());
        // one rank too many is singular in the kept eigenvalues
        var e2 = assertThrows(ConfigException.class, () -> RidgeLearner.learn(g, null, new ProxySettings(0, r + 1, 0)));
        assertTrue(e2.getMessage().contains("numerical rank"), e2.getMessage());
    }

    /** Noisy pairs, barely more than d: λ = 0 overfits the noise, a huge λ shrinks A towards 0. */
    static Gram[] noisySplit() {
        int d = 30;
        double[] a = LinearSystems.operator(d, d, 0.6, 0.9, 31);
        Gram train = manyTrajectories(a, d, 4, 10, 0.05, 32);
        Gram validation = manyTrajectories(a, d, 4, 10, 0.05, 33);
        return new Gram[] {train, validation};
    }

    @Test
    void lambdaByValidationBeatsBothEndsOfTheGrid() {
        Gram[] split = noisySplit();
        LinearProxy p = RidgeLearner.learn(split[0], split[1], new ProxySettings(ProxySettings.AUTO, 0, 0.25));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> table = (List<Map<String, Object>>) p.fit().get("validation");
        assertEquals(RidgeLearner.LAMBDA_GRID.length, table.size());
        double chosen = (double) p.fit().get("validation_relative_error");
        double atZero = (double) table.get(0).get("relative_error");
        double atLargest = (double) table.get(table.size() - 1).get("relative_error");
        double lambdaRel = (double) p.fit().get("lambda_relative");
        assertTrue(chosen <= atZero && chosen <= atLargest, "chosen " + chosen + " vs λ=0 " + atZero + ", largest " + atLargest);
        assertTrue(lambdaRel > 0 && lambdaRel < 1, "with 40 noisy pairs for d = 30 the best λ is inside the grid, got " + lambdaRel);
        assertTrue(chosen < 0.95 * atZero, "regularising must help on this data: " + chosen + " vs " + atZero);
        assertEquals("validation", p.fit().get("lambda_choice"));
        assertEquals(lambdaRel * split[0].plus(split[1]).traceXX() / 30, p.lambda(), 1e-12 * p.lambda(), "λ rescaled for all pairs");
    }

    @Test
    void validationErrorFromGramsEqualsTheErrorOnThePairs() {
        int d = 30;
        double[] a = LinearSystems.operator(d, d, 0.6, 0.9, 31);
        Random random = new Random(41);
        double[][] trainTraj = LinearSystems.trajectory(a, d, LinearSystems.gaussian(d, random), 60, 0.2, random);
        double[][] valTraj = LinearSystems.trajectory(a, d, LinearSystems.gaussian(d, random), 15, 0.2, random);
        Gram train = LinearSystems.gram(d, trainTraj);
        Gram val = LinearSystems.gram(d, valTraj);
        double lambdaRel = 1e-3;
        LinearProxy withVal = RidgeLearner.learn(train, val, new ProxySettings(lambdaRel, 0, 0.2));
        LinearProxy trainOnly = RidgeLearner.learn(train, null, new ProxySettings(lambdaRel, 0, 0));
        double num = 0;
        double den = 0;
        for (int t = 0; t + 1 < valTraj.length; t++) {
            double[] pred = trainOnly.apply(valTraj[t]);
            for (int i = 0; i < d; i++) {
                num += (valTraj[t + 1][i] - pred[i]) * (valTraj[t + 1][i] - pred[i]);
                den += valTraj[t + 1][i] * valTraj[t + 1][i];
            }
        }
        assertEquals(Math.sqrt(num / den), (double) withVal.fit().get("validation_relative_error"), 1e-9);
        // the training residual of the train-only fit, also from Grams, against the pairs
        num = 0;
        den = 0;
        for (int t = 0; t + 1 < trainTraj.length; t++) {
            double[] pred = trainOnly.apply(trainTraj[t]);
            for (int i = 0; i < d; i++) {
                num += (trainTraj[t + 1][i] - pred[i]) * (trainTraj[t + 1][i] - pred[i]);
                den += trainTraj[t + 1][i] * trainTraj[t + 1][i];
            }
        }
        assertEquals(Math.sqrt(num / den), (double) trainOnly.fit().get("training_relative_residual"), 1e-9);
    }

    @Test
    void aGrowingOperatorIsReported() {
        int d = 24;
        double[] a = LinearSystems.operator(d, d, 0.5, 1.05, 51);
        Gram g = manyTrajectories(a, d, 6, 8, 0, 52);
        LinearProxy p = RidgeLearner.learn(g, null, new ProxySettings(0, 0, 0));
        assertEquals(1.05, (double) p.fit().get("spectral_radius"), 1e-9);
        assertEquals(true, p.fit().get("grows"));
        assertEquals(2L, p.fit().get("eigenvalues_outside_unit_circle"), "one complex pair at modulus 1.05");
        // the power-iteration estimate used beyond Spectrum.EXACT_MAX, on the same operator
        assertEquals(1.05, Spectrum.powerEstimate(p.a(), d), 0.02);
    }

    @Test
    void gramBlocksPartitionThePairsAndThreadsDoNotChangeTheBits() {
        int d = 20;
        double[] a = LinearSystems.operator(d, d, 0.5, 0.9, 61);
        Random random = new Random(62);
        double[][] z = LinearSystems.trajectory(a, d, LinearSystems.gaussian(d, random), 30, 0.1, random);
        try (CpuGram one = new CpuGram(d, 1); CpuGram two = new CpuGram(d, 2); CpuGram split = new CpuGram(d, 2)) {
            for (int t = 0; t < z.length; t++) {
                one.add(z[t]);
                two.add(z[t]);
                if (t == 20) {
                    split.split();
                }
                split.add(z[t]);
            }
            assertArrayEquals(one.gram().xx(), two.gram().xx());
            assertArrayEquals(one.gram().yx(), two.gram().yx());
            List<Gram> blocks = split.blocks();
            assertEquals(2, blocks.size());
            assertEquals(19, blocks.get(0).pairs(), "pairs (z0,z1) … (z18,z19)");
            assertEquals(11, blocks.get(1).pairs(), "the pair (z19, z20) straddling the split is the first held out");
            Gram sum = split.gram();
            assertEquals(30, sum.pairs());
            double scale = LinearSystems.maxAbs(one.gram().xx());
            assertTrue(LinearSystems.maxAbsDiff(sum.xx(), one.gram().xx()) < 1e-13 * scale);
            assertTrue(LinearSystems.maxAbsDiff(sum.yx(), one.gram().yx()) < 1e-13 * scale);
            assertEquals(one.gram().yy(), sum.yy(), 1e-13 * one.gram().yy());
            // X Xᵀ of the held-out block from its own pairs
            double xx00 = 0;
            for (int t = 19; t < 30; t++) {
                xx00 += z[t][0] * z[t][0];
            }
            assertEquals(xx00, blocks.get(1).xx()[0], 1e-13 * xx00);
        }
    }

    @Test
    void badSettingsAndInputsGiveClearErrors() {
        var e = assertThrows(ConfigException.class, () -> new ProxySettings(-1e-3, 0, 0));
        assertTrue(e.getMessage().contains("≥ 0"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> new ProxySettings(Double.POSITIVE_INFINITY, 0, 0));
        assertTrue(e.getMessage().contains("finite"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> new ProxySettings(1e-6, -2, 0));
        assertTrue(e.getMessage().contains("rank"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> new ProxySettings(1e-6, 0, 0.5));
        assertTrue(e.getMessage().contains("[0, 0.5)"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> new ProxySettings(1e-6, 0, Double.NaN));
        assertTrue(e.getMessage().contains("[0, 0.5)"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> new ProxySettings(ProxySettings.AUTO, 0, 0));
        assertTrue(e.getMessage().contains("validation fraction > 0"), e.getMessage());

        int d = 12;
        Gram g = manyTrajectories(LinearSystems.operator(d, d, 0.5, 0.9, 71), d, 3, 8, 0, 72);
        e = assertThrows(ConfigException.class, () -> RidgeLearner.learn(g, null, new ProxySettings(0, d + 1, 0)));
        assertTrue(e.getMessage().contains("rank 13 exceeds the latent dimension d = 12"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> RidgeLearner.learn(Gram.zero(d), null, new ProxySettings(0, 0, 0)));
        assertTrue(e.getMessage().contains("no latent pairs"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> RidgeLearner.learn(g, null, new ProxySettings(ProxySettings.AUTO, 0, 0.2)));
        assertTrue(e.getMessage().contains("needs validation pairs"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RidgeLearner.learn(g, Gram.zero(d + 1), new ProxySettings(0, 0, 0.2)));
        assertThrows(IllegalArgumentException.class, () -> g.plus(Gram.zero(d + 1)));

        ProxySettings s = new ProxySettings(ProxySettings.AUTO, 0, 0.2);
        assertEquals(20, s.validationPairs(100));
        assertEquals(1, s.validationPairs(2), "at least one held out, at least one kept");
        e = assertThrows(ConfigException.class, () -> s.validationPairs(1));
        assertTrue(e.getMessage().contains("at least 2 latent pairs"), e.getMessage());
        assertEquals(0, new ProxySettings(1e-6, 0, 0).validationPairs(100));
        assertEquals(81, s.splitBeforeLatent(101), "100 pairs, 20 held out: split before z81, so (z80, z81) … (z99, z100)");
        assertEquals(101, new ProxySettings(1e-6, 0, 0).splitBeforeLatent(101));
        try (CpuGram c = new CpuGram(3, 1)) { // the helper and the accumulator agree on the pair counts
            for (int t = 0; t < 101; t++) {
                if (t == s.splitBeforeLatent(101)) {
                    c.split();
                }
                c.add(new double[] {t, 1, -t});
            }
            assertEquals(80, c.blocks().get(0).pairs());
            assertEquals(20, c.blocks().get(1).pairs());
        }
    }
}
