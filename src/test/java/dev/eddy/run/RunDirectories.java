package dev.eddy.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.codec.CodecFile;
import dev.eddy.io.Json;
import dev.eddy.store.RunFiles;
import dev.eddy.store.SnapshotStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What "a consistent run directory" means, checked file by file, and "the same run" bit for bit. */
final class RunDirectories {
    private RunDirectories() {
    }

    /**
     * A finished run directory is consistent: its checkpoint is at {@code step}; the store's consolidated
     * metadata, each array's own metadata and the chunk files on disk all hold exactly the checkpoint's
     * counts, every chunk passes its checksum; the code file (if any) holds exactly the checkpoint's count;
     * no temporary file and no INCOMPLETE mark is left.
     */
    static void assertConsistent(Path dir, long step) throws IOException {
        Checkpoint cp = Checkpoint.read(dir);
        assertEquals(step, cp.step(), "checkpoint step");
        assertTrue(!Files.exists(dir.resolve(RunFiles.INCOMPLETE)), "INCOMPLETE left in " + dir);
        SnapshotStore.Reader store = SnapshotStore.open(dir);
        assertEquals(cp.outputs().snapshots(), store.size(), "snapshots in the store against the checkpoint");
        assertEquals(cp.outputs().diagnostics(), store.diagnostics().size(), "diagnostics against the checkpoint");
        for (int i = 0; i < store.size(); i++) {
            store.frame(i); // every chunk's checksum
            assertTrue(store.step(i) <= step && (i == 0 || store.step(i) > store.step(i - 1)), "snapshot steps");
        }
        Path root = dir.resolve(RunFiles.SNAPSHOTS);
        JsonNode meta = Json.MAPPER.readTree(root.resolve(".zmetadata").toFile()).get("metadata");
        try (var arrays = Files.list(root)) {
            for (Path a : arrays.filter(Files::isDirectory).toList()) {
                JsonNode own = Json.MAPPER.readTree(a.resolve(".zarray").toFile());
                JsonNode consolidated = meta.get(a.getFileName() + "/.zarray");
                assertEquals(consolidated.get("shape"), own.get("shape"), a + ": .zarray and .zmetadata disagree");
                long rows = own.get("shape").get(0).asLong();
                long perChunk = own.get("chunks").get(0).asLong();
                try (var chunks = Files.list(a)) {
                    for (Path c : chunks.toList()) {
                        String name = c.getFileName().toString();
                        if (!name.startsWith(".")) {
                            long first = Long.parseLong(name.split("\\.")[0]);
                            assertTrue(first * perChunk < rows, "chunk " + c + " beyond the committed " + rows + " rows");
                        }
                    }
                }
            }
        }
        if (cp.outputs().codec() != null) {
            List<CodecFile.Snapshot> codes = CodecFile.readAll(dir.resolve(RunFiles.CODES));
            assertEquals(cp.outputs().codes(), codes.size(), "codes against the checkpoint");
            assertEquals(store.steps(), codes.stream().map(CodecFile.Snapshot::step).toList(), "a code for every snapshot");
        }
        assertTrue(temporaries(dir).isEmpty(), "temporary files left: " + temporaries(dir));
    }

    static List<Path> temporaries(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (var walk = Files.walk(dir)) {
            walk.filter(p -> p.getFileName().toString().endsWith(".tmp")).forEach(out::add);
        }
        return out;
    }

    /** Two run directories hold the same run: state, snapshots, diagnostics and codes, bit for bit. */
    static void assertSameRun(Path reference, Path dir, String context) throws IOException {
        Checkpoint a = Checkpoint.read(reference);
        Checkpoint b = Checkpoint.read(dir);
        assertEquals(a.step(), b.step(), context);
        assertEquals(a.time(), b.time(), 0.0, context);
        assertArrayEquals(a.state(), b.state(), 0.0, context + ": state");
        assertEquals(a.outputs(), b.outputs(), context + ": output counts");
        SnapshotStore.Reader ra = SnapshotStore.open(reference);
        SnapshotStore.Reader rb = SnapshotStore.open(dir);
        assertEquals(ra.steps(), rb.steps(), context + ": snapshot steps");
        for (int i = 0; i < ra.size(); i++) {
            assertArrayEquals(ra.omega(i), rb.omega(i), 0.0, context + ": omega of snapshot " + i);
            assertEquals(ra.time(i), rb.time(i), 0.0, context + ": time of snapshot " + i);
        }
        assertEquals(ra.diagnostics(), rb.diagnostics(), context + ": diagnostics");
        if (a.outputs().codec() != null) {
            List<CodecFile.Snapshot> ca = CodecFile.readAll(reference.resolve(RunFiles.CODES));
            List<CodecFile.Snapshot> cb = CodecFile.readAll(dir.resolve(RunFiles.CODES));
            assertEquals(ca.size(), cb.size(), context + ": codes");
            for (int i = 0; i < ca.size(); i++) {
                assertEquals(ca.get(i).step(), cb.get(i).step(), context);
                assertArrayEquals(ca.get(i).code().z(), cb.get(i).code().z(), 0.0, context + ": Z of code " + i);
                assertArrayEquals(ca.get(i).code().packed(), cb.get(i).code().packed(), context + ": t of code " + i);
            }
        }
    }

    /**
     * What a killed run must leave even before a restart: a readable store holding at least every
     * snapshot its checkpoint committed (when it has one), and no temporary file visible as an output.
     */
    static void assertReadableAfterKill(Path dir) throws IOException {
        if (!Files.exists(dir.resolve(RunFiles.CHECKPOINT))) {
            assertTrue(Files.exists(dir.resolve(RunFiles.INCOMPLETE)), "a run killed before its first checkpoint is marked incomplete");
            return;
        }
        Checkpoint cp = Checkpoint.read(dir);
        SnapshotStore.Reader store = SnapshotStore.open(dir);
        assertTrue(store.size() >= cp.outputs().snapshots(), "the store lost checkpointed snapshots: " + store.size() + " < "
                + cp.outputs().snapshots());
        for (int i = 0; i < cp.outputs().snapshots(); i++) {
            store.frame(i);
        }
    }
}
