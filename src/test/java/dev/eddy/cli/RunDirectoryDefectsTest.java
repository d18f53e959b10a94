package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.codec.CodecFieldsForTests;
import dev.eddy.run.Checkpoint;
import dev.eddy.store.RunFiles;
import dev.eddy.store.RunLock;
import dev.eddy.store.SnapshotStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The numbered defects of issue 18 that one process can show (the kills, races and full disks are in
 * FaultInjectionTest and DiskFullTest): each test failed before the fix.
 */
@Tag("robustness")
class RunDirectoryDefectsTest {
    @TempDir
    Path tmp;

    static String[] run(Path out, String... more) {
        String[] base = {"run", "--n", "16", "--kp", "3", "--quiet", "--no-report", "--out", out.toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** 18.2: a lock; a second holder in this process is refused with the holder's PID, and the lock is released after. */
    @Test
    void theDirectoryLockRefusesASecondHolderWithThePid() throws Exception {
        Path dir = tmp.resolve("locked");
        try (RunLock held = RunLock.acquire(dir, "run", s -> { })) {
            var e = assertThrows(RunLock.BusyException.class, () -> RunLock.acquire(dir, "run", s -> { }));
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            CliTest.Outcome o = CliTest.eddy(run(dir, "--steps", "2"));
            assertEquals(ExitCodes.USAGE, o.code(), o.err());
            assertTrue(o.err().contains("in use by another Eddy process"), o.err());
        }
        assertEquals(ExitCodes.OK, CliTest.eddy(run(dir, "--steps", "2")).code());
        assertEquals(0, Files.size(dir.resolve(RunFiles.LOCK)), "a clean end leaves no holder named");
    }

    /** 18.2: a directory with an older Eddy's frames/ (or snapshots.h5) is refused, not merged into. */
    @Test
    void aDirectoryWithOldFramesIsRefused() throws Exception {
        Path dir = tmp.resolve("old");
        Files.createDirectories(dir.resolve("frames"));
        Files.writeString(dir.resolve("frames/omega_000000000000.bin"), "x");
        CliTest.Outcome o = CliTest.eddy(run(dir, "--steps", "2"));
        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("holds frames but no run"), o.err());
    }

    /** 18.3: the checkpoint's size does not grow with the run (the diagnostics history lives in the store). */
    @Test
    void theCheckpointSizeIsIndependentOfTheRunLength() throws Exception {
        Path a = tmp.resolve("short");
        Path b = tmp.resolve("long");
        assertEquals(ExitCodes.OK, CliTest.eddy(run(a, "--steps", "20", "--diag-every", "1")).code());
        assertEquals(ExitCodes.OK, CliTest.eddy(run(b, "--steps", "600", "--diag-every", "1")).code());
        // the same to a few digits of the step, time and counts in the header
        assertEquals(Files.size(a.resolve(RunFiles.CHECKPOINT)), Files.size(b.resolve(RunFiles.CHECKPOINT)), 16);
        assertEquals(601, SnapshotStore.open(b).diagnostics().size());
    }

    /** 18.4: a blow-up at step 0 is exit 3 (not an index error); the directory is marked incomplete and starts again in place. */
    @Test
    void aBlowUpAtStepZeroIsExit3AndTheDirectoryStartsAgainInPlace() throws Exception {
        Path dir = tmp.resolve("blown");
        CliTest.Outcome o = CliTest.eddy(run(dir, "--steps", "10", "--energy", "1e308"));
        assertEquals(ExitCodes.DIVERGED, o.code(), o.err());
        assertTrue(o.err().contains("blew up at step 0"), o.err());
        assertTrue(Files.exists(dir.resolve(RunFiles.INCOMPLETE)) && !Files.exists(dir.resolve(RunFiles.CHECKPOINT)));
        // the same --out with sane settings starts again in place, and so does --restart (with the saved settings)
        assertEquals(ExitCodes.OK, CliTest.eddy(run(dir, "--steps", "10")).code());
        Path ref = tmp.resolve("ref");
        assertEquals(ExitCodes.OK, CliTest.eddy(run(ref, "--steps", "10")).code());
        assertArrayEquals(Checkpoint.read(ref).state(), Checkpoint.read(dir).state(), 0.0);
        assertTrue(!Files.exists(dir.resolve(RunFiles.INCOMPLETE)));
    }

    /** 18.4: --restart of a directory without a checkpoint starts it again from its saved settings. */
    @Test
    void aRestartOfAnIncompleteDirectoryStartsFromStepZero() throws Exception {
        Path dir = tmp.resolve("inc");
        Files.createDirectories(dir);
        Path ref = tmp.resolve("ref");
        assertEquals(ExitCodes.OK, CliTest.eddy(run(ref, "--steps", "10", "--seed", "7")).code());
        Files.copy(ref.resolve(RunFiles.CONFIG), dir.resolve(RunFiles.CONFIG));
        CliTest.Outcome o = CliTest.eddy("run", "--restart", dir.toString(), "--quiet", "--no-report");
        assertEquals(ExitCodes.OK, o.code(), o.err());
        assertArrayEquals(Checkpoint.read(ref).state(), Checkpoint.read(dir).state(), 0.0);
    }

    /** 18.5: the CPU paths refuse what cannot fit, with the figure and what to do, before writing anything. */
    @Test
    void theCpuPathsEstimateTheirMemoryUpFront() {
        Path dir = tmp.resolve("huge");
        CliTest.Outcome o = CliTest.eddy("run", "--n", "16384", "--steps", "1", "--out", dir.toString(), "--quiet");
        assertEquals(ExitCodes.RUNTIME, o.code(), o.err());
        assertTrue(o.err().contains("needs about") && o.err().contains("GiB") && o.err().contains("-Xmx"), o.err());
        assertTrue(!Files.exists(dir), "nothing is written");
        CliTest.Outcome p = CliTest.eddy("pipeline", "--n", "16384", "--out", tmp.resolve("hp").toString(), "--quiet");
        assertEquals(ExitCodes.RUNTIME, p.code(), p.err());
        assertTrue(p.err().contains("needs about"), p.err());
        CliTest.Outcome c = CliTest.eddy("compare", "--backends", "cpu,cpu", "--n", "16384", "--steps", "1");
        assertEquals(ExitCodes.RUNTIME, c.code(), c.err());
    }

    /** 18.6: encode's input is validated (truncation, non-finite values, steps) and nothing is written when it fails. */
    @Test
    void encodeRefusesBadInputAndWritesNothing() throws Exception {
        Path h5 = tmp.resolve("s.h5");
        CodecFieldsForTests.writeSeries(h5, 32, 3);
        Path cut = tmp.resolve("cut.h5");
        byte[] all = Files.readAllBytes(h5);
        Files.write(cut, java.util.Arrays.copyOf(all, all.length - 4000));
        Path out = tmp.resolve("c.eddyc");
        CliTest.Outcome t = CliTest.eddy("encode", cut.toString(), "-o", out.toString(), "--k", "4", "--tile", "8");
        assertEquals(ExitCodes.RUNTIME, t.code(), t.err());
        assertTrue(t.err().contains("corrupt file") && t.err().contains("truncated"), t.err());
        assertTrue(!Files.exists(out));

        Path dir = tmp.resolve("nan");
        var source = dev.eddy.codec.SnapshotSeries.read(h5);
        var fields = new java.util.ArrayList<>(source.fields());
        double[] bad = fields.get(2).clone();
        bad[17] = Double.NaN;
        fields.set(2, bad);
        Files.createDirectories(dir);
        new dev.eddy.codec.SnapshotSeries(32, source.precision(), source.steps(), source.times(), fields, java.util.Map.of())
                .write(dir.resolve("nan.h5"));
        CliTest.Outcome n = CliTest.eddy("encode", dir.resolve("nan.h5").toString(), "-o", out.toString(), "--k", "4", "--tile", "8");
        assertEquals(ExitCodes.RUNTIME, n.code(), n.err());
        assertTrue(n.err().contains("non-finite") && n.err().contains("nothing was written"), n.err());
        assertTrue(!Files.exists(out));

        new dev.eddy.codec.SnapshotSeries(32, source.precision(), new long[] {0, -5, 10}, source.times(), source.fields(),
                java.util.Map.of()).write(dir.resolve("steps.h5"));
        CliTest.Outcome s = CliTest.eddy("encode", dir.resolve("steps.h5").toString(), "-o", out.toString(), "--k", "4", "--tile", "8");
        assertEquals(ExitCodes.RUNTIME, s.code(), s.err());
        assertTrue(s.err().contains("step[1] = -5"), s.err());
    }

    /** 18.6: an output that names the input is refused before any work, and the input survives. */
    @Test
    void anOutputThatIsTheInputIsRefused() throws Exception {
        Path h5 = tmp.resolve("s.h5");
        CodecFieldsForTests.writeSeries(h5, 32, 2);
        byte[] before = Files.readAllBytes(h5);
        CliTest.Outcome e = CliTest.eddy("encode", h5.toString(), "-o", h5.toString(), "--k", "4", "--tile", "8");
        assertEquals(ExitCodes.USAGE, e.code(), e.err());
        assertTrue(e.err().contains("is the input"), e.err());
        assertArrayEquals(before, Files.readAllBytes(h5));
        Path codes = tmp.resolve("c.eddyc");
        assertEquals(ExitCodes.OK, CliTest.eddy("encode", h5.toString(), "-o", codes.toString(), "--k", "4", "--tile", "8").code());
        byte[] code = Files.readAllBytes(codes);
        CliTest.Outcome d = CliTest.eddy("decode", codes.toString(), "-o", codes.toString());
        assertEquals(ExitCodes.USAGE, d.code(), d.err());
        assertArrayEquals(code, Files.readAllBytes(codes));
        CliTest.Outcome r = CliTest.eddy("decode", codes.toString(), "-o", tmp.resolve("d.zarr").toString(), "--report",
                codes.toString());
        assertEquals(ExitCodes.USAGE, r.code(), r.err());
        assertTrue(!Files.exists(tmp.resolve("d.zarr")), "refused before the work");
    }

    /** 18.6: decode streams into a Zarr store that xarray-style readers (and encode) read back. */
    @Test
    void decodeStreamsIntoAZarrStore() throws Exception {
        Path h5 = tmp.resolve("s.h5");
        CodecFieldsForTests.writeSeries(h5, 32, 3);
        Path codes = tmp.resolve("c.eddyc");
        assertEquals(ExitCodes.OK, CliTest.eddy("encode", h5.toString(), "-o", codes.toString(), "--k", "4", "--tile", "8").code());
        Path z = tmp.resolve("d.zarr");
        CliTest.Outcome o = CliTest.eddy("decode", codes.toString(), "-o", z.toString());
        assertEquals(ExitCodes.OK, o.code(), o.err());
        Path h = tmp.resolve("d.h5");
        assertEquals(ExitCodes.OK, CliTest.eddy("decode", codes.toString(), "-o", h.toString()).code());
        try (var a = dev.eddy.codec.SnapshotSource.open(z); var b = dev.eddy.codec.SnapshotSource.open(h)) {
            assertEquals(3, a.size());
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(b.omega(i), a.omega(i), 0.0);
                assertEquals(b.step(i), a.step(i));
            }
        }
    }

