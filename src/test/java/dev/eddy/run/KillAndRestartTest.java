package dev.eddy.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.eddy.store.Checkpoint;
import dev.eddy.store.RunFiles;
import dev.eddy.store.SnapshotStore;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed by a signal (SIGKILL at a random moment, or SIGTERM) restarts from its last complete
 * checkpoint and reproduces the uninterrupted run bit for bit. The runs are real child JVMs.
 */
@Tag("robustness")
class KillAndRestartTest {
    static final String[] CASE = {"run", "--n", "32", "--kp", "4", "--seed", "11", "--steps", "400", "--checkpoint-every", "20",
        "--snapshot-every", "50", "--diag-every", "10", "--quiet"};

    static ProcessBuilder eddy(Path log, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
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

    /** A limit against a hung child, far above any run here; the tests wait on what the child writes, not on time. */
    static final long SAFETY_SECONDS = 300;

    static void set(String[] args, String flag, String value) {
        args[java.util.Arrays.asList(args).indexOf(flag) + 1] = value;
    }

    static int runToEnd(ProcessBuilder pb) throws Exception {
        Process p = pb.start();
        assertTrue(p.waitFor(SAFETY_SECONDS, TimeUnit.SECONDS), "child run timed out");
        return p.exitValue();
    }

    /** The step of the run's newest frame on disk (frames are renamed into place whole), or −1. */
    static long lastFrame(Path dir) {
        try {
            List<Long> steps = SnapshotStore.frameSteps(dir);
            return steps.isEmpty() ? -1 : steps.get(steps.size() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls until {@code ready} holds; fails if the child exits first (with its log) or hangs past the safety limit. */
    static void awaitWhileRunning(Process p, Path log, String what, BooleanSupplier ready) throws Exception {
        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAFETY_SECONDS);
        while (!ready.getAsBoolean()) {
            if (!p.isAlive()) {
                fail("the run exited with " + p.exitValue() + " before " + what + ": " + Files.readString(log));
            }
            assertTrue(System.nanoTime() < limit, "no " + what + " within " + SAFETY_SECONDS + " s");
            Thread.sleep(5);
        }
    }

    @Test
    void sigkillAtARandomMomentThenRestartIsBitForBit(@TempDir Path tmp) throws Exception {
        Path reference = tmp.resolve("reference");
        assertEquals(0, runToEnd(eddy(tmp.resolve("ref.log"), with(CASE, "--out", reference.toString()))));

        Path victim = tmp.resolve("victim");
        Path log = tmp.resolve("victim.log");
        Process p = eddy(log, with(CASE, "--out", victim.toString())).start();
        awaitWhileRunning(p, log, "its first checkpoint", () -> Files.exists(victim.resolve(RunFiles.CHECKPOINT)));
        // then any moment: the run may be mid-step, mid-snapshot, mid-checkpoint or done; each must restart bit for bit
        long delayMs = new Random().nextInt(300);
        Thread.sleep(delayMs);
        p.destroyForcibly(); // SIGKILL: no hook, no cleanup
        assertTrue(p.waitFor(SAFETY_SECONDS, TimeUnit.SECONDS), "a SIGKILLed child did not exit");
        long killedAt = Checkpoint.read(victim).step();

        if (killedAt < 400) {
            assertEquals(0, runToEnd(eddy(tmp.resolve("restart.log"), "run", "--restart", victim.toString(), "--quiet")),
                    Files.readString(tmp.resolve("restart.log")));
        }
        Checkpoint a = Checkpoint.read(reference);
        Checkpoint b = Checkpoint.read(victim);
        assertEquals(400, b.step());
        assertArrayEquals(a.state(), b.state(), 0.0, "killed at step " + killedAt + " after " + delayMs + " ms");
        assertEquals(a.diagnostics(), b.diagnostics());
        try (var files = Files.list(victim)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "stale temporary files");
        }
    }

    /**
     * SIGTERM saves a checkpoint of the step reached and exits 143. The run writes no periodic checkpoint, so
     * the one it leaves can only be the signal's; the signal is sent once a frame shows the run is stepping.
     */
    @Test
    void sigtermSavesACheckpointAndExitsCleanly(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        Path log = tmp.resolve("run.log");
        String[] longCase = with(CASE, "--out", dir.toString());
        set(longCase, "--steps", "1000000");
        set(longCase, "--checkpoint-every", "0");
        set(longCase, "--snapshot-every", "10");
        Process p = eddy(log, longCase).start();
        awaitWhileRunning(p, log, "a frame after step 0", () -> lastFrame(dir) > 0);
        long reached = lastFrame(dir);
        assertFalse(Files.exists(dir.resolve(RunFiles.CHECKPOINT)), "no checkpoint before the signal");
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(SAFETY_SECONDS, TimeUnit.SECONDS), "no exit after SIGTERM");
        assertEquals(143, p.exitValue(), Files.readString(log)); // 128 + SIGTERM
        Checkpoint cp = Checkpoint.read(dir);
        assertTrue(cp.step() >= reached, "the checkpoint of step " + cp.step() + " is at or after the frame of step " + reached);
        String text = Files.readString(log);
        assertTrue(text.contains("interrupted at step " + cp.step() + ", checkpoint saved"), "log: [" + text + "] step " + cp.step());
        // and it continues
        assertEquals(0, runToEnd(eddy(tmp.resolve("more.log"), "run", "--restart", dir.toString(), "--steps",
                String.valueOf(cp.step() + 10), "--quiet")));
        assertEquals(cp.step() + 10, Checkpoint.read(dir).step());
        assertTrue(new File(dir.toFile(), "snapshots.h5").isFile());
    }
}
