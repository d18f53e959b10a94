package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.sim.MemberStatus;
import dev.eddy.store.EnsembleCheckpoint;
import dev.eddy.store.RunFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/**
 * {@code eddy ensemble --slurm} on a real one-node Slurm cluster (Debian 12's slurm-wlm and munge,
 * started by {@code scripts/slurm-local.sh} and stopped after): a 3-task array of a small CPU ensemble,
 * task 1 killed mid-run (halted as kill -9 would, right after its second checkpoint), the job submitted
 * again, and the merged ensemble compared with the same ensemble run in one process: the same bytes.
 * Every wait is on a condition (the jobs leaving the queue), bounded by the test's timeout.
 *
 * <p>Needs root to start the daemons; without it the test says so on the console and is skipped, or
 * fails where {@value #REQUIRE_SLURM}=1 ({@code scripts/test.sh --ci}).
 */
@Tag("robustness")
class SlurmEnsembleTest {
    static final String REQUIRE_SLURM = "EDDY_REQUIRE_SLURM";
    /** Six members of N = 32, 40 steps with a checkpoint every 10: the killed task stops at step 20 of 40. */
    static final String[] CASE = {"ensemble", "--n", "32", "--kp", "4", "--seeds", "1..3", "--nu", "1e-3,2e-3", "--steps", "40",
            "--snapshot-every", "10", "--diag-every", "5", "--checkpoint-every", "10", "--threads", "1"};

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void aKilledTaskResumesAndTheMergedEnsembleIsTheOneProcessRun(@TempDir Path tmp) throws Exception {
        Path cluster = tmp.resolve("cluster");
        Process up = new ProcessBuilder("scripts/slurm-local.sh", "up", cluster.toString()).redirectErrorStream(true).start();
        String upLog = new String(up.getInputStream().readAllBytes());
        int upCode = up.waitFor();
        if (upCode == 77) {
            String why = "Slurm test cannot run here: " + upLog.strip();
            if ("1".equals(System.getenv(REQUIRE_SLURM))) {
                throw new AssertionFailedError(REQUIRE_SLURM + "=1, so the Slurm test fails rather than skip: " + why);
            }
            System.err.println("eddy tests: *** " + why + " — SlurmEnsembleTest SKIPPED (run as root, as CI does) ***");
            Assumptions.abort(why);
        }
        assertEquals(0, upCode, "scripts/slurm-local.sh up: " + upLog);
        try {
            run(tmp, cluster.resolve("slurm.conf"));
        } finally {
            Process down = new ProcessBuilder("scripts/slurm-local.sh", "down", cluster.toString()).redirectErrorStream(true).start();
            down.getInputStream().readAllBytes();
            down.waitFor();
        }
    }

