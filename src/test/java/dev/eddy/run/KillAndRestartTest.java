package dev.eddy.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.store.RunFiles;
import dev.eddy.store.SnapshotStore;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
        return FaultInjectionTest.eddy(log, List.of(), args);
    }

    static String[] with(String[] a, String... b) {
        return FaultInjectionTest.with(a, b);
    }

    static int runToEnd(ProcessBuilder pb) throws Exception {
        Process p = pb.start();
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "child run timed out");
        return p.exitValue();
    }

    @Test
    void sigkillAtARandomMomentThenRestartIsBitForBit(@TempDir Path tmp) throws Exception {
        Path reference = tmp.resolve("reference");
        assertEquals(0, runToEnd(eddy(tmp.resolve("ref.log"), with(CASE, "--out", reference.toString()))));

        Random random = new Random(); // a different moment each time; the seed is printed on failure
        long delayMs = 0;
        Path victim = tmp.resolve("victim");
        Process p = eddy(tmp.resolve("victim.log"), with(CASE, "--out", victim.toString())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(victim.resolve(RunFiles.CHECKPOINT)) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        delayMs = random.nextInt(300);
        Thread.sleep(delayMs);
        p.destroyForcibly(); // SIGKILL: no hook, no cleanup
        p.waitFor(30, TimeUnit.SECONDS);
        long killedAt = Checkpoint.read(victim).step();

        if (killedAt < 400) {
            assertEquals(0, runToEnd(eddy(tmp.resolve("restart.log"), "run", "--restart", victim.toString(), "--quiet")),
                    Files.readString(tmp.resolve("restart.log")));
        }
        Checkpoint a = Checkpoint.read(reference);
        Checkpoint b = Checkpoint.read(victim);
        assertEquals(400, b.step());
        assertArrayEquals(a.state(), b.state(), 0.0, "killed at step " + killedAt + " after " + delayMs + " ms");
        assertEquals(SnapshotStore.open(reference).diagnostics(), SnapshotStore.open(victim).diagnostics());
        try (var files = Files.list(victim)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "stale temporary files");
        }
    }

    @Test
    void sigtermSavesACheckpointAndExitsCleanly(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        String[] longCase = with(CASE, "--out", dir.toString());
        longCase[java.util.Arrays.asList(longCase).indexOf("--steps") + 1] = "1000000";
        Process p = eddy(tmp.resolve("run.log"), longCase).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.exists(dir.resolve(RunFiles.CHECKPOINT)) && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        Thread.sleep(200);
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(143, p.exitValue(), Files.readString(tmp.resolve("run.log"))); // 128 + SIGTERM
        Checkpoint cp = Checkpoint.read(dir);
        assertTrue(cp.step() % 20 != 0 || cp.step() > 20, "a checkpoint of the step reached at the signal: " + cp.step());
        String log = Files.readString(tmp.resolve("run.log"));
        assertTrue(log.contains("interrupted at step " + cp.step() + ", checkpoint saved"), "log: [" + log + "] step " + cp.step());
        // and it continues
        assertEquals(0, runToEnd(eddy(tmp.resolve("more.log"), "run", "--restart", dir.toString(), "--steps",
                String.valueOf(cp.step() + 10), "--quiet")));
        assertEquals(cp.step() + 10, Checkpoint.read(dir).step());
        assertTrue(new File(dir.toFile(), RunFiles.SNAPSHOTS).isDirectory());
    }
}
