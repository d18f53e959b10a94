package dev.eddy.proxy;

import static org.junit.jupiter.api.Assertions.*;

import dev.eddy.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.ejml.data.Complex_F64;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The snapshot (dual) form of the ridge fit against the primal form it replaces when m &lt; d: the same A (to
 * 1e-10 relative in fp64), the same λ chosen by validation, the same spectrum, the same refusals; the
 * automatic choice of form; the factored operator against its explicit matrix.
 */
@Tag("fast")
class DualRidgeTest {
    /**
     * LES-like latents: a few slow rotating modes with a decaying amplitude per direction (the latents'
     * spectrum falls with wavenumber) plus small-scale noise: z_t = B s_t + σ·n_t with s ∈ R^k rotating at
     * moduli in [0.97, 0.999], B's columns of norm 1/(1+c), n_t white.
     */
    static double[] latents(int d, int columns, int k, double sigma, long seed) {
        Random random = new Random(seed);
        double[] b = new double[d * k];
        for (int c = 0; c < k; c++) {
            double norm = 0;
            for (int i = 0; i < d; i++) {
                double v = random.nextGaussian() / (1 + 0.05 * i); // energy falls along the latent index
                b[c * d + i] = v;
                norm += v * v;
            }
            for (int i = 0; i < d; i++) {
                b[c * d + i] /= Math.sqrt(norm) * (1 + c);
            }
        }
        double[] s = new double[k];
        for (int c = 0; c < k; c++) {
            s[c] = random.nextGaussian();
        }
        double[] z = new double[d * columns];
        for (int t = 0; t < columns; t++) {
            for (int c = 0; c < k; c++) {
                for (int i = 0; i < d; i++) {
                    z[t * d + i] += b[c * d + i] * s[c];
                }
            }
            for (int i = 0; i < d; i++) {
                z[t * d + i] += sigma * random.nextGaussian() / (1 + 0.05 * i);
            }
            for (int c = 0; c + 1 < k; c += 2) { // rotate the pairs of modes
                double modulus = 0.97 + 0.029 * c / k;
                double angle = 0.2 + 0.3 * c;
                double x = s[c];
                double y = s[c + 1];
                s[c] = modulus * (Math.cos(angle) * x - Math.sin(angle) * y);
                s[c + 1] = modulus * (Math.sin(angle) * x + Math.cos(angle) * y);
            }
        }
        return z;
    }

