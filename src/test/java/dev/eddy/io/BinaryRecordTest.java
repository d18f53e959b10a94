package dev.eddy.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Eddy's checksummed container: round trips exactly, and every corruption is a clear error, never a wrong field. */
@Tag("fast")
class BinaryRecordTest {
    @Test
    void roundTripsBothPrecisionsExactly(@TempDir Path tmp) throws Exception {
        double[] v = new Random(1).doubles(1000).toArray();
        BinaryRecord.write(tmp.resolve("a"), "EDDYTEST", "{\"x\":1}", 8, v);
        var c = BinaryRecord.read(tmp.resolve("a"), "EDDYTEST");
        assertArrayEquals(v, c.values(), 0.0);
        assertEquals("{\"x\":1}", c.header());
        double[] f = Arrays.stream(v).map(x -> (float) x).toArray();
        BinaryRecord.write(tmp.resolve("b"), "EDDYTEST", "{}", 4, f);
        assertArrayEquals(f, BinaryRecord.read(tmp.resolve("b"), "EDDYTEST").values(), 0.0);
    }

    @Test
    void everyFlippedByteAndEveryTruncationIsDetected(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("r");
        BinaryRecord.write(file, "EDDYTEST", "{\"step\":3}", 4, new double[] {1, 2, 3, 4, 5});
        byte[] good = Files.readAllBytes(file);
        Random random = new Random(5);
        for (int i = 0; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= (byte) (1 + random.nextInt(255));
            Files.write(file, bad);
            var e = assertThrows(java.io.IOException.class, () -> BinaryRecord.read(file, "EDDYTEST"), "flip at " + i);
            assertTrue(e instanceof CorruptFileException, "flip at " + i + ": " + e);
        }
        for (int len = 0; len < good.length; len++) {
            Files.write(file, Arrays.copyOf(good, len));
            assertThrows(CorruptFileException.class, () -> BinaryRecord.read(file, "EDDYTEST"), "truncated to " + len);
        }
    }

    @Test
    void hostileLengthsAndVersionsAreRejected(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("r");
        BinaryRecord.write(file, "EDDYTEST", "{}", 8, new double[] {1});
        byte[] good = Files.readAllBytes(file);
        byte[] version = good.clone();
        ByteBuffer.wrap(version).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 99);
        Files.write(file, version);
        var e = assertThrows(CorruptFileException.class, () -> BinaryRecord.read(file, "EDDYTEST"));
        assertTrue(e.getMessage().contains("version 99"), e.getMessage());
        byte[] huge = good.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(12, Integer.MAX_VALUE);
        Files.write(file, huge);
        assertThrows(CorruptFileException.class, () -> BinaryRecord.read(file, "EDDYTEST"));
        byte[] count = good.clone();
        ByteBuffer.wrap(count).order(ByteOrder.LITTLE_ENDIAN).putLong(8 + 4 + 4 + 2 + 4, Long.MAX_VALUE / 2);
        Files.write(file, count);
        assertThrows(CorruptFileException.class, () -> BinaryRecord.read(file, "EDDYTEST"));
        var other = assertThrows(CorruptFileException.class, () -> BinaryRecord.read(file, "EDDYCKPT"));
        assertTrue(other.getMessage().contains("magic"), other.getMessage());
    }
}
