package dev.eddy.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eddy.TestConfigs;
import dev.eddy.config.OutputSchedule;
import dev.eddy.config.TimeControl;
import dev.eddy.numerics.Precision;
import dev.eddy.run.LesRun;
import dev.eddy.store.RunFiles;
import dev.eddy.store.SnapshotStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** snapshots.h5 opens in h5py, the library Eddy's users load it with (Debian's python3-h5py). */
@Tag("robustness")
class H5pyInteropTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void h5pyReadsTheSnapshotsAndSettings(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3: install python3-h5py (scripts/setup.sh does)");
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import h5py").redirectErrorStream(true).start();
        assertTrue(probe.waitFor(120, TimeUnit.SECONDS), "python3 -c 'import h5py' did not finish"); // a slow machine fails, never skips
        assumeTrue(probe.exitValue() == 0, "h5py missing: scripts/setup.sh installs python3-h5py");
        Path dir = tmp.resolve("run");
        var c = TestConfigs.les(32, Precision.FP32, 1e-3, 0.17, 0.02, "heun");
        new LesRun(TestConfigs.withOutput(c, new OutputSchedule(10, 5, 0), new TimeControl(20, 0, 0.02, 0.5, "heun")),
                new LesRun.Options(dir, false, null, s -> { })).run();
        String script = String.join("\n",
                "import h5py, json, sys",
                "f = h5py.File(sys.argv[1], 'r')",
                "o = f['omega']",
                "assert o.shape == (3, 32, 32) and o.dtype == 'float32', (o.shape, o.dtype)",
                "assert list(f['step'][:]) == [0, 10, 20]",
                "assert f.attrs['n'] == 32 and json.loads(f.attrs['config_json'])['precision'] == 'fp32'",
                "e = f['diagnostics/energy'][:]",
                "assert abs(e[0] - 0.5) < 1e-6 and len(e) == 5",
                "assert abs(float(o[0].mean())) < 1e-5",
                "print('ok')");
        Process p = new ProcessBuilder(PYTHON.toString(), "-c", script, dir.resolve(RunFiles.SNAPSHOTS).toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(true, p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }
}
