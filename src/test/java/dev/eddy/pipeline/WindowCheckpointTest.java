package dev.eddy.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.codec.SnapshotCodec;
import dev.eddy.io.CorruptFileException;
import dev.eddy.run.HealthCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The training window's checkpoint file: every real and byte back as written, in either precision; damage refused. */
@Tag("fast")
class WindowCheckpointTest {
    static final int D = 6;
    static final int COLUMNS = 4;
    static final int TILES = 9;
    /** Odd: the last two-byte real holds one byte (N = 30 with T = 10 has 225 packed bytes). */
    static final int PACKED = 225;

    static WindowCheckpoint.Header header(double[] band) {
        return new WindowCheckpoint.Header(120, 0.96, 0.008, 11, D, COLUMNS, TILES, PACKED, 2, band,
                new HealthCheck.State(4, 0.3, 0.25, 60, 0.6, "unhealthy small scales at step 60"), List.of("a warning"),
                Map.of("sim", 1.5, "encode", 0.25));
    }

    static double[] reals(Random r, int count, int bytes) {
        double[] v = new double[count];
        for (int i = 0; i < count; i++) {
            v[i] = bytes == 4 ? (float) r.nextGaussian() : r.nextGaussian();
        }
        return v;
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 8})
    void everyRealAndByteComesBackAndDamageIsRefused(int bytes, @TempDir Path tmp) throws Exception {
        Random r = new Random(7);
        double[] state = reals(r, 11, bytes);
        double[] latents = reals(r, D * COLUMNS, bytes);
        double[] alpha = reals(r, TILES, bytes);
        byte[] packed = new byte[PACKED];
        r.nextBytes(packed);
        double[] band = reals(r, COLUMNS * 3, 8); // float64 whatever the run's precision
        double[] z = java.util.Arrays.copyOfRange(latents, (COLUMNS - 1) * D, COLUMNS * D);
        Path f = tmp.resolve(WindowCheckpoint.FILE);
        long size = WindowCheckpoint.write(f, header(band), state, latents, new SnapshotCodec.Code(z, alpha, packed), bytes);
        assertEquals(size, Files.size(f));

        WindowCheckpoint w = WindowCheckpoint.read(f, bytes);
        assertArrayEquals(state, w.state());
        assertArrayEquals(latents, w.latents());
        assertArrayEquals(z, w.lastCode().z());
        assertArrayEquals(alpha, w.lastCode().alpha());
        assertArrayEquals(packed, w.lastCode().packed());
        assertArrayEquals(band, w.header().band());
        assertEquals(header(band).health(), w.header().health());
        assertEquals(List.of("a warning"), w.header().warnings());
        assertEquals(120, w.header().step());
        assertEquals(0.008, w.header().frozenDt());

        assertThrows(CorruptFileException.class, () -> WindowCheckpoint.read(f, 12 - bytes), "the other precision");
        byte[] damaged = Files.readAllBytes(f);
        damaged[damaged.length - 40] ^= 1;
        Files.write(f, damaged);
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> WindowCheckpoint.read(f, bytes));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 8})
    void sizesThatDoNotAddUpAreRefused(int bytes, @TempDir Path tmp) throws Exception {
        Random r = new Random(3);
        double[] latents = reals(r, D * COLUMNS, bytes);
        double[] z = java.util.Arrays.copyOfRange(latents, (COLUMNS - 1) * D, COLUMNS * D);
        Path f = tmp.resolve(WindowCheckpoint.FILE);
        // a band of the wrong length: a header that is not this file's
        WindowCheckpoint.write(f, header(new double[5]), reals(r, 11, bytes), latents,
                new SnapshotCodec.Code(z, reals(r, TILES, bytes), new byte[PACKED]), bytes);
        CorruptFileException e = assertThrows(CorruptFileException.class, () -> WindowCheckpoint.read(f, bytes));
        assertTrue(e.getMessage().contains("do not add up"), e.getMessage());
    }
}
