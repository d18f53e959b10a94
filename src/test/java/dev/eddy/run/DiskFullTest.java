package dev.eddy.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.eddy.cli.CliTestAccess;
import dev.eddy.cli.ExitCodes;
import dev.eddy.io.BinaryRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A disk that fills up mid-run: exit 1 with a message that says so; every file already there is complete. */
@Tag("robustness")
class DiskFullTest {
    /** Whether the command succeeded; one that does not finish fails the test (a slow machine must not turn into a skip). */
    static boolean sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), String.join(" ", cmd) + " did not finish");
        return p.exitValue() == 0;
    }

    @Test
    void fullDiskIsAClearRuntimeErrorAndLosesNothingWritten(@TempDir Path tmp) throws Exception {
        Path mount = tmp.resolve("tiny");
        Files.createDirectories(mount);
        assumeTrue(sh("mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", mount.toString()),
                "cannot mount a small tmpfs here (needs root): the full-disk test is skipped");
        try {
            Path dir = mount.resolve("run");
            var o = CliTestAccess.eddy("run", "--out", dir.toString(), "--n", "128", "--steps", "100", "--snapshot-every", "10",
                    "--quiet");
            assertEquals(ExitCodes.RUNTIME, o.code(), o.err());
            assertTrue(o.err().contains("No space left on device") && o.err().contains("files already written are kept"), o.err());
            try (var frames = Files.list(dir.resolve("frames"))) {
                for (Path f : frames.toList()) {
                    assertTrue(!f.getFileName().toString().endsWith(".tmp"), "temporary left: " + f);
                    BinaryRecord.read(f, "EDDYFRAM"); // every frame on disk is complete and checksummed
                }
            }
        } finally {
            sh("umount", mount.toString());
        }
    }
}
