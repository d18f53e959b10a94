package dev.eddy.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eddy.cli.CliTestAccess;
import dev.eddy.cli.ExitCodes;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up mid-run (a small tmpfs): exit 1 with a message that says so; the directory keeps
 * a readable store with every checkpointed snapshot and no temporary file; once there is space again, a
 * restart finishes the run bit for bit (against the same run on a roomy disk).
 */
@Tag("robustness")
class DiskFullTest {
    /** Whether the command succeeded; one that does not finish fails the test (a slow machine must not turn into a skip). */
    static boolean sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        return p.exitValue() == 0;
    }

    @Test
    void fullDiskIsAClearRuntimeErrorAndTheRunRecovers(@TempDir Path tmp) throws Exception {
        Path mount = tmp.resolve("tiny");
        java.nio.file.Files.createDirectories(mount);
        assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=600k", "tmpfs", mount.toString()),
                "cannot mount a small tmpfs here (needs root): the full-disk test is skipped");
        try {
            String[] args = {"--n", "64", "--kp", "6", "--steps", "100", "--snapshot-every", "10", "--checkpoint-every", "20",
                "--k", "8", "--tile", "8", "--quiet", "--no-report"};
            Path dir = mount.resolve("run");
            var o = CliTestAccess.eddy(with(new String[] {"run", "--out", dir.toString()}, args));
            assertEquals(ExitCodes.RUNTIME, o.code(), o.err());
            assertTrue(o.err().contains("No space left on device") && o.err().contains("files already written are kept"), o.err());
            RunDirectories.assertReadableAfterKill(dir);
            assertTrue(RunDirectories.temporaries(dir).isEmpty(), "temporaries left: " + RunDirectories.temporaries(dir));

            assertTrue(sh("mount", "-o", "remount,size=16m", mount.toString()), "cannot grow the tmpfs");
            var r = CliTestAccess.eddy("run", "--restart", dir.toString(), "--quiet", "--no-report");
            assertEquals(ExitCodes.OK, r.code(), r.err());
            Path reference = tmp.resolve("reference");
            assertEquals(ExitCodes.OK, CliTestAccess.eddy(with(new String[] {"run", "--out", reference.toString()}, args)).code());
            RunDirectories.assertConsistent(dir, 100);
            RunDirectories.assertSameRun(reference, dir, "after a full disk");
        } finally {
            sh("umount", mount.toString());
        }
    }

    static String[] with(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