    /** 18.6: the metrics path is checked before the first step. */
    @Test
    void anUnwritableMetricsPathIsRefusedBeforeTheRun() throws Exception {
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        Path dir = tmp.resolve("m");
        CliTest.Outcome o = CliTest.eddy(run(dir, "--steps", "2", "--log-metrics=" + file.resolve("metrics.json")));
        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("--log-metrics") && o.err().contains("is not a directory"), o.err());
        assertTrue(!Files.exists(dir.resolve(RunFiles.CONFIG)), "refused before the run started");
    }

    static Stream<Arguments> smallThings() {
        return Stream.of(
                Arguments.of(new String[] {"run", "--n", "16", "--kp", "3", "--steps", "2", "--threads", "100000", "--out", "X"}, "threads must be 0 (all cores) to 32767"),
                Arguments.of(new String[] {"run", "--n", "16", "--kp", "3", "--steps", "3", "--dt", "1e308", "--cfl", "0", "--out", "X"}, "choose a smaller dt"),
                Arguments.of(new String[] {"run", "--steps", "1000000000000000000", "--explain"}, "explain a shorter run"),
                Arguments.of(new String[] {"pipeline", "--lambda", "NaN", "--out", "X"}, "--lambda must be a number ≥ 0 or auto"),
                Arguments.of(new String[] {"bench", "--repeats", "0", "--no-report"}, "--repeats must be ≥ 1"),
                Arguments.of(new String[] {"encode", "in.h5", "-o", "c.eddyc", "--k", "4", "--threads", "-1"}, "threads must be ≥ 0 (0 = all cores), got -1"),
                Arguments.of(new String[] {"decode", "c.eddyc", "-o", "d.zarr", "--threads", "-1"}, "threads must be ≥ 0 (0 = all cores), got -1"));
    }

    /** 18.7: values that were accepted silently are usage errors with a one-line reason. */
    @ParameterizedTest
    @MethodSource("smallThings")
    void silentlyAcceptedValuesAreRefused(String[] args, String message) {
        CliTest.Outcome o = CliTest.eddy(args);
        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().contains(message), o.err());
        assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
    }

    /** 18.7: internal exception texts replaced by messages: a config section of the wrong type, a malformed metrics.json. */
    @Test
    void internalTextsAreReplacedByMessages() throws Exception {
        Path cfg = Files.writeString(tmp.resolve("bad.json"), "{\"physics\": 5}");
        CliTest.Outcome o = CliTest.eddy("run", "--config", cfg.toString(), "--out", tmp.resolve("x").toString());
        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("setting 'physics' has the wrong type"), o.err());
        Path dir = tmp.resolve("r");
        assertEquals(ExitCodes.OK, CliTest.eddy(run(dir, "--steps", "2")).code());
        Files.writeString(dir.resolve(RunFiles.METRICS), "{ not json");
        CliTest.Outcome r = CliTest.eddy("report", dir.toString(), "--no-video", "--quiet");
        assertEquals(ExitCodes.RUNTIME, r.code(), r.err());
        assertTrue(r.err().contains("metrics.json") && r.err().contains("not valid JSON"), r.err());
    }

    /**
     * Issue 17: a restart without --log-metrics of a run that logged them updates metrics.json (the report
     * no longer shows the old end), and the video is readable by others (it was written 0600).
     */
    @Test
    void aRestartKeepsTheMetricsAndTheReportCurrent() throws Exception {
        Path dir = tmp.resolve("m");
        String[] first = {"run", "--n", "16", "--kp", "3", "--steps", "20", "--snapshot-every", "10", "--quiet", "--log-metrics",
            "--out", dir.toString()};
        assertEquals(ExitCodes.OK, CliTest.eddy(first).code());
        CliTest.Outcome o = CliTest.eddy("run", "--restart", dir.toString(), "--steps", "40", "--quiet");
        assertEquals(ExitCodes.OK, o.code(), o.err());
        var m = dev.eddy.io.Json.MAPPER.readTree(dir.resolve(RunFiles.METRICS).toFile());
        assertEquals("run --restart", m.get("command").asText());
        var steps = m.get("diagnostics").get("step");
        assertEquals(40, steps.get(steps.size() - 1).asLong());
        String report = Files.readString(dir.resolve(RunFiles.REPORT_MD));
        assertTrue(report.contains("| steps | 40 |"), report.substring(0, Math.min(600, report.length())));
        try (var files = Files.list(dir)) {
            for (Path video : files.filter(f -> f.getFileName().toString().startsWith("video.")).toList()) {
                assertTrue(Files.getPosixFilePermissions(video).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_READ),
                        video + " is readable by others");
            }
        }
    }

    /** 18.7: a restart whose --steps is not past the checkpoint is refused and changes nothing. */
    @Test
    void aRestartBelowTheCurrentStepIsRefused() throws Exception {
        Path dir = tmp.resolve("r");
        assertEquals(ExitCodes.OK, CliTest.eddy(run(dir, "--steps", "20")).code());
        String config = Files.readString(dir.resolve(RunFiles.CONFIG));
        CliTest.Outcome o = CliTest.eddy("run", "--restart", dir.toString(), "--steps", "10", "--quiet");
        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("already at step 20"), o.err());
        assertEquals(config, Files.readString(dir.resolve(RunFiles.CONFIG)));
    }
}
