package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python side, as Eddy's users meet it (Debian's python3-xarray, python3-zarr, python3-matplotlib):
 * {@code xr.open_zarr(run/snapshots.zarr).omega.isel(time=-1).plot()} with no helper code, the labels and
 * units, python/eddy_io.py (a run, a code file decoded in NumPy against {@code eddy decode}, a pipeline
 * directory) and shared/tools/health.py. The checks are python/test_eddy_io.py.
 */
@Tag("robustness")
class XarrayInteropTest {
    static final Path PYTHON = Path.of("/usr/bin/python3");

    @Test
    void xarrayOpensTheRunAndEddyIoOpensEverything(@TempDir Path tmp) throws Exception {
        assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3: scripts/setup.sh installs Debian's python3-xarray");
        Process probe = new ProcessBuilder(PYTHON.toString(), "-c", "import xarray, zarr, matplotlib").redirectErrorStream(true).start();
        assumeTrue(probe.waitFor(60, TimeUnit.SECONDS) && probe.exitValue() == 0,
                "xarray/zarr/matplotlib missing: scripts/setup.sh installs python3-xarray python3-zarr python3-matplotlib");
        Path run = tmp.resolve("run");
        CliTest.Outcome o = CliTest.eddy("run", "--n", "32", "--kp", "4", "--steps", "20", "--snapshot-every", "10", "--diag-every",
                "5", "--k", "4", "--tile", "8", "--quiet", "--no-report", "--out", run.toString());
        assertEquals(0, o.code(), o.err());
        Path decoded = tmp.resolve("decoded.zarr");
        assertEquals(0, CliTest.eddy("decode", run.resolve("codes.eddyc").toString(), "-o", decoded.toString()).code());
        Path pipeline = tmp.resolve("pipeline");
        CliTest.Outcome p = CliTest.eddy("pipeline", "--n", "48", "--k", "4", "--tile", "8", "--spinup", "20", "--window", "40",
                "--stride", "4", "--horizon", "16", "--quiet", "--no-report", "--log-metrics", "--out", pipeline.toString());
        assertEquals(0, p.code(), p.err());
        // shared/ lies beside the checkout (CI's clone and the work trees alike)
        Path health = Path.of("").toAbsolutePath().getParent().resolve("shared/tools/health.py");
        if (!Files.exists(health)) {
            health = Path.of("/work/shared/tools/health.py");
        }
        Process py = new ProcessBuilder(PYTHON.toString(), "python/test_eddy_io.py", run.toString(), decoded.toString(),
                pipeline.toString(), health.toString()).redirectErrorStream(true).start();
        String out = new String(py.getInputStream().readAllBytes());
        assertEquals(true, py.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, py.exitValue(), out);
        assertEquals("ok", out.strip().lines().reduce((a, b) -> b).orElse(""), out);
    }
}
