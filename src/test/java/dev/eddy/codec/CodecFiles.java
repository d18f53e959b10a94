package dev.eddy.codec;

import dev.eddy.numerics.Precision;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Small code files for the format tests, and the generator of the crafted corpus in
 * src/test/resources/codec-corpus/ (run {@code main} with that folder to regenerate it).
 */
public final class CodecFiles {
    public static final CodecSettings SMALL = new CodecSettings(16, 2, 4, 0.7, 0, true, Precision.FP32);

    private CodecFiles() {
    }

    /** A valid file of two snapshots of a field with content beyond K. */
    public static byte[] small(Path dir) throws IOException {
        List<CodecFile.Snapshot> snaps = new ArrayList<>();
        try (SnapshotCodec c = dev.eddy.TestConfigs.cpuCodec(SMALL, 1)) {
            for (int s = 0; s < 2; s++) {
                double[] w = new double[16 * 16];
                java.util.Random rnd = new java.util.Random(s);
                for (int i = 0; i < w.length; i++) {
                    w[i] = Math.sin(2 * Math.PI * (i % 16) / 16) + rnd.nextGaussian();
                }
                snaps.add(new CodecFile.Snapshot(10L * s, 0.5 * s, c.encode(w)));
            }
        }
        Path f = dir.resolve("small.eddyc");
        CodecFile.write(f, SMALL, snaps);
        return Files.readAllBytes(f);
    }

    static void fixHeaderCrc(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, CodecFile.HEADER_BYTES - 4);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(CodecFile.HEADER_BYTES - 4, (int) crc.getValue());
    }

    static void fixRecordCrc(byte[] b, int record) {
        long size = CodecFile.recordBytes(SMALL);
        int start = (int) (CodecFile.HEADER_BYTES + record * size);
        CRC32C crc = new CRC32C();
        crc.update(b, start, (int) size - 4);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(start + (int) size - 4, (int) crc.getValue());
    }

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        Files.createDirectories(out);
        Path tmp = Files.createTempDirectory("corpus");
        byte[] good = small(tmp);
        Files.write(out.resolve("valid.eddyc"), good);

        byte[] b = good.clone();
        b[0] = 'X';
        Files.write(out.resolve("wrong-magic.eddyc"), b);

        b = good.clone();
        le(b).putInt(8, 99);
        Files.write(out.resolve("version-99.eddyc"), b);

        Files.write(out.resolve("truncated-record.eddyc"), java.util.Arrays.copyOf(good, good.length - 7));
        Files.write(out.resolve("truncated-header.eddyc"), java.util.Arrays.copyOf(good, 50));

        b = good.clone();
        b[CodecFile.HEADER_BYTES + 20] ^= 0x10; // a bit of Z in snapshot 0
        Files.write(out.resolve("flipped-bit-in-z.eddyc"), b);

        b = good.clone();
        le(b).putInt(20, 6); // K = 6 ≥ N/3 with a valid header checksum
        fixHeaderCrc(b);
        Files.write(out.resolve("crc-ok-k-too-large.eddyc"), b);

        b = good.clone();
        le(b).putInt(24, 5); // T = 5 does not divide 16
        fixHeaderCrc(b);
        Files.write(out.resolve("crc-ok-tile-not-dividing.eddyc"), b);

        b = good.clone();
        le(b).putLong(56, Long.MAX_VALUE / 3); // snapshot count whose size overflows
        fixHeaderCrc(b);
        Files.write(out.resolve("crc-ok-count-overflow.eddyc"), b);

        b = good.clone();
        CodecSettings huge = new CodecSettings(32768, 2, 4, 0.7, 0, true, Precision.FP32);
        ByteBuffer h = CodecFile.header(huge, 1); // a self-consistent header for N = 32768 (the largest): 256 MiB records
        System.arraycopy(h.array(), 0, b, 0, CodecFile.HEADER_BYTES);
        Files.write(out.resolve("crc-ok-huge-n-beyond-file.eddyc"), b);

        b = good.clone();
        le(b).putLong(64, 12345); // latent length inconsistent with K
        fixHeaderCrc(b);
        Files.write(out.resolve("crc-ok-latent-length-wrong.eddyc"), b);

        b = good.clone();
        int packedAt = CodecFile.HEADER_BYTES + 16 + 4 * (SMALL.latentDimension() + SMALL.tiles());
        b[packedAt] = (byte) 0xFF; // the invalid 2-bit code 11, record checksum fixed
        fixRecordCrc(b, 0);
        Files.write(out.resolve("crc-ok-invalid-ternary-code.eddyc"), b);

        b = good.clone();
        le(b).putFloat(CodecFile.HEADER_BYTES + 16 + 4 * SMALL.latentDimension(), Float.NaN); // α[0] = NaN
        fixRecordCrc(b, 0);
        Files.write(out.resolve("crc-ok-nan-alpha.eddyc"), b);
    }
}
