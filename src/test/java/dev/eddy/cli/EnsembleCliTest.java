package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.gpu.GpuTests;
import dev.eddy.io.Json;
import dev.eddy.sim.MemberStatus;
import dev.eddy.store.EnsembleCheckpoint;
import dev.eddy.store.EnsembleStore;
import dev.eddy.store.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code eddy ensemble} as users meet it: restart bit for bit, dropped members and exit codes, the store from Python. */
@Tag("robustness")
class EnsembleCliTest {
    /** Six members (three seeds × two viscosities) at N = 32: small enough for lavapipe. */
    static final String[] CASE = {"ensemble", "--n", "32", "--kp", "4", "--seeds", "1..3", "--nu", "1e-3,2e-3", "--snapshot-every", "10",
            "--diag-every", "5", "--no-report", "--quiet"};

    static String[] args(String[] base, String... more) {
        String[] out = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, out, base.length, more.length);
        return out;
    }

    /**
     * 30 steps in one go against 20 steps, then a restart to 30: the checkpoint, the snapshots and the
     * diagnostics of every member are the same bits (both backends; the GPU on lavapipe).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "vulkan"})
    void aRestartContinuesEveryMemberBitForBit(String backend, @TempDir Path tmp) throws Exception {
        if (backend.equals("vulkan")) {
            GpuTests.context().close();
        }
        Path whole = tmp.resolve("whole");
        Path split = tmp.resolve("split");
        String[] c = args(CASE, "--backend", backend, "--precision", "fp32");
        assertEquals(ExitCodes.OK, CliTest.eddy(args(c, "--out", whole.toString(), "--steps", "30")).code());
        assertEquals(ExitCodes.OK, CliTest.eddy(args(c, "--out", split.toString(), "--steps", "20")).code());
        var restarted = CliTest.eddy("ensemble", "--restart", split.toString(), "--steps", "30", "--quiet", "--no-report");
        assertEquals(ExitCodes.OK, restarted.code(), restarted.err());

        EnsembleCheckpoint a = EnsembleCheckpoint.read(whole);
        EnsembleCheckpoint b = EnsembleCheckpoint.read(split);
        assertEquals(30, a.step());
        assertEquals(a.step(), b.step());
        assertEquals(6, a.states().length);
        for (int m = 0; m < 6; m++) {
            assertArrayEquals(a.states()[m], b.states()[m], 0.0, "member " + m + "'s state");
            assertEquals(a.status().get(m), b.status().get(m));
            assertEquals(30, a.status().get(m).step());
        }
        assertEquals(a.diagnostics(), b.diagnostics(), "every member's diagnostics");
        EnsembleStore sa = EnsembleStore.open(whole, a.config());
        EnsembleStore sb = EnsembleStore.open(split, b.config());
        assertEquals(List.of(0L, 10L, 20L, 30L), sa.steps());
        assertEquals(sa.steps(), sb.steps());
        for (int m = 0; m < 6; m++) {
            assertArrayEquals(sa.read(30).omega()[m], sb.read(30).omega()[m], 0.0, "member " + m + "'s last snapshot");
        }
        SameBytes.assertSame(whole, split, RunFiles.ENSEMBLE); // the store's every file, byte for byte
    }

    /** An ensemble re-run from its own ensemble.json gives the same members and the same bits. */
    @Test
    void anEnsembleReRunsFromItsSettings(@TempDir Path tmp) throws Exception {
        Path first = tmp.resolve("first");
        Path again = tmp.resolve("again");
        assertEquals(ExitCodes.OK, CliTest.eddy(args(CASE, "--out", first.toString(), "--steps", "10", "--shared-dt")).code());
        var r = CliTest.eddy("ensemble", "--config", first.resolve(RunFiles.ENSEMBLE_CONFIG).toString(), "--out", again.toString(),
                "--quiet", "--no-report");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        EnsembleCheckpoint a = EnsembleCheckpoint.read(first);
        EnsembleCheckpoint b = EnsembleCheckpoint.read(again);
        assertEquals(a.config(), b.config());
        assertTrue(b.config().sharedDt());
        for (int m = 0; m < 6; m++) {
            assertArrayEquals(a.states()[m], b.states()[m], 0.0, "member " + m);
        }
    }

    /**
     * With --strict, the two members without viscosity pile up enstrophy at the cutoff and are dropped;
     * the viscous two finish. The exit code says so, the log says which, and the store keeps their fate.
     */
    @Test
    void membersThatFailAreDroppedAndTheOthersFinish(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("e");
        var r = CliTest.eddy("ensemble", "--out", dir.toString(), "--n", "32", "--kp", "3", "--seeds", "1,2", "--cs", "0", "--nu", "0,0.1",
                "--strict", "--steps", "60", "--diag-every", "10", "--no-report", "--quiet", "--log-metrics");
        assertEquals(ExitCodes.DIVERGED, r.code(), r.err());
        assertTrue(r.err().contains("2 of 4 members were dropped: [0, 1]") && r.err().contains("the others finished"), r.err());
        EnsembleCheckpoint cp = EnsembleCheckpoint.read(dir);
        for (int m = 0; m < 4; m++) {
            MemberStatus s = cp.status().get(m);
            if (m < 2) {
                assertEquals(MemberStatus.Phase.DROPPED, s.phase());
                assertTrue(s.step() < 60 && s.reason().contains("unhealthy small scales"), s.toString());
            } else {
                assertEquals(MemberStatus.Phase.FINISHED, s.phase(), s.toString());
                assertEquals(60, s.step());
            }
        }
        JsonNode metrics = Json.MAPPER.readTree(dir.resolve(RunFiles.METRICS).toFile());
        assertEquals("completed", metrics.get("status").asText());
        assertEquals(2 * 60 + cp.status().get(0).step() + cp.status().get(1).step(), metrics.get("member_steps").asLong());
        assertEquals("DROPPED", metrics.get("members").get(0).get("status").get("phase").asText());
    }

    /**
     * Two members forced 3000× harder than the others blow up at a fixed dt: the device (or the CPU) drops
     * them in the step that finds their speed infinite, the log names them, their state is kept at that
     * step, and the other two run to the end. Exit 3.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"cpu", "vulkan"})
    void membersThatBlowUpAreDroppedAndTheOthersRunToTheEnd(String backend, @TempDir Path tmp) throws Exception {
        if (backend.equals("vulkan")) {
            GpuTests.context().close();
        }
        Path dir = tmp.resolve("e");
        CliTest.Outcome r = CliTest.eddy("ensemble", "--out", dir.toString(), "--n", "32", "--kp", "3", "--seeds", "1,2", "--forcing",
                "kolmogorov", "--kf", "2", "--forcing-amplitude", "0,3000", "--cfl", "0", "--dt", "0.01", "--stepper", "heun", "--nu", "1e-2",
                "--cs", "0", "--steps", "60", "--diag-every", "10", "--no-report", "--quiet", "--backend", backend);
        assertEquals(ExitCodes.DIVERGED, r.code(), r.err());
        assertTrue(r.err().contains("2 of 4 members were dropped: [2, 3]"), r.err());
        assertTrue(r.err().contains("eddy: warning: member 2 (seed 1, ν 0.01, μ 0.0, C_s 0.0, A 3000.0): dropped at step")
                && r.err().contains("the field blew up (max|u| = "), r.err());
        EnsembleCheckpoint cp = EnsembleCheckpoint.read(dir);
        for (int m = 0; m < 4; m++) {
            MemberStatus s = cp.status().get(m);
            assertEquals(m < 2 ? MemberStatus.Phase.FINISHED : MemberStatus.Phase.DROPPED, s.phase(), s.toString());
            assertEquals(m < 2, s.step() == 60, s.toString());
        }
    }

    /** With an end time and each member's own dt, every member lands on the end time at a step of its own. */
    @Test
    void anEndTimeIsReachedByEveryMemberAtItsOwnStep(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("e");
        var r = CliTest.eddy("ensemble", "--out", dir.toString(), "--n", "32", "--kp", "4", "--seeds", "1..2", "--nu", "1e-3",
                "--end-time", "0.2", "--dt", "1", "--cfl", "1.2", "--diag-every", "4", "--no-report", "--quiet");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        EnsembleCheckpoint cp = EnsembleCheckpoint.read(dir);
        for (MemberStatus s : cp.status()) {
            assertEquals(0.2, s.time(), 1e-12, s.toString());
            assertEquals(MemberStatus.Phase.FINISHED, s.phase());
        }
        assertTrue(cp.status().get(0).step() != cp.status().get(1).step(), "each member took its own steps: " + cp.status());
    }

    /**
     * ensemble.zarr in xarray with one call, the dimensions named and the members' settings as coordinates;
     * eddy_io.open_ensemble finds it in the directory; the HDF5 export opens with scripts/eddy_ensemble.py.
     */
    @Test
    void theStoreOpensInXarrayWithNamedDimensions(@TempDir Path tmp) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        Process probe = new ProcessBuilder(python.toString(), "-c", "import h5py, xarray, zarr").redirectErrorStream(true).start();
        assumeTrue(probe.waitFor(120, TimeUnit.SECONDS) && probe.exitValue() == 0, "h5py, xarray or zarr missing");
        Path dir = tmp.resolve("e");
        assertEquals(ExitCodes.OK, CliTest.eddy(args(CASE, "--out", dir.toString(), "--steps", "20")).code());
        var export = CliTest.eddy("ensemble", "export", "--h5", "--", dir.toString());
        assertEquals(ExitCodes.OK, export.code(), export.err());
        String checks = String.join("\n",
                "assert ds.omega.dims == ('snapshot', 'member', 'y', 'x'), ds.omega.dims",
                "assert ds.omega.shape == (3, 6, 32, 32), ds.omega.shape",
                "assert list(ds.snapshot.values) == [0, 10, 20]",
                "assert list(ds.seed.values) == [1, 2, 3, 1, 2, 3] and list(ds.nu.values) == [1e-3] * 3 + [2e-3] * 3",
                "assert ds.spectrum.dims == ('snapshot', 'member', 'k') and ds.k.size == 17",
                "assert list(ds.sample.values) == [0, 5, 10, 15, 20]",
                "assert list(ds.phase.values) == [1] * 6 and ds.attrs['n'] == 32");
        String script = String.join("\n",
                "import sys",
                "import numpy as np",
                "import xarray as xr",
                "sys.path.insert(0, 'python')",
                "sys.path.insert(0, 'scripts')",
                "import eddy_io",
                "from eddy_ensemble import open_ensemble",
                "ds = xr.open_zarr(sys.argv[1] + '/ensemble.zarr')",
                checks,
                "assert ds.energy.dims == ('sample', 'member')",
                "assert 'nu' in ds.coords and 'seed' in ds.omega.coords and ds.time.dims == ('snapshot', 'member')",
                "e = ds.energy.mean('member').values",
                "assert abs(e[0] - 0.5) < 1e-12 and e[-1] < e[0], e",
                "assert bool(np.isfinite(ds.omega).all())",
                "assert ds.attrs['reason'] == ['reached the end of the run'] * 6, ds.attrs['reason']",
                "assert eddy_io.open_ensemble(sys.argv[1]).omega.equals(ds.omega)",
                "h5 = open_ensemble(sys.argv[1] + '/ensemble.h5')",
                "assert h5.diagnostics_energy.dims == ('sample', 'member')",
                "assert np.array_equal(h5.omega.values, ds.omega.values) and np.array_equal(h5.diagnostics_energy.values, ds.energy.values)",
                "ds = h5",
                checks,
                "print('ok')");
        Process p = new ProcessBuilder(python.toString(), "-c", script, dir.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }

    /** The report: the mean and spread of energy, enstrophy and spectrum, four members' fields, the members' table; every picture decodes. */
    @Test
    void theReportShowsTheEnsemblesMeanAndSpreadAndAFewFields(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("e");
        String[] withReport = java.util.Arrays.stream(CASE).filter(a -> !a.equals("--no-report")).toArray(String[]::new);
        assertEquals(ExitCodes.OK, CliTest.eddy(args(withReport, "--out", dir.toString(), "--steps", "20")).code());
        String html = Files.readString(dir.resolve(RunFiles.REPORT_HTML));
        var images = java.util.regex.Pattern.compile("alt=\"([^\"]*)\" src=\"data:image/png;base64,([^\"]*)\"").matcher(html);
        List<String> alts = new java.util.ArrayList<>();
        while (images.find()) {
            alts.add(images.group(1));
            byte[] png = java.util.Base64.getDecoder().decode(images.group(2));
            assertTrue(javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png)).getWidth() > 100, images.group(1));
        }
        assertEquals(List.of("energy", "enstrophy", "spectrum"), alts.subList(0, 3));
        assertEquals(7, alts.size(), alts.toString());
        assertTrue(alts.get(3).startsWith("member 0, t = "), alts.toString());
        assertTrue(html.contains("<h2>Members</h2>") && Files.readString(dir.resolve(RunFiles.REPORT_MD)).contains("| 5 | 3 | 0.002"), html);
    }

    @Test
    void tooManyMembersAreRefusedBeforeAnythingIsAllocatedWithHowManyFit(@TempDir Path tmp) {
        var r = CliTest.eddy("ensemble", "--out", tmp.resolve("e").toString(), "--n", "1024", "--members", "60000", "--steps", "1");
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(r.err().contains("60000 members of N = 1024 in fp64 need") && r.err().contains("members fit"), r.err());
        assertTrue(!Files.exists(tmp.resolve("e").resolve(RunFiles.ENSEMBLE_CHECKPOINT)));
    }

    @Test
    void badMemberFlagsAreUsageErrors(@TempDir Path tmp) {
        String out = tmp.resolve("e").toString();
        assertTrue(CliTest.eddy("ensemble", "--out", out, "--seeds", "5..1").err().contains("A ≤ B"));
        assertTrue(CliTest.eddy("ensemble", "--out", out, "--seeds", "1..3", "--members", "3").err().contains("not both"));
        assertTrue(CliTest.eddy("ensemble", "--out", out, "--seeds", "1,x").err().contains("range A..B or a list"));
        assertTrue(CliTest.eddy("ensemble", "--out", out, "--forcing-amplitude", "0.5,1").err().contains("--forcing kolmogorov"));
        assertEquals(ExitCodes.USAGE, CliTest.eddy("ensemble", "--out", out, "--nu", "1e-3,-1").code());
        assertTrue(CliTest.eddy("ensemble", "--restart", out).err().contains("no " + RunFiles.ENSEMBLE_CHECKPOINT));
    }
}
