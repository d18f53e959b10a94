package dev.eddy.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eddy.codec.CodecSettings;
import dev.eddy.config.BackendKind;
import dev.eddy.config.ConfigException;
import dev.eddy.numerics.Precision;
import dev.eddy.proxy.ProxySettings;
import dev.eddy.store.RunFiles;
import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rom.h5: what it holds is the pipeline's model (A applied from the file reproduces the rollout), and h5py opens it. */
@Tag("robustness")
class RomFileTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    /** Shapes, the index map, and one rollout step recomputed from the operator as stored. */
    static void assertRomHolds(Path rom, Pipeline.Result r, int train, int horizon, int d) throws Exception {
        try (HdfFile h5 = new HdfFile(rom)) {
            double[][] z = (double[][]) h5.getDatasetByPath("latents/training").getData();
            double[][] roll = (double[][]) h5.getDatasetByPath("latents/rollout").getData();
            int[][] index = (int[][]) h5.getDatasetByPath("latents/index").getData();
            assertEquals(train, z.length);
            assertEquals(d, z[0].length);
            assertEquals(horizon + 1, roll.length);
            assertArrayEquals(z[train - 1], roll[0], 0.0, "the rollout starts from the last training latent");
            int k = 0;
            for (int[] row : index) {
                k = Math.max(k, row[1]);
            }
            for (int q = 0; q < d; q++) {
                assertEquals(q, dev.eddy.codec.CodecKernels_F64.latentIndex(k, index[q][0], index[q][1]) + index[q][2], "index row " + q);
            }
            double[] next = new double[d];
            if (h5.getByPath("operator").getAttribute("form").getData().equals("dual")) {
                double[][] left = (double[][]) h5.getDatasetByPath("operator/left").getData();
                double[][] right = (double[][]) h5.getDatasetByPath("operator/right").getData();
                int m = left[0].length;
                double[] u = new double[m];
                for (int j = 0; j < m; j++) {
                    for (int i = 0; i < d; i++) {
                        u[j] += right[i][j] * roll[0][i];
                    }
                }
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < m; j++) {
                        next[i] += left[i][j] * u[j];
                    }
                }
            } else {
                double[][] a = (double[][]) h5.getDatasetByPath("operator/a").getData();
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < d; j++) {
                        next[i] += a[i][j] * roll[0][j];
                    }
                }
            }
            assertTrue(dev.eddy.TestConfigs.relL2(next, roll[1]) < 1e-10, "A from rom.h5 reproduces the first rollout step");
            double[][] eig = (double[][]) h5.getDatasetByPath("operator/eigenvalues").getData();
            assertEquals(r.eigenvalues().size(), eig.length);
            double[] fade = (double[]) h5.getDatasetByPath("residual_fade/coefficient").getData();
            assertArrayEquals(r.fade().coefficients(), fade, 0.0);
        }
    }

    @Test
    void h5pyOpensTheRomAndItsSavedFields(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3: install python3-h5py (scripts/setup.sh does)");
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import h5py, numpy").redirectErrorStream(true).start();
        assertTrue(probe.waitFor(120, TimeUnit.SECONDS), "python3 -c 'import h5py' did not finish"); // a slow machine fails, never skips
        assumeTrue(probe.exitValue() == 0, "h5py missing: scripts/setup.sh installs python3-h5py");
        Path dir = tmp.resolve("p");
        PipelineSettings s = PipelineTest.settings(32, Precision.FP64, Backends.all(BackendKind.CPU), Double.NaN);
        new Pipeline(s, new Pipeline.Options(dir, null, line -> { }, false, true)).run();
        String script = String.join("\n",
                "import h5py, json, sys, numpy as np",
                "f = h5py.File(sys.argv[1], 'r')",
                "z = f['latents/training'][:]; r = f['latents/rollout'][:]; idx = f['latents/index'][:]",
                "assert z.shape == (13, 182) and r.shape == (5, 182) and idx.shape == (182, 3), (z.shape, r.shape, idx.shape)",
                "o = f['operator']",
                "a = o['left'][:] @ o['right'][:].T",
                "q = o['right'][:]; g = q.T @ q; assert abs(g[0, 0] - 1) < 1e-9 and abs(np.diag(g) - 1).max() < 0.05, np.diag(g)",
                "assert np.linalg.norm(a @ r[0] - r[1]) < 1e-10 * np.linalg.norm(r[1])",
                "ev = o['eigenvalues'][:]; assert ev.shape[1] == 2",
                "assert abs(np.hypot(ev[:, 0], ev[:, 1]).max() - o.attrs['spectral_radius']) < 1e-9",
                "t = f['fields/truth']; p = f['fields/prediction']",
                "assert t.shape == (4, 32, 32) and p.shape == (4, 32, 32) and t.dtype == 'float32'",
                "assert list(f['fields/proxy_step'][:]) == [1, 2, 3, 4]",
                "assert np.linalg.norm(p[0] - t[0]) < 0.3 * np.linalg.norm(t[0])",
                "assert json.loads(f.attrs['settings_json'])['stride'] == 5 and f.attrs['d'] == 182",
                "print('ok')");
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", script, dir.resolve(RunFiles.ROM).toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(true, p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }

    @Test
    void saveFieldsThatCannotFitAreRefusedBeforeAnythingRuns(@TempDir Path tmp) {
        CodecSettings codec = new CodecSettings(4096, 6, 4, 0.7, 0, false, Precision.FP32);
        Backends cpu = Backends.all(BackendKind.CPU);
        PipelineSettings s = new PipelineSettings(PipelineTest.les(4096, Precision.FP32, cpu.sim()), 10, 10, 1, 100_000, codec,
                new ProxySettings(1e-6, 0, 0), cpu, 1);
        var e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> new Pipeline(s, new Pipeline.Options(tmp.resolve("p"), null, line -> { }, false, true)).run());
        assertTrue(e.getMessage().contains("--save-fields"), e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("p")), "nothing written");
    }
}