    private void run(Path tmp, Path slurmConf) throws Exception {
        Path one = tmp.resolve("one");
        Path job = tmp.resolve("job");
        var reference = CliTest.eddy(EnsembleCliTest.args(CASE, "--out", one.toString(), "--quiet", "--no-report"));
        assertEquals(ExitCodes.OK, reference.code(), reference.err());
        var written = CliTest.eddy(EnsembleCliTest.args(CASE, "--out", job.toString(), "--slurm", "3"));
        assertEquals(ExitCodes.OK, written.code(), written.err());

        Map<String, String> env = Map.of("SLURM_CONF", slurmConf.toString(), "EDDY", launcher(tmp).toString());
        Path submit = job.resolve("slurm/submit.sh");
        int[] first = submit(submit, env);
        waitUntil("the first array job and its merge leave the queue", () -> gone(env, first[0]) && gone(env, first[1]));
        log("first submission: array job " + first[0] + ", merge job " + first[1]);
        for (int task = 0; task < 3; task++) {
            log("  task " + task + ": " + state(env, first[0] + "_" + task));
        }
        log("  merge: " + state(env, String.valueOf(first[1])));
        assertTrue(state(env, first[0] + "_1").contains("JobState=FAILED"), state(env, first[0] + "_1"));
        assertTrue(state(env, first[0] + "_0").contains("JobState=COMPLETED"));
        assertFalse(state(env, String.valueOf(first[1])).contains("JobState=COMPLETED"), "the merge ran despite a failed task");
        assertFalse(Files.exists(job.resolve(RunFiles.ENSEMBLE)), "nothing merged yet");
        EnsembleCheckpoint killed = EnsembleCheckpoint.read(job.resolve("parts/part-001"));
        assertEquals(20, killed.step(), "task 1 was killed after its checkpoint of step 20");
        assertTrue(killed.status().stream().allMatch(MemberStatus::running));

        int[] again = submit(submit, env);
        waitUntil("the second array job and its merge leave the queue", () -> gone(env, again[0]) && gone(env, again[1]));
        log("second submission: array job " + again[0] + ", merge job " + again[1]);
        for (int task = 0; task < 3; task++) {
            log("  task " + task + ": " + state(env, again[0] + "_" + task));
            assertTrue(state(env, again[0] + "_" + task).contains("JobState=COMPLETED"), state(env, again[0] + "_" + task));
        }
        log("  merge: " + state(env, String.valueOf(again[1])));
        assertTrue(state(env, String.valueOf(again[1])).contains("JobState=COMPLETED"));
        String task1 = Files.readString(job.resolve("slurm/logs/part-1.log"));
        assertTrue(task1.contains("fault injected at ensemble-checkpoint-committed") && task1.contains("restarting the ensemble from step 20"),
                task1);
        String task0 = Files.readString(job.resolve("slurm/logs/part-0.log"));
        assertTrue(task0.contains("restarting the ensemble from step 40"), "a finished part returns at once when resubmitted: " + task0);
        for (String line : task1.split("\n")) {
            if (line.startsWith("eddy: task") || line.startsWith("restarting") || line.contains("fault injected") || line.startsWith("done:")) {
                log("  part-1.log: " + line);
            }
        }
        log("  merge.log: " + Files.readString(job.resolve("slurm/logs/merge.log")).strip().lines().filter(l -> l.contains("merged"))
                .findFirst().orElse("(no merge line)"));

        // the merged store and checkpoint are the one-process run's, byte for byte
        for (String file : List.of(RunFiles.ENSEMBLE, RunFiles.ENSEMBLE_CHECKPOINT, RunFiles.ENSEMBLE_CONFIG)) {
            SameBytes.assertSame(one, job, file);
        }
        EnsembleCheckpoint merged = EnsembleCheckpoint.read(job);
        assertEquals(6, merged.config().size());
        assertEquals(40, merged.step());
        log("merged " + job.resolve(RunFiles.ENSEMBLE) + ": " + merged.config().size() + " members at step " + merged.step()
                + ", ensemble.zarr, ensemble-checkpoint.bin and ensemble.json byte-identical to the one-process run");
    }

    private static void log(String line) {
        System.out.println("slurm test: " + line);
    }

    /** A launcher for the tasks: this build's classes; task 1's first run halts right after its second checkpoint. */
    private static Path launcher(Path tmp) throws IOException {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path mark = tmp.resolve("task-1-killed-once");
        Path script = tmp.resolve("eddy-under-test.sh");
        Files.writeString(script, String.join("\n",
                "#!/bin/bash",
                "opts=()",
                "if [[ \"${SLURM_ARRAY_TASK_ID:-}\" == 1 && ! -e '" + mark + "' ]]; then",
                "  touch '" + mark + "'",
                "  opts=(-Deddy.faults=ensemble-checkpoint-committed@2)",
                "fi",
                "exec '" + java + "' --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true \"${opts[@]}\" -cp '" + classPath
                        + "' dev.eddy.cli.Main \"$@\"") + "\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    /** Runs submit.sh; returns the array's and the merge's job ids. */
    private static int[] submit(Path submit, Map<String, String> env) throws Exception {
        String out = command(env, "bash", submit.toString());
        Matcher m = Pattern.compile("array job (\\d+), merge job (\\d+)").matcher(out);
        assertTrue(m.find(), out);
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /** Whether job {@code id} (an array: every task) has left the queue. */
    private static boolean gone(Map<String, String> env, int id) {
        try {
            return command(env, "squeue", "-h", "-j", String.valueOf(id)).isBlank();
        } catch (Exception e) {
            throw new AssertionFailedError("squeue failed", e);
        }
    }

    /** {@code scontrol show job -o ID}: the job's record, one line. */
    private static String state(Map<String, String> env, String id) throws Exception {
        String line = command(env, "scontrol", "show", "job", "-o", id).strip();
        Matcher m = Pattern.compile("JobState=\\S+|ExitCode=\\S+|Reason=\\S+").matcher(line);
        List<String> fields = new ArrayList<>();
        while (m.find()) {
            fields.add(m.group());
        }
        return String.join(" ", fields);
    }

    private static String command(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }

    /** Polls {@code done} until it holds (the test's timeout bounds the wait). */
    private static void waitUntil(String what, BooleanSupplier done) throws InterruptedException {
        long t0 = System.nanoTime();
        while (!done.getAsBoolean()) {
            Thread.sleep(250); // a poll interval, not a guess at how long the jobs take
        }
        log(what + " after " + String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) * 1e-9) + " s");
    }
}
