package dev.eddy.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.store.EnsembleCheckpoint;
import dev.eddy.store.EnsembleStore;
import dev.eddy.store.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An ensemble killed (as kill -9) at chosen instants of its store's commit protocol: the store then reads
 * with every snapshot its checkpoint commits, and {@code eddy ensemble --restart} repairs it and ends with
 * the uninterrupted ensemble's {@code ensemble.zarr} and checkpoint, byte for byte.
 */
@Tag("robustness")
class EnsembleFaultInjectionTest {
    static final String[] CASE = {"ensemble", "--n", "32", "--kp", "4", "--seeds", "1..3", "--steps", "60", "--checkpoint-every", "20",
        "--snapshot-every", "10", "--diag-every", "5", "--quiet", "--no-report"};

    @TempDir
    static Path shared;
    static Path reference;

    @BeforeAll
    static void uninterrupted() throws Exception {
        reference = shared.resolve("reference");
        assertEquals(0, FaultInjectionTest.waitFor(FaultInjectionTest.eddy(shared.resolve("ref.log"), List.of(),
                FaultInjectionTest.with(CASE, "--out", reference.toString())).start()), () -> FaultInjectionTest.read(shared.resolve("ref.log")));
    }

    static Stream<String> points() {
        return Stream.of(
                "ensemble-store-committed@2",           // the store committed past the checkpoint
                "ensemble-checkpoint-committed@2",      // right after a checkpoint
                "atomic-write:omega/@7",                // mid-write of the field chunk of step 30 (after .zarray, .zattrs, 3 chunks, .zarray)
                "atomic-write:energy/@5",               // mid-write of a diagnostics chunk at the second checkpoint (its partial chunk rewritten)
                "atomic-write:ensemble.zarr/.zmetadata@3"); // every array's metadata ahead, the consolidated not
    }

    @ParameterizedTest
    @MethodSource("points")
    void aKillAtAChosenPointRestartsToTheSameEnsemble(String point, @TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("victim");
        Process p = FaultInjectionTest.eddy(tmp.resolve("victim.log"), List.of("-Deddy.faults=" + point),
                FaultInjectionTest.with(CASE, "--out", dir.toString())).start();
        assertEquals(137, FaultInjectionTest.waitFor(p), () -> "the fault at " + point + " did not fire: "
                + FaultInjectionTest.read(tmp.resolve("victim.log")));
        EnsembleCheckpoint cp = EnsembleCheckpoint.read(dir);
        EnsembleStore killed = EnsembleStore.open(dir, cp.config());
        List<Long> steps = killed.steps();
        assertTrue(steps.size() >= cp.snapshots(), "the store holds every snapshot its checkpoint commits: " + steps + ", " + cp.snapshots());
        for (long s : steps.subList(0, (int) cp.snapshots())) {
            assertEquals(3, killed.read(s).omega().length, "snapshot of step " + s + " reads (checksums verified)");
        }
        Process r = FaultInjectionTest.eddy(tmp.resolve("restart.log"), List.of(), "ensemble", "--restart", dir.toString(), "--no-report")
                .start();
        assertEquals(0, FaultInjectionTest.waitFor(r), () -> FaultInjectionTest.read(tmp.resolve("restart.log")));
        if (point.startsWith("ensemble-store-committed")) {
            String log = FaultInjectionTest.read(tmp.resolve("restart.log"));
            assertTrue(log.contains("repaired"), "the restart says what it repaired: " + log);
        }
        for (String file : List.of(RunFiles.ENSEMBLE_CHECKPOINT, RunFiles.ENSEMBLE_CONFIG)) {
            assertArrayEquals(Files.readAllBytes(reference.resolve(file)), Files.readAllBytes(dir.resolve(file)), file);
        }
        Path a = reference.resolve(RunFiles.ENSEMBLE);
        Path b = dir.resolve(RunFiles.ENSEMBLE);
        List<String> files = files(a);
        assertEquals(files, files(b), "the same files in the store");
        for (String f : files) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f + " after a kill at " + point);
        }
    }

    static List<String> files(Path dir) throws Exception {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
