package dev.eddy.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.io.Json;
import dev.eddy.store.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault-injection harness of issue 18: real child JVMs killed at chosen points of the write path
 * ({@link dev.eddy.io.FaultPoints}: after the checkpoint commit, between the store's and the code file's
 * commits, mid-write of each kind of derived file, before the first checkpoint), at random moments, and
 * two processes started on one directory. After every kill the store is readable with every checkpointed
 * snapshot; after the restart the directory is consistent ({@link RunDirectories#assertConsistent}) and
 * bit for bit the uninterrupted run ({@link RunDirectories#assertSameRun}), codes included.
 */
@Tag("robustness")
class FaultInjectionTest {
    static final long STEPS = 120;
    static final String[] CASE = {"run", "--n", "32", "--kp", "4", "--seed", "5", "--steps", Long.toString(STEPS),
        "--checkpoint-every", "20", "--snapshot-every", "10", "--diag-every", "5", "--k", "4", "--tile", "8", "--quiet", "--no-report"};

    @TempDir
    static Path shared;
    static Path reference;

    static ProcessBuilder eddy(Path log, List<String> jvm, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvm);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("dev.eddy.cli.Main");
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    }

    static String[] with(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static int waitFor(Process p) throws Exception {
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child run timed out");
        return p.exitValue();
    }

    @BeforeAll
    static void uninterrupted() throws Exception {
        reference = shared.resolve("reference");
        assertEquals(0, waitFor(eddy(shared.resolve("ref.log"), List.of(), with(CASE, "--out", reference.toString())).start()),
                () -> read(shared.resolve("ref.log")));
        RunDirectories.assertConsistent(reference, STEPS);
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The points, each as {@code eddy.faults} names them; {@code DIR} stands for the run directory's name. */
    static Stream<String> points() {
        return Stream.of(
                "checkpoint-committed@2",             // after the commit, before the INCOMPLETE mark goes (first checkpoint)
                "checkpoint-committed@4",             // after a later commit
                "store-committed@3",                  // store ahead of the checkpoint
                "codes-committed@3",                  // store and codes ahead of the checkpoint
                "codes-appended@3",                   // code records written, header not updated: trailing bytes
                "atomic-write:omega/@7",              // mid-write of a field chunk
                "atomic-write:energy/@3",             // mid-write of a diagnostics chunk (its partial chunk rewritten)
                "atomic-write:spectrum/@4",           // mid-write of a spectrum chunk
                "atomic-write:omega/.zarray@2",       // one array's metadata ahead of the others
                "atomic-write:snapshots.zarr/.zmetadata@3", // every array's metadata ahead, the consolidated not
                "atomic-write:DIR/checkpoint.bin@1",  // the first checkpoint never lands: an incomplete directory
                "atomic-write:DIR/checkpoint.bin@3"); // a later checkpoint never lands
    }

    @ParameterizedTest
    @MethodSource("points")
    void aKillAtAChosenPointRestartsToTheSameRun(String point, @TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("victim");
        String fault = point.replace("DIR", dir.getFileName().toString());
        Process p = eddy(tmp.resolve("victim.log"), List.of("-Deddy.faults=" + fault), with(CASE, "--out", dir.toString())).start();
        assertEquals(137, waitFor(p), () -> "the fault at " + fault + " did not fire: " + read(tmp.resolve("victim.log")));
        RunDirectories.assertReadableAfterKill(dir);
        Process r = eddy(tmp.resolve("restart.log"), List.of(), "run", "--restart", dir.toString(), "--no-report").start();
        assertEquals(0, waitFor(r), () -> read(tmp.resolve("restart.log")));
        String log = read(tmp.resolve("restart.log"));
        if (fault.startsWith("atomic-write:victim/checkpoint.bin@1")) {
            assertTrue(log.contains("stopped before its first checkpoint") && log.contains("starting it again in place"), log);
        }
        if (fault.startsWith("store-committed") || fault.startsWith("codes-")) {
            assertTrue(log.contains("repaired"), "the restart says what it repaired: " + log);
        }
        RunDirectories.assertConsistent(dir, STEPS);
        RunDirectories.assertSameRun(reference, dir, "killed at " + fault);
    }

    static final String[] PIPELINE = {"pipeline", "--n", "48", "--k", "4", "--tile", "8", "--spinup", "60", "--window", "40",
        "--stride", "4", "--horizon", "16", "--no-report"};

    /** (backend, fault point): after the spin-up, and after the window (small N: lavapipe runs the GPU one). */
    static Stream<Arguments> pipelinePoints() {
        return Stream.of(Arguments.of("cpu", "pipeline-stage:spinup@1"), Arguments.of("cpu", "pipeline-stage:window@1"),
                Arguments.of("vulkan", "pipeline-stage:window@1"));
    }

    /** The uninterrupted pipeline on each backend, run once for every test of it. */
    private static final java.util.Map<String, Path> PIPELINE_REFERENCES = new java.util.HashMap<>();

    static synchronized Path pipelineReference(String backend) throws Exception {
        Path ref = PIPELINE_REFERENCES.get(backend);
        if (ref == null) {
            ref = shared.resolve("pipeline-" + backend);
            Path log = shared.resolve("pipeline-" + backend + ".log");
            assertEquals(0, waitFor(eddy(log, List.of(), pipeline(backend, ref)).start()), () -> read(log));
            PIPELINE_REFERENCES.put(backend, ref);
        }
        return ref;
    }

    static String[] pipeline(String backend, Path out) {
        return with(PIPELINE, "--backend", backend, "--log-metrics", "--out", out.toString());
    }

    /**
     * A pipeline killed after its spin-up (or after its training window) is started again with the same
     * command: it resumes from its spin-up (or window) checkpoint, says so, does not run again what the
     * checkpoint holds, and ends with the same horizon table and verdict as the uninterrupted pipeline; a
     * finished pipeline's directory is then refused.
     */
    @ParameterizedTest
    @MethodSource("pipelinePoints")
    void aKilledPipelineResumesFromItsStageCheckpoint(String backend, String point, @TempDir Path tmp) throws Exception {
        Path ref = pipelineReference(backend);
        Path dir = tmp.resolve("victim");
        Process p = eddy(tmp.resolve("victim.log"), List.of("-Deddy.faults=" + point), pipeline(backend, dir)).start();
        assertEquals(137, waitFor(p), () -> read(tmp.resolve("victim.log")));
        assertTrue(!Files.exists(dir.resolve(RunFiles.PIPELINE_DONE)));
        Process again = eddy(tmp.resolve("again.log"), List.of(), pipeline(backend, dir)).start();
        assertEquals(0, waitFor(again), () -> read(tmp.resolve("again.log")));
        String log = read(tmp.resolve("again.log"));
        assertTrue(log.contains("resuming from its stage checkpoints"), log);
        JsonNode stages = Json.MAPPER.readTree(dir.resolve(RunFiles.METRICS).toFile()).path("stage_seconds");
        assertTrue(!stages.has("sim_spinup"), "the spin-up is not run again: " + stages);
        if (point.contains("window")) {
            assertTrue(log.contains("resuming from the training window checkpoint") && !log.contains("spin-up: taken from")
                    && !log.contains("training window done"), log);
            // the window is not run again: this process advanced the LES over the horizon only, and encoded no window snapshot
            assertTrue(!stages.has("sim") && !stages.has("encode") && !stages.has("diagnostics"), "window stages: " + stages);
        } else {
            assertTrue(log.contains("spin-up: taken from") && log.contains("training window done"), log);
        }
        assertResumedAsTheReference(ref, dir, tmp.resolve("again.log"));
        Process done = eddy(tmp.resolve("done.log"), List.of(), pipeline(backend, dir)).start();
        assertEquals(2, waitFor(done));
        assertTrue(read(tmp.resolve("done.log")).contains("holds a finished pipeline"), read(tmp.resolve("done.log")));
    }

    /** horizon.csv byte for byte, the verdict line and the metrics' verdict, health and warnings. */
    static void assertResumedAsTheReference(Path ref, Path dir, Path log) throws Exception {
        assertEquals(Files.readString(ref.resolve(RunFiles.HORIZON_CSV)), Files.readString(dir.resolve(RunFiles.HORIZON_CSV)));
        String refVerdict = verdictLine(read(ref.resolveSibling(ref.getFileName() + ".log")));
        assertEquals(refVerdict, verdictLine(read(log)));
        JsonNode a = Json.MAPPER.readTree(ref.resolve(RunFiles.METRICS).toFile());
        JsonNode b = Json.MAPPER.readTree(dir.resolve(RunFiles.METRICS).toFile());
        for (String key : List.of("verdict", "horizon", "training_health", "warnings", "frozen_dt", "residual_fade")) {
            assertEquals(a.path(key), b.path(key), key);
        }
    }

    private static String verdictLine(String log) {
        return log.lines().filter(l -> l.startsWith("verdict after")).findFirst().orElse("(no verdict line)");
    }

    /**
     * A corrupt window checkpoint is refused in one line that says why, and the pipeline falls back to its
     * spin-up checkpoint (running the window again), to the same horizon table.
     */
    @Test
    void aCorruptWindowCheckpointFallsBackToTheSpinup(@TempDir Path tmp) throws Exception {
        Path ref = pipelineReference("cpu");
        Path dir = tmp.resolve("victim");
        Process p = eddy(tmp.resolve("victim.log"), List.of("-Deddy.faults=pipeline-stage:window@1"), pipeline("cpu", dir)).start();
        assertEquals(137, waitFor(p), () -> read(tmp.resolve("victim.log")));
        Path window = dir.resolve(RunFiles.PIPELINE_STAGES).resolve("window.ckpt");
        byte[] bytes = Files.readAllBytes(window);
        bytes[bytes.length / 2] ^= 0x5A; // a flipped byte among the latents
        Files.write(window, bytes);
        Process again = eddy(tmp.resolve("again.log"), List.of(), pipeline("cpu", dir)).start();
        assertEquals(0, waitFor(again), () -> read(tmp.resolve("again.log")));
        String log = read(tmp.resolve("again.log"));
        assertTrue(log.contains("training window checkpoint refused (corrupt file: ") && log.contains("checksum mismatch")
                && log.contains("falling back to the spin-up checkpoint") && log.contains("spin-up: taken from")
                && log.contains("training window done"), log);
        assertResumedAsTheReference(ref, dir, tmp.resolve("again.log"));
    }

    /** Random moments after the first checkpoint (the earlier random-kill trials, now with codes and the store). */
    @Test
    void randomKillsRestartToTheSameRun(@TempDir Path tmp) throws Exception {
        Random random = new Random();
        int trials = Integer.getInteger("eddy.randomKills", 4);
        int killed = 0;
        for (int t = 0; t < trials; t++) {
            Path dir = tmp.resolve("r" + t);
            Process p = eddy(tmp.resolve("r" + t + ".log"), List.of(), with(CASE, "--out", dir.toString())).start();
            while (!Files.exists(dir.resolve(RunFiles.CHECKPOINT)) && p.isAlive()) {
                Thread.onSpinWait();
            }
            int delay = random.nextInt(400);
            if (p.waitFor(delay, TimeUnit.MILLISECONDS)) {
                continue; // it finished first: nothing to recover
            }
            p.destroyForcibly();
            waitFor(p);
            killed++;
            RunDirectories.assertReadableAfterKill(dir);
            long killedAt = Checkpoint.read(dir).step();
            if (killedAt < STEPS) {
                Process r = eddy(tmp.resolve("rr" + t + ".log"), List.of(), "run", "--restart", dir.toString(), "--no-report").start();
                assertEquals(0, waitFor(r), read(tmp.resolve("rr" + t + ".log")));
            }
            RunDirectories.assertConsistent(dir, STEPS);
            RunDirectories.assertSameRun(reference, dir, "trial " + t + " killed after " + delay + " ms at step " + killedAt);
        }
        System.out.println("random kills: " + killed + " of " + trials + " trials killed the run (the others finished first);"
                + " every one recovered bit for bit to a consistent directory");
        assertTrue(killed > 0, "no trial killed the run: the moments are too late for this machine");
    }

    /**
     * Two processes on one directory: the second is refused with the holder's PID while the first runs,
     * and the first's run is untouched. Then the holder is killed with -9: its lock is stale, and the
     * restart takes it over (saying whose it was) and finishes the run bit for bit.
     */
    @Test
    void aSecondWriterIsRefusedAndAStaleLockIsTakenOver(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("shared");
        String[] longer = with(CASE, "--out", dir.toString());
        Path refusedSignal = tmp.resolve("second-refused");
        // the first run holds the lock (and halts at its third checkpoint) only once the second has been refused
        Process first = eddy(tmp.resolve("first.log"), List.of("-Deddy.faults=checkpoint-committed@3",
                "-Deddy.faults.await=" + refusedSignal), longer).start();
        Path lock = dir.resolve(RunFiles.LOCK);
        while (first.isAlive() && !(Files.exists(lock) && Files.size(lock) > 0)) {
            Thread.onSpinWait();
        }
        Process second = eddy(tmp.resolve("second.log"), List.of(), longer).start();
        assertEquals(2, waitFor(second), read(tmp.resolve("second.log")));
        String refused = read(tmp.resolve("second.log"));
        assertTrue(refused.contains("is in use by another Eddy process (pid " + first.pid()), refused);
        Files.writeString(refusedSignal, "go");
        assertEquals(137, waitFor(first), read(tmp.resolve("first.log"))); // the holder dies as kill -9 would
        Process after = eddy(tmp.resolve("after.log"), List.of(), "run", "--restart", dir.toString(), "--no-report").start();
        assertEquals(0, waitFor(after), read(tmp.resolve("after.log")));
        String log = read(tmp.resolve("after.log"));
        assertTrue(log.contains("taking over the lock") && log.contains("pid " + first.pid()), log);
        RunDirectories.assertConsistent(dir, STEPS);
        RunDirectories.assertSameRun(reference, dir, "two writers");
    }
}
