package dev.eddy.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.TestConfigs;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.config.EnsembleConfig.Member;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.DiagnosticSample;
import dev.eddy.sim.EnsembleSample;
import dev.eddy.sim.MemberStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ensemble's Zarr store alone: what a commit writes does not grow with the snapshots already stored
 * (counted in bytes, not timed), frames read back as written, and a resume cuts the store back to the
 * checkpoint's counts.
 */
@Tag("fast")
class ZarrEnsembleStoreTest {
    static final int N = 16;

    static EnsembleConfig config() {
        return new EnsembleConfig(TestConfigs.les(N, Precision.FP32), List.of(new Member(1, 1e-3, 0, 0.17, 0), new Member(2, 2e-3, 0, 0.17, 0),
                new Member(3, 3e-3, 0, 0.17, 0)), false);
    }

    static EnsembleStore.Frame frame(long step, int members) {
        long[] steps = new long[members];
        double[] times = new double[members];
        double[][] omega = new double[members][N * N];
        double[][] spectra = new double[members][N / 2 + 1];
        for (int m = 0; m < members; m++) {
            steps[m] = step;
            times[m] = 0.01 * step * (m + 1);
            for (int i = 0; i < N * N; i++) {
                omega[m][i] = Math.sin(0.1 * i + step + m);
            }
            for (int k = 0; k <= N / 2; k++) {
                spectra[m][k] = 1.0 / (1 + k + step + m);
            }
        }
        return new EnsembleStore.Frame(step, steps, times, omega, spectra);
    }

    static EnsembleSample sample(long step, int members) {
        List<DiagnosticSample> d = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            double[] v = new double[DiagnosticSample.valueNames().size()];
            v[0] = step;
            for (int c = 1; c < v.length; c++) {
                v[c] = 0.5 + 1e-3 * (c + step + m);
            }
            d.add(DiagnosticSample.ofValues(v, 0));
        }
        return new EnsembleSample(step, d);
    }

    static List<MemberStatus> running(int members) {
        List<MemberStatus> s = new ArrayList<>();
        for (int m = 0; m < members; m++) {
            s.add(MemberStatus.start());
        }
        return s;
    }

    /**
     * 60 checkpoints of one snapshot and two diagnostics samples each: the bytes a commit writes (the
     * partial chunks of the series and the metadata) are the same at the 60th as at the 3rd, up to the
     * digits of the lengths in the metadata (ensemble.h5 was rewritten whole: 20× more at the 60th).
     */
    @Test
    void aCommitCostsTheSameWhateverTheNumberOfStoredSnapshots(@TempDir Path dir) throws Exception {
        EnsembleConfig c = config();
        int b = c.size();
        ZarrEnsembleStore store = ZarrEnsembleStore.create(dir, c);
        List<EnsembleSample> diagnostics = new ArrayList<>();
        List<Long> perCommit = new ArrayList<>();
        List<Long> perSnapshot = new ArrayList<>();
        for (int t = 0; t < 60; t++) {
            long before = store.bytesWritten();
            store.write(frame(10L * t, b));
            long written = store.bytesWritten();
            perSnapshot.add(written - before);
            diagnostics.add(sample(10L * t, b));
            diagnostics.add(sample(10L * t + 5, b));
            assertEquals(t + 1, store.commit(diagnostics, running(b)));
            perCommit.add(store.bytesWritten() - written);
        }
        long early = perCommit.get(2);
        long late = perCommit.getLast();
        // each array's .zarray and the consolidated metadata carry the lengths: a digit more per array and length
        long digits = 2L * 2 * 40;
        assertTrue(Math.abs(late - early) <= digits, "commit 3 wrote " + early + " bytes, commit 60 " + late + ": " + perCommit);
        assertEquals(perSnapshot.get(2), perSnapshot.getLast(), "a snapshot's own chunks");
        assertEquals(60, store.steps().size());
        EnsembleStore.Frame back = EnsembleStore.open(dir, c).read(10L * 37);
        EnsembleStore.Frame written = frame(10L * 37, b);
        for (int m = 0; m < b; m++) {
            assertArrayEquals(toFloat(written.omega()[m]), back.omega()[m], 0.0, "fp32 ω of member " + m);
            assertArrayEquals(written.spectra()[m], back.spectra()[m], 0.0);
            assertEquals(written.times()[m], back.times()[m], 0.0);
        }
    }

    static double[] toFloat(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    /** Appended past the checkpoint, then resumed from it: the same files as a store that stopped at the checkpoint, and it says what it cut. */
    @Test
    void aResumeCutsTheStoreBackToTheCheckpoint(@TempDir Path tmp) throws Exception {
        EnsembleConfig c = config();
        int b = c.size();
        Path ahead = tmp.resolve("ahead");
        Path exact = tmp.resolve("exact");
        List<EnsembleSample> diagnostics = new ArrayList<>();
        for (int t = 0; t < 70; t++) {
            diagnostics.add(sample(t, b));
        }
        ZarrEnsembleStore a = ZarrEnsembleStore.create(ahead, c);
        ZarrEnsembleStore e = ZarrEnsembleStore.create(exact, c);
        for (int t = 0; t < 40; t++) {
            a.write(frame(t, b));
            if (t < 30) {
                e.write(frame(t, b));
            }
            if (t == 29) {
                a.commit(diagnostics.subList(0, 50), running(b));
                e.commit(diagnostics.subList(0, 50), running(b));
            }
        }
        a.commit(diagnostics, running(b)); // committed past the checkpoint (a kill before the checkpoint landed)
        List<String> repaired = new ArrayList<>();
        ZarrEnsembleStore.resume(ahead, c, 30, diagnostics.subList(0, 50), running(b), repaired::add);
        assertTrue(repaired.stream().anyMatch(r -> r.contains("omega: 40 → 30 rows")), repaired.toString());
        List<String> files = files(exact.resolve(RunFiles.ENSEMBLE));
        assertEquals(files, files(ahead.resolve(RunFiles.ENSEMBLE)));
        for (String f : files) {
            assertArrayEquals(Files.readAllBytes(exact.resolve(RunFiles.ENSEMBLE).resolve(f)),
                    Files.readAllBytes(ahead.resolve(RunFiles.ENSEMBLE).resolve(f)), f);
        }
    }

    static List<String> files(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
