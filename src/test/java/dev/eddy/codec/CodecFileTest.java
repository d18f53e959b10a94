package dev.eddy.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.io.CorruptFileException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The .eddyc format: round trip, documented layout, and the crafted corpus of bad files. */
@Tag("fast")
class CodecFileTest {
    @TempDir
    Path dir;

    @Test
    void writesTheDocumentedLayoutAndReadsItBack() throws IOException {
        byte[] bytes = CodecFiles.small(dir);
        CodecSettings s = CodecFiles.SMALL;
        assertEquals(CodecFile.fileBytes(s, 2), bytes.length);
        // d = 2(2K+1)(K+1) = 30 float32, (16/4)² = 16 α, 16²/4 = 64 bytes of t, 20 bytes of step/time/CRC
        assertEquals(30 * 4 + 16 * 4 + 64 + 20, CodecFile.recordBytes(s));
        var h = CodecFiles.le(bytes);
        assertEquals("EDDYCODE", new String(bytes, 0, 8, java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(1, h.getInt(8));
        assertEquals(16, h.getInt(16));
        assertEquals(2, h.getInt(20));
        assertEquals(4, h.getInt(24));
        assertEquals(CodecFile.FLAG_MAJORITY, h.getInt(28));
        assertEquals(4, h.getInt(32));
        assertEquals(0.7, h.getDouble(40));
        assertEquals(2, h.getLong(56));
        List<CodecFile.Snapshot> snaps = CodecFile.readAll(dir.resolve("small.eddyc"));
        assertEquals(2, snaps.size());
        assertEquals(10L, snaps.get(1).step());
        assertEquals(0.5, snaps.get(1).time());
        assertEquals(s, headerOf(dir.resolve("small.eddyc")));
        // re-writing what was read gives the same bytes
        CodecFile.write(dir.resolve("again.eddyc"), s, snaps);
        assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("again.eddyc")));
    }

    private static CodecSettings headerOf(Path f) throws IOException {
        try (CodecFile.Reader r = CodecFile.open(f)) {
            return r.header().settings();
        }
    }

    @Test
    void anEmptySeriesIsAValidFile() throws IOException {
        CodecFile.write(dir.resolve("empty.eddyc"), CodecFiles.SMALL, List.of());
        assertEquals(CodecFile.HEADER_BYTES, Files.size(dir.resolve("empty.eddyc")));
        assertTrue(CodecFile.readAll(dir.resolve("empty.eddyc")).isEmpty());
    }

    /** Each crafted bad file and a word its error message must contain. */
    static List<Object[]> corpus() {
        Map<String, String> expected = Map.ofEntries(
                Map.entry("wrong-magic.eddyc", "magic"),
                Map.entry("version-99.eddyc", "version 99"),
                Map.entry("truncated-record.eddyc", "truncated"),
                Map.entry("truncated-header.eddyc", "truncated"),
                Map.entry("flipped-bit-in-z.eddyc", "checksum mismatch in snapshot 0"),
                Map.entry("crc-ok-k-too-large.eddyc", "K < N/3"),
                Map.entry("crc-ok-tile-not-dividing.eddyc", "divide N"),
                Map.entry("crc-ok-count-overflow.eddyc", "overflows"),
                Map.entry("crc-ok-huge-n-beyond-file.eddyc", "truncated"),
                Map.entry("crc-ok-latent-length-wrong.eddyc", "latent section length"),
                Map.entry("crc-ok-invalid-ternary-code.eddyc", "invalid 2-bit code"),
                Map.entry("crc-ok-nan-alpha.eddyc", "non-finite α"));
        return expected.entrySet().stream().map(e -> new Object[] {e.getKey(), e.getValue()}).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void theCorpusOfBadFilesIsRefusedWithAReason(String name, String why) throws IOException {
        Path f = copyResource(name);
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> CodecFile.readAll(f));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }

    @Test
    void theCorpusValidFileDecodes() throws IOException {
        List<CodecFile.Snapshot> snaps = CodecFile.readAll(copyResource("valid.eddyc"));
        assertEquals(2, snaps.size());
    }

    private Path copyResource(String name) throws IOException {
        Path f = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/codec-corpus/" + name)) {
            assertTrue(in != null, "missing test resource codec-corpus/" + name);
            Files.copy(in, f);
        }
        return f;
    }
}