    static double relativeFrobenius(double[] want, double[] got) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < want.length; i++) {
            num += (want[i] - got[i]) * (want[i] - got[i]);
            den += want[i] * want[i];
        }
        return Math.sqrt(num / den);
    }

    /** (d, latents L, settings): m = L − 1 pairs below and above d, λ fixed and auto, full and rank 6. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(120, 41, new ProxySettings(1e-2, 0, 0)),
                Arguments.of(120, 41, new ProxySettings(1e-3, 0, 0.2)),
                Arguments.of(120, 41, new ProxySettings(ProxySettings.AUTO, 0, 0.2)),
                Arguments.of(120, 41, new ProxySettings(1e-4, 6, 0)),
                Arguments.of(120, 41, new ProxySettings(ProxySettings.AUTO, 6, 0.25)),
                Arguments.of(30, 101, new ProxySettings(1e-2, 0, 0)),
                Arguments.of(30, 101, new ProxySettings(ProxySettings.AUTO, 0, 0.2)),
                Arguments.of(30, 101, new ProxySettings(1e-3, 6, 0)),
                Arguments.of(30, 101, new ProxySettings(ProxySettings.AUTO, 6, 0.2)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void theDualFormLearnsThePrimalOperator(int d, int columns, ProxySettings s) {
        double[] z = latents(d, columns, 8, 0.01, 7);
        Snapshots snaps = Snapshots.sequence(z, d, columns, s.splitBeforeLatent(columns));
        LinearProxy primal = RidgeLearner.learn(snaps, null, s, RidgeForm.PRIMAL);
        LinearProxy dual = RidgeLearner.learn(snaps, null, s, RidgeForm.DUAL);
        assertEquals("primal", primal.fit().get("form"));
        assertEquals("dual", dual.fit().get("form"));
        assertTrue(dual.factors().isPresent() && primal.factors().isEmpty());
        assertEquals(primal.fit().get("lambda_relative"), dual.fit().get("lambda_relative"), "both forms choose the same λ");
        assertEquals(primal.lambda(), dual.lambda(), 1e-12 * primal.lambda());
        assertEquals(primal.rank(), dual.rank());
        double err = relativeFrobenius(primal.a(), dual.a());
        System.out.printf(java.util.Locale.ROOT, "d=%d m=%d %s: λ_rel %s, ‖A_dual − A_primal‖/‖A_primal‖ = %.2e%n", d, columns - 1, s,
                dual.fit().get("lambda_relative"), err);
        assertTrue(err < 1e-10, "dual A against primal A: " + err);
        assertEquals((double) primal.fit().get("training_relative_residual"), (double) dual.fit().get("training_relative_residual"), 1e-7);
        assertEquals((double) primal.fit().get("spectral_radius"), (double) dual.fit().get("spectral_radius"), 1e-9);
        if (s.validationFraction() > 0) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> tp = (List<Map<String, Object>>) primal.fit().get("validation");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> td = (List<Map<String, Object>>) dual.fit().get("validation");
            assertEquals(tp.size(), td.size());
            for (int k = 0; k < tp.size(); k++) {
                Object ep = tp.get(k).get("relative_error");
                Object ed = td.get(k).get("relative_error");
                assertEquals(ep == null, ed == null, "the same λ are singular in both forms: " + tp.get(k) + " / " + td.get(k));
                if (ep != null && (double) tp.get(k).get("lambda_relative") >= 1e-6) { // below, the primal's own error is κε
                    assertEquals((double) ep, (double) ed, 1e-8, "held-out error at λ_rel " + tp.get(k).get("lambda_relative"));
                }
            }
        }
    }

    @Test
    void theDualEigenvaluesAreThePrimalOperatorsNonzeroEigenvalues() {
        int d = 90;
        int columns = 31;
        double[] z = latents(d, columns, 8, 0.05, 17);
        ProxySettings s = new ProxySettings(1e-2, 0, 0);
        Snapshots snaps = Snapshots.sequence(z, d, columns, columns);
        LinearProxy primal = RidgeLearner.learn(snaps, null, s, RidgeForm.PRIMAL);
        LinearProxy dual = RidgeLearner.learn(snaps, null, s, RidgeForm.DUAL);
        List<Complex_F64> all = Spectrum.eigenvalues(primal); // d of them, d − m ≈ 0
        List<Complex_F64> small = Spectrum.eigenvalues(dual); // m of them
        assertEquals(columns - 1, small.size());
        assertEquals(d, all.size());
        double scale = all.get(0).getMagnitude();
        for (int k = columns - 1; k < d; k++) {
            assertTrue(all.get(k).getMagnitude() < 1e-10 * scale, "primal eigenvalue " + k + " is zero: " + all.get(k));
        }
        List<Complex_F64> pool = new ArrayList<>(all.subList(0, columns - 1));
        for (Complex_F64 v : small) { // each dual eigenvalue matches a distinct primal one
            int best = 0;
            for (int k = 1; k < pool.size(); k++) {
                if (distance(pool.get(k), v) < distance(pool.get(best), v)) {
                    best = k;
                }
            }
            assertTrue(distance(pool.get(best), v) < 1e-9 * scale, "dual eigenvalue " + v + " nearest primal " + pool.get(best));
            pool.remove(best);
        }
        assertEquals((long) primal.fit().get("eigenvalues_outside_unit_circle"), (long) dual.fit().get("eigenvalues_outside_unit_circle"));
    }

    static double distance(Complex_F64 a, Complex_F64 b) {
        return Math.hypot(a.real - b.real, a.imaginary - b.imaginary);
    }

    @Test
    void theFormIsChosenBySizeAndReported() {
        int d = 40;
        ProxySettings s = new ProxySettings(1e-3, 0, 0);
        double[] few = latents(d, 21, 6, 0.05, 3);
        LinearProxy dual = RidgeLearner.learn(Snapshots.sequence(few, d, 21, 21), null, s);
        assertEquals("dual", dual.fit().get("form"), "20 pairs < d = 40");
        assertTrue(((Map<?, ?>) dual.fit().get("timings_seconds")).containsKey("eigen"));
        double[] many = latents(d, 61, 6, 0.05, 3);
        LinearProxy primal = RidgeLearner.learn(Snapshots.sequence(many, d, 61, 61), null, s);
        assertEquals("primal", primal.fit().get("form"), "60 pairs ≥ d = 40");
        assertEquals(RidgeForm.DUAL, RidgeForm.choose(1122, 40));
        assertEquals(RidgeForm.PRIMAL, RidgeForm.choose(1122, 1122));
        // a snapshot Gram from elsewhere (e.g. the device) is used as given
        SnapshotGram g = SnapshotGram.compute(few, d, 0, 21, 1);
        LinearProxy same = RidgeLearner.learn(Snapshots.sequence(few, d, 21, 21), g, s);
        assertArrayEquals(dual.factors().get().left(), same.factors().get().left());
        assertArrayEquals(dual.factors().get().right(), same.factors().get().right());
    }

    @Test
    void theWarmUpRunsWithoutTouchingAnything() {
        assertDoesNotThrow(RidgeLearner::warmUp);
    }

    @Test
    void theDualFormRefusesWhatThePrimalRefuses() {
        int d = 60;
        double[] z = latents(d, 21, 6, 0.05, 5);
        Snapshots snaps = Snapshots.sequence(z, d, 21, 21);
        for (RidgeForm form : new RidgeForm[] {RidgeForm.PRIMAL, RidgeForm.DUAL}) {
            // 20 pairs span 20 of 60 directions: the full operator at λ = 0 is singular in both forms
            var e = assertThrows(ConfigException.class, () -> RidgeLearner.learn(snaps, null, new ProxySettings(0, 0, 0), form));
            assertTrue(e.getMessage().contains("lambda > 0"), form + ": " + e.getMessage());
            // rank 25 > 20 pairs at λ = 0 likewise
            e = assertThrows(ConfigException.class, () -> RidgeLearner.learn(snaps, null, new ProxySettings(0, 25, 0), form));
            assertTrue(e.getMessage().contains("numerical rank"), form + ": " + e.getMessage());
        }
        // and with validation, λ_rel = 0 is marked singular and never chosen
        Snapshots split = Snapshots.sequence(z, d, 21, new ProxySettings(ProxySettings.AUTO, 0, 0.2).splitBeforeLatent(21));
        LinearProxy p = RidgeLearner.learn(split, null, new ProxySettings(ProxySettings.AUTO, 0, 0.2), RidgeForm.DUAL);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> table = (List<Map<String, Object>>) p.fit().get("validation");
        assertNull(table.get(0).get("relative_error"));
        assertTrue((double) p.fit().get("lambda_relative") > 0);
        var e = assertThrows(ConfigException.class, () -> RidgeLearner.learn(
                Snapshots.sequence(new double[d * 3], d, 3, 3), null, new ProxySettings(1e-3, 0, 0), RidgeForm.DUAL));
        assertTrue(e.getMessage().contains("zero"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> RidgeLearner.learn(snaps, null, new ProxySettings(ProxySettings.AUTO, 0, 0.2), RidgeForm.DUAL));
        assertTrue(e.getMessage().contains("needs validation pairs"), e.getMessage());
    }

    @Test
    void theHeldOutErrorFromSmallMatricesEqualsTheErrorOnThePairs() {
        int d = 80;
        int columns = 41;
        double[] z = latents(d, columns, 6, 0.1, 23);
        ProxySettings s = new ProxySettings(1e-3, 0, 0.25);
        long split = s.splitBeforeLatent(columns);
        Snapshots snaps = Snapshots.sequence(z, d, columns, split);
        LinearProxy withVal = RidgeLearner.learn(snaps, null, s, RidgeForm.DUAL);
        Snapshots trainOnly = new Snapshots(d, columns, z, snaps.train(), SnapshotPairs.none());
        LinearProxy fitted = RidgeLearner.learn(trainOnly, null, new ProxySettings(1e-3, 0, 0), RidgeForm.DUAL);
        double num = 0;
        double den = 0;
        for (int t = 0; t < snaps.validation().size(); t++) {
            double[] x = java.util.Arrays.copyOfRange(z, snaps.validation().x()[t] * d, (snaps.validation().x()[t] + 1) * d);
            double[] pred = fitted.apply(x);
            int y = snaps.validation().y()[t] * d;
            for (int i = 0; i < d; i++) {
                num += (z[y + i] - pred[i]) * (z[y + i] - pred[i]);
                den += z[y + i] * z[y + i];
            }
        }
        assertEquals(Math.sqrt(num / den), (double) withVal.fit().get("validation_relative_error"), 1e-9);
    }

    @Test
    void factorsApplyAsTheExplicitOperatorAndTheCheaperOneIsUsed() {
        int d = 200;
        int columns = 21;
        double[] z = latents(d, columns, 6, 0.05, 29);
        LinearProxy p = RidgeLearner.learn(Snapshots.sequence(z, d, columns, columns), null, new ProxySettings(1e-3, 0, 0));
        OperatorFactors f = p.factors().orElseThrow();
        assertEquals(20, f.m());
        assertEquals(2L * 200 * 20, f.applyMacs());
        assertTrue(p.factorsCheaper() && CpuRollout_F64.usesFactors(p));
        assertFalse(p.explicitFormed(), "A is not formed until asked for");
        double[] v = new Random(30).doubles(d, -1, 1).toArray();
        double[] viaFactors = p.apply(v);
        double[] a = p.a();
        assertTrue(p.explicitFormed());
        double[] viaA = LinearSystems.apply(a, d, v);
        assertTrue(LinearSystems.maxAbsDiff(viaA, viaFactors) < 1e-12 * LinearSystems.maxAbs(viaA));
        // the host rollout: factors against the GEMV twin with the explicit A, batch of 3, threads 1 and 2
        double[] z0 = new Random(31).doubles(3L * d, -1, 1).toArray();
        try (CpuRollout_F64 one = new CpuRollout_F64(d, 3, 1); CpuRollout_F64 two = new CpuRollout_F64(d, 3, 2)) {
            double[] factored = two.run(p, z0, 12);
            double[] gemv = one.run(a, z0, 12);
            assertArrayEquals(factored, one.run(p, z0, 12), "the factored rollout does not depend on the thread count");
            assertTrue(LinearSystems.maxAbsDiff(gemv, factored) < 1e-11 * LinearSystems.maxAbs(gemv));
        }
        try (CpuRollout_F32 r = new CpuRollout_F32(d, 1, 2)) {
            double[] f32 = r.run(p, java.util.Arrays.copyOf(z0, d), 12);
            double[] f64;
            try (CpuRollout_F64 r64 = new CpuRollout_F64(d, 1, 2)) {
                f64 = r64.run(p, java.util.Arrays.copyOf(z0, d), 12);
            }
            double rel = LinearSystems.maxAbsDiff(f64, f32) / LinearSystems.maxAbs(f64);
            assertTrue(rel > 0 && rel < 1e-4, "float32 factors near float64: " + rel);
        }
        // with more pairs than d/2 the GEMV is cheaper, and the rollout uses it (bit for bit)
        int d2 = 30;
        double[] z2 = latents(d2, 21, 6, 0.05, 33);
        LinearProxy q = RidgeLearner.learn(Snapshots.sequence(z2, d2, 21, 21), null, new ProxySettings(1e-3, 0, 0), RidgeForm.DUAL);
        assertFalse(q.factorsCheaper(), "2·30·20 > 30²");
        try (CpuRollout_F64 r = new CpuRollout_F64(d2, 1, 2)) {
            double[] start = java.util.Arrays.copyOf(z2, d2);
            assertArrayEquals(r.run(q.a(), start, 5), r.run(q, start, 5));
        }
    }

    /**
     * A smooth flow sampled finely gives nearly dependent snapshots (here cond(XᵀX + λI) ≈ 1e9): with the factors
     * of an m×m core (A = Z_Y C Z_Xᵀ, C's entries ~1e10 of A's) a float32 rollout was 35% off after one
     * step and float64 kept 4 digits. With A = L Rᵀ, R orthonormal, both roll out as the explicit A does.
     */
    @Test
    void nearlyDependentSnapshotsRollOutAsTheExplicitOperatorInBothPrecisions() {
        int d = 120;
        int columns = 25;
        Random random = new Random(41);
        double[][] modes = new double[4][d];
        for (double[] mode : modes) {
            for (int i = 0; i < d; i++) {
                mode[i] = random.nextGaussian() / (1 + 0.1 * i);
            }
        }
        double[] z = new double[d * columns];
        for (int t = 0; t < columns; t++) {
            for (int c = 0; c < modes.length; c++) {
                double amplitude = Math.cos(0.05 * (c + 1) * t + c); // slow: neighbouring snapshots differ little
                for (int i = 0; i < d; i++) {
                    z[t * d + i] += amplitude * modes[c][i];
                }
            }
            for (int i = 0; i < d; i++) {
                z[t * d + i] += 1e-6 * random.nextGaussian();
            }
        }
        LinearProxy p = RidgeLearner.learn(Snapshots.sequence(z, d, columns, columns), null, new ProxySettings(1e-9, 0, 0),
                RidgeForm.DUAL);
        double ratio = (double) p.fit().get("shifted_gram_eigenvalue_ratio");
        assertTrue(ratio < 1e-8, "the case is ill-conditioned: " + ratio);
        assertTrue(p.factorsCheaper());
        double[] z0 = java.util.Arrays.copyOfRange(z, (columns - 1) * d, columns * d);
        double[] explicit;
        double[] f64;
        try (CpuRollout_F64 r = new CpuRollout_F64(d, 1, 2)) {
            explicit = r.run(p.a(), z0, 6);
            f64 = r.run(p, z0, 6);
        }
        double[] f32;
        try (CpuRollout_F32 r = new CpuRollout_F32(d, 1, 2)) {
            f32 = r.run(p, z0, 6);
        }
        double scale = LinearSystems.maxAbs(explicit);
        assertTrue(LinearSystems.maxAbsDiff(explicit, f64) < 1e-8 * scale, "float64 factors: " + LinearSystems.maxAbsDiff(explicit, f64) / scale);
        assertTrue(LinearSystems.maxAbsDiff(explicit, f32) < 1e-4 * scale, "float32 factors: " + LinearSystems.maxAbsDiff(explicit, f32) / scale);
    }

    @Test
    void snapshotPrimalGramsEqualTheStreamingAccumulatorsBitForBit() {
        int d = 25;
        int columns = 31;
        double[] z = latents(d, columns, 6, 0.1, 37);
        ProxySettings s = new ProxySettings(ProxySettings.AUTO, 0, 0.2);
        long split = s.splitBeforeLatent(columns);
        Snapshots snaps = Snapshots.sequence(z, d, columns, split);
        try (CpuGram c = new CpuGram(d, 2); dev.eddy.numerics.Parallel p = new dev.eddy.numerics.Parallel(2)) {
            for (int t = 0; t < columns; t++) {
                if (t == split) {
                    c.split();
                }
                c.add(java.util.Arrays.copyOfRange(z, t * d, (t + 1) * d));
            }
            List<Gram> blocks = c.blocks();
            Gram train = snaps.primalGram(snaps.train(), p);
            Gram val = snaps.primalGram(snaps.validation(), p);
            assertEquals(blocks.get(0).pairs(), train.pairs());
            assertEquals(blocks.get(1).pairs(), val.pairs());
            assertArrayEquals(blocks.get(0).xx(), train.xx());
            assertArrayEquals(blocks.get(1).yx(), val.yx());
            assertEquals(blocks.get(1).yy(), val.yy());
        }
    }
}
