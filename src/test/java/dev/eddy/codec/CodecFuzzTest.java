package dev.eddy.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.eddy.io.CorruptFileException;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: for any corruption of a valid code file, reading it either throws CorruptFileException
 * or (if the mutation changed nothing that matters) returns exactly the original snapshots; never
 * another exception, a hang or an allocation sized by the corrupt bytes. Seeded, so a failure replays.
 */
@Tag("robustness")
class CodecFuzzTest {
    private static final int CASES = 3000;
    /**
     * Most a case may allocate. Measured: at most 0.22 MB for the 640-byte file (decoding included); an
     * allocation sized by corrupt bytes (a count of 2³¹, an N of 65536) would be gigabytes.
     */
    private static final long MAX_BYTES_PER_CASE = 16L << 20;
    private static final long[] EXTREMES = {0, 1, -1, 2, 3, 255, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFFL,
            Long.MAX_VALUE, Long.MIN_VALUE, 65536, 65537, 1L << 40, Double.doubleToLongBits(Double.NaN),
            Double.doubleToLongBits(Double.POSITIVE_INFINITY), Double.doubleToLongBits(-1.0)};

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES) // against a hang only: the 3000 cases take seconds
    void randomCorruptionsAreRefusedOrHarmless() throws IOException {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count allocated bytes per thread");
        byte[] good = CodecFiles.small(dir);
        List<CodecFile.Snapshot> original = CodecFile.readAll(dir.resolve("small.eddyc"));
        Random rnd = new Random(20240601);
        Path f = dir.resolve("fuzz.eddyc");
        int refused = 0;
        long largest = 0;
        for (int c = 0; c < CASES; c++) {
            int kind = c % 6;
            byte[] b = mutate(good, rnd, kind);
            Files.write(f, b);
            long before = threads.getCurrentThreadAllocatedBytes();
            try {
                List<CodecFile.Snapshot> read = CodecFile.readAll(f);
                if (kind == 5) {
                    // header field rewritten with a valid checksum: may be a different but valid file;
                    // then it must decode without any exception
                    decodeAll(f, read);
                } else {
                    assertSame(original, read, "case " + c + " (kind " + kind + ") read back something else");
                }
            } catch (CorruptFileException e) {
                refused++;
            } catch (Throwable e) {
                fail("case " + c + " (kind " + kind + ") threw " + e, e);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < MAX_BYTES_PER_CASE, "case " + c + " (kind " + kind + ") allocated " + allocated + " bytes");
            largest = Math.max(largest, allocated);
        }
        System.out.printf(Locale.ROOT, "%d corrupt files: %d refused; at most %d bytes allocated by one%n", CASES, refused, largest);
        assertTrue(refused > CASES * 0.9, "only " + refused + " of " + CASES + " refused");
    }

    private static void decodeAll(Path f, List<CodecFile.Snapshot> read) throws IOException {
        CodecSettings s;
        try (CodecFile.Reader r = CodecFile.open(f)) {
            s = r.header().settings();
        }
        try (SnapshotCodec codec = dev.eddy.TestConfigs.cpuCodec(s, 1)) {
            for (CodecFile.Snapshot snap : read) {
                codec.decode(snap.code(), true);
            }
        }
    }

    private static byte[] mutate(byte[] good, Random rnd, int kind) {
        byte[] b = good.clone();
        switch (kind) {
            case 0 -> { // flip 1–3 bits anywhere
                for (int i = 0, m = 1 + rnd.nextInt(3); i < m; i++) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> b = Arrays.copyOf(good, rnd.nextInt(good.length)); // truncate
            case 2 -> { // insert 1–8 random bytes
                int at = rnd.nextInt(good.length + 1);
                int m = 1 + rnd.nextInt(8);
                b = new byte[good.length + m];
                System.arraycopy(good, 0, b, 0, at);
                for (int i = 0; i < m; i++) {
                    b[at + i] = (byte) rnd.nextInt(256);
                }
                System.arraycopy(good, at, b, at + m, good.length - at);
            }
            case 3 -> { // delete a span
                int at = rnd.nextInt(good.length);
                int m = 1 + rnd.nextInt(Math.min(16, good.length - at));
                b = new byte[good.length - m];
                System.arraycopy(good, 0, b, 0, at);
                System.arraycopy(good, at + m, b, at, good.length - at - m);
            }
            case 4, 5 -> { // overwrite a header field (4 or 8 bytes) with an extreme value; kind 5 fixes the CRC
                int width = rnd.nextBoolean() ? 4 : 8;
                int at = 8 + 4 * rnd.nextInt((CodecFile.HEADER_BYTES - 4 - 8 - width) / 4 + 1);
                long v = EXTREMES[rnd.nextInt(EXTREMES.length)];
                if (width == 4) {
                    CodecFiles.le(b).putInt(at, (int) v);
                } else {
                    CodecFiles.le(b).putLong(at, v);
                }
                if (kind == 5) {
                    CodecFiles.fixHeaderCrc(b);
                }
            }
            default -> throw new IllegalStateException();
        }
        return b;
    }

    private static void assertSame(List<CodecFile.Snapshot> a, List<CodecFile.Snapshot> b, String why) {
        assertEquals(a.size(), b.size(), why);
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).step(), b.get(i).step(), why);
            assertEquals(a.get(i).time(), b.get(i).time(), why);
            assertArrayEquals(a.get(i).code().z(), b.get(i).code().z(), why);
            assertArrayEquals(a.get(i).code().alpha(), b.get(i).code().alpha(), why);
            assertArrayEquals(a.get(i).code().packed(), b.get(i).code().packed(), why);
        }
    }
}
