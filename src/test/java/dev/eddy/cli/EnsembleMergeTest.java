package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.sim.MemberStatus;
import dev.eddy.store.EnsembleCheckpoint;
import dev.eddy.store.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eddy ensemble --members-range} parts and {@code eddy ensemble merge}: the one-process bytes, and each bad input in one line. */
@Tag("robustness")
class EnsembleMergeTest {
    static final String[] CASE = {"ensemble", "--n", "32", "--kp", "4", "--seeds", "1..3", "--nu", "1e-3,2e-3", "--steps", "20",
            "--snapshot-every", "10", "--diag-every", "5", "--no-report", "--quiet"};

    static void part(Path dir, String range) {
        var r = CliTest.eddy(EnsembleCliTest.args(CASE, "--members-range", range, "--out", dir.toString(), "--resume"));
        assertEquals(ExitCodes.OK, r.code(), r.err());
    }

    static CliTest.Outcome merge(Path dir) {
        return CliTest.eddy("ensemble", "merge", dir.toString(), "--no-report");
    }

    static void assertRefused(CliTest.Outcome r, int code, String says) {
        assertEquals(code, r.code(), r.err());
        assertTrue(r.err().contains(says), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
    }

    @Test
    void unevenPartsMergeIntoTheOneProcessEnsemble(@TempDir Path tmp) throws Exception {
        Path one = tmp.resolve("one");
        assertEquals(ExitCodes.OK, CliTest.eddy(EnsembleCliTest.args(CASE, "--out", one.toString())).code());
        Path job = tmp.resolve("job");
        part(job.resolve("a"), "0:1");
        part(job.resolve("b"), "1:5");
        part(job.resolve("c"), "5:6");
        part(job.resolve("b"), "1:5"); // run again with the same command: resumes from its finished checkpoint
        var r = merge(job);
        assertEquals(ExitCodes.OK, r.code(), r.err());
        for (String file : List.of(RunFiles.ENSEMBLE, RunFiles.ENSEMBLE_CHECKPOINT, RunFiles.ENSEMBLE_CONFIG)) {
            SameBytes.assertSame(one, job, file);
        }
        assertEquals(ExitCodes.OK, merge(job).code(), "a merge again replaces the first");
        var more = CliTest.eddy("ensemble", "--restart", job.toString(), "--steps", "30", "--quiet", "--no-report");
        assertEquals(ExitCodes.OK, more.code(), "the merged ensemble continues as one: " + more.err());
    }

    @Test
    void aMissingDoubledUnfinishedOrCorruptPartIsRefused(@TempDir Path tmp) throws Exception {
        Path job = tmp.resolve("job");
        assertRefused(merge(job), ExitCodes.USAGE, "no such directory");
        part(job.resolve("a"), "0:2");
        part(job.resolve("c"), "4:6");
        assertRefused(merge(job), ExitCodes.USAGE, "members 2:4 are in no part: a part is missing");
        part(job.resolve("b"), "1:4");
        assertRefused(merge(job), ExitCodes.USAGE, "members 1:2 are in two parts");
        Files.writeString(job.resolve("b").resolve(RunFiles.ENSEMBLE_PART), "{}");
        assertRefused(merge(job), ExitCodes.RUNTIME, "corrupt file");

        Path other = tmp.resolve("other");
        part(other.resolve("a"), "0:3");
        part(other.resolve("b"), "3:6");
        EnsembleCheckpoint cp = EnsembleCheckpoint.read(other.resolve("b"));
        List<MemberStatus> running = cp.status().stream().map(s -> new MemberStatus(s.step(), s.time(), MemberStatus.Phase.RUNNING, null))
                .toList();
        new EnsembleCheckpoint(cp.config(), cp.step(), running, cp.diagnostics(), cp.states(), cp.snapshots()).write(other.resolve("b"));
        assertRefused(merge(other), ExitCodes.USAGE, "is not finished");
        Path bin = other.resolve("b").resolve(RunFiles.ENSEMBLE_CHECKPOINT);
        byte[] bytes = Files.readAllBytes(bin);
        bytes[bytes.length / 2] ^= 1;
        Files.write(bin, bytes);
        assertRefused(merge(other), ExitCodes.RUNTIME, "corrupt file");
    }

    @Test
    void badPartAndSlurmFlagsAreRefused(@TempDir Path tmp) {
        String out = tmp.resolve("e").toString();
        assertRefused(CliTest.eddy(EnsembleCliTest.args(CASE, "--out", out, "--members-range", "4:2")), ExitCodes.USAGE, "--members-range 4:2");
        assertRefused(CliTest.eddy(EnsembleCliTest.args(CASE, "--out", out, "--members-range", "0:7")), ExitCodes.USAGE, "6 members");
        assertRefused(CliTest.eddy(EnsembleCliTest.args(CASE, "--out", out, "--members-range", "2")), ExitCodes.USAGE, "takes A:B");
        assertRefused(CliTest.eddy(EnsembleCliTest.args(CASE, "--out", out, "--gres", "gpu:1")), ExitCodes.USAGE, "give --slurm");
        assertRefused(CliTest.eddy(EnsembleCliTest.args(CASE, "--out", out, "--slurm", "7")), ExitCodes.USAGE, "1 to 6 tasks");
        assertRefused(CliTest.eddy(EnsembleCliTest.args(CASE, "--out", out, "--slurm", "2", "--members-range", "0:2")), ExitCodes.USAGE,
                "what its tasks run");
        String[] byTime = {"ensemble", "--n", "32", "--seeds", "1..4", "--end-time", "0.5", "--out", out, "--slurm", "2"};
        assertRefused(CliTest.eddy(byTime), ExitCodes.USAGE, "runs --steps, not --end-time");
        part(tmp.resolve("p"), "0:2");
        assertRefused(CliTest.eddy(EnsembleCliTest.args(CASE, "--members-range", "2:4", "--out", tmp.resolve("p").toString(), "--resume")),
                ExitCodes.USAGE, "is the part of members 0:2");
        String[] longer = EnsembleCliTest.args(CASE, "--members-range", "0:2", "--out", tmp.resolve("p").toString(), "--resume", "--mu", "0.1");
        assertRefused(CliTest.eddy(longer), ExitCodes.USAGE, "is the part of members 0:2 of another ensemble");
    }
}
