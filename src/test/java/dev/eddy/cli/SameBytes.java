package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Two outputs the same bytes: a file, or a directory (a Zarr store) file by file, with the same file names. */
final class SameBytes {
    private SameBytes() {
    }

    /** {@code one/name} and {@code two/name} hold the same bytes (every file of a directory, and no other). */
    static void assertSame(Path one, Path two, String name) throws IOException {
        Path a = one.resolve(name);
        Path b = two.resolve(name);
        if (!Files.isDirectory(a)) {
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), name);
            return;
        }
        List<String> files = files(a);
        assertEquals(files, files(b), name + ": the same files");
        for (String f : files) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), name + "/" + f);
        }
    }

    static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
