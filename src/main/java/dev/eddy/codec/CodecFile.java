package dev.eddy.codec;

import dev.eddy.config.ConfigException;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.CorruptFileException;
import dev.eddy.numerics.FftSizes;
import dev.eddy.numerics.Precision;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The {@code .eddyc} file of encoded snapshots, format version 1 (docs/codec-format.md is the
 * specification; keep the two in step). Little-endian; a 104-byte header with its own CRC-32C, then
 * one fixed-size record per snapshot, each with its own CRC-32C.
 *
 * <p>The reader trusts nothing: it checks the magic, the version and the header checksum before it
 * interprets a field, derives every section length from (N, K, T, precision) and requires the stored
 * ones to match, requires the file size to be exactly header + count·record (with overflow-checked
 * arithmetic) before it allocates anything, and checks each record's checksum, the finiteness of its
 * reals and the validity of its 2-bit codes before it returns it. Every failure is a
 * {@link CorruptFileException} that says what is wrong.
 */
public final class CodecFile {
    public static final String MAGIC = "EDDYCODE";
    public static final int VERSION = 1;
    public static final int HEADER_BYTES = 104;
    /** Header flag bit 0: the mask was majority-smoothed. Other bits are reserved and must be 0. */
    public static final int FLAG_MAJORITY = 1;
    /** step (i64) and time (f64) before the sections, CRC-32C (u32) after them. */
    static final int RECORD_OVERHEAD = 8 + 8 + 4;

    /** One encoded snapshot. */
    public record Snapshot(long step, double time, SnapshotCodec.Code code) {
    }

    /** What the header says. */
    public record Header(CodecSettings settings, long snapshots, long recordBytes) {
    }

    private CodecFile() {
    }

    /** Bytes of one snapshot record: step, time, Z, α, packed t, CRC (overflow-checked). */
    public static long recordBytes(CodecSettings s) {
        int rb = s.precision().bytes();
        return Math.addExact(Math.addExact((long) s.latentDimension() * rb, (long) s.tiles() * rb),
                s.packedBytes() + RECORD_OVERHEAD);
    }

    public static long fileBytes(CodecSettings s, long snapshots) {
        return Math.addExact(HEADER_BYTES, Math.multiplyExact(snapshots, recordBytes(s)));
    }

    // ---- writing ----

    public static void write(Path file, CodecSettings s, List<Snapshot> snapshots) throws IOException {
        long record = recordBytes(s);
        if (record > Integer.MAX_VALUE - 8) {
            throw new ConfigException("one encoded snapshot would take " + record + " bytes: too large for format v1");
        }
        AtomicFiles.write(file, out -> {
            out.write(header(s, snapshots.size()).array());
            ByteBuffer b = ByteBuffer.allocate((int) record).order(ByteOrder.LITTLE_ENDIAN);
            for (Snapshot snap : snapshots) {
                SnapshotCodec.Code c = snap.code();
                if (c.z().length != s.latentDimension() || c.alpha().length != s.tiles() || c.packed().length != s.packedBytes()) {
                    throw new IllegalArgumentException("snapshot of step " + snap.step() + " does not match the settings");
                }
                b.clear();
                b.putLong(snap.step()).putDouble(snap.time());
                putReals(b, c.z(), s.precision());
                putReals(b, c.alpha(), s.precision());
                b.put(c.packed());
                CRC32C crc = new CRC32C();
                crc.update(b.array(), 0, b.position());
                b.putInt((int) crc.getValue());
                out.write(b.array(), 0, b.position());
            }
        });
    }

    static ByteBuffer header(CodecSettings s, long snapshots) {
        int rb = s.precision().bytes();
        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        h.put(MAGIC.getBytes(StandardCharsets.US_ASCII)).putInt(VERSION).putInt(HEADER_BYTES)
                .putInt(s.n()).putInt(s.k()).putInt(s.tile()).putInt(s.majority() ? FLAG_MAJORITY : 0)
                .putInt(rb).putInt(0).putDouble(s.theta()).putDouble(s.sigma()).putLong(snapshots)
                .putLong((long) s.latentDimension() * rb).putLong((long) s.tiles() * rb).putLong(s.packedBytes())
                .putLong(recordBytes(s)).putInt(0);
        CRC32C crc = new CRC32C();
        crc.update(h.array(), 0, HEADER_BYTES - 4);
        h.putInt((int) crc.getValue());
        return h;
    }

    private static void putReals(ByteBuffer b, double[] v, Precision p) {
        for (double x : v) {
            if (p == Precision.FP32) {
                b.putFloat((float) x);
            } else {
                b.putDouble(x);
            }
        }
    }

    // ---- reading ----

    public static Reader open(Path file) throws IOException {
        return new Reader(file);
    }

    /** Reads all snapshots (each verified). */
    public static List<Snapshot> readAll(Path file) throws IOException {
        try (Reader r = open(file)) {
            Snapshot[] out = new Snapshot[(int) r.header().snapshots()];
            for (int i = 0; i < out.length; i++) {
                out[i] = r.read(i);
            }
            return List.of(out);
        }
    }

    /** An open, header-verified code file; {@link #read} verifies each record. */
    public static final class Reader implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private final Header header;

        private Reader(Path file) throws IOException {
            this.file = file;
            if (!Files.isRegularFile(file)) {
                throw new java.nio.file.NoSuchFileException(file.toString());
            }
            this.channel = FileChannel.open(file, StandardOpenOption.READ);
            try {
                this.header = readHeader();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        public Header header() {
            return header;
        }

        private CorruptFileException corrupt(String why) {
            return new CorruptFileException(file, why);
        }

        private Header readHeader() throws IOException {
            long size = channel.size();
            if (size < HEADER_BYTES) {
                if (size >= 8 && !startsWithMagic(readAt(0, 8))) {
                    throw corrupt("not an Eddy code file (wrong magic bytes)");
                }
                throw corrupt("truncated: " + size + " bytes, shorter than the " + HEADER_BYTES + "-byte header");
            }
            ByteBuffer h = readAt(0, HEADER_BYTES);
            if (!startsWithMagic(h)) {
                throw corrupt("not an Eddy code file (wrong magic bytes)");
            }
            int version = h.getInt(8);
            if (version != VERSION) {
                throw corrupt("format version " + Integer.toUnsignedString(version) + " is not supported (this Eddy reads version "
                        + VERSION + ")");
            }
            CRC32C crc = new CRC32C();
            crc.update(h.array(), 0, HEADER_BYTES - 4);
            int stored = h.getInt(HEADER_BYTES - 4);
            if (stored != (int) crc.getValue()) {
                throw corrupt("header checksum mismatch (CRC-32C stored " + Integer.toHexString(stored) + ", computed "
                        + Integer.toHexString((int) crc.getValue()) + "): the header is corrupt");
            }
            // Past the checksum the header is what a writer wrote; still check every field, so that a file
            // from a buggy or hostile writer is refused with a reason rather than misread.
            int headerBytes = h.getInt(12);
            int n = h.getInt(16);
            int k = h.getInt(20);
            int tile = h.getInt(24);
            int flags = h.getInt(28);
            int rb = h.getInt(32);
            if (headerBytes != HEADER_BYTES) {
                throw corrupt("header length " + Integer.toUnsignedString(headerBytes) + " is not " + HEADER_BYTES);
            }
            if (h.getInt(36) != 0 || h.getInt(96) != 0) {
                throw corrupt("reserved header fields are not zero");
            }
            if ((flags & ~FLAG_MAJORITY) != 0) {
                throw corrupt("unknown flags 0x" + Integer.toHexString(flags) + " (written by a newer Eddy?)");
            }
            if (rb != 4 && rb != 8) {
                throw corrupt("value size " + Integer.toUnsignedString(rb) + " is neither 4 nor 8 bytes");
            }
            String whyN = FftSizes.whyNot(n);
            if (whyN != null) {
                throw corrupt("header N is invalid: " + whyN);
            }
            CodecSettings s;
            try {
                s = new CodecSettings(n, k, tile, h.getDouble(40), h.getDouble(48), (flags & FLAG_MAJORITY) != 0,
                        rb == 4 ? Precision.FP32 : Precision.FP64);
            } catch (ConfigException e) {
                throw corrupt("header settings are inconsistent: " + e.getMessage());
            }
            long count = h.getLong(56);
            long record = recordBytes(s);
            expect(h.getLong(64), (long) s.latentDimension() * rb, "latent section length");
            expect(h.getLong(72), (long) s.tiles() * rb, "α section length");
            expect(h.getLong(80), s.packedBytes(), "ternary section length");
            expect(h.getLong(88), record, "record length");
            if (count < 0) {
                throw corrupt("negative snapshot count " + count);
            }
            long expected;
            try {
                expected = fileBytes(s, count);
            } catch (ArithmeticException e) {
                throw corrupt("snapshot count " + count + " overflows the file size");
            }
            if (expected != size) {
                throw corrupt("holds " + size + " bytes but its header announces " + count + " snapshots of " + record
                        + " bytes (" + expected + " bytes): " + (size < expected ? "truncated" : "trailing bytes") + " or corrupt");
            }
            if (record > Integer.MAX_VALUE - 8) {
                throw corrupt("a record of " + record + " bytes is larger than this reader handles");
            }
            return new Header(s, count, record);
        }

        private void expect(long stored, long derived, String what) throws CorruptFileException {
            if (stored != derived) {
                throw corrupt(what + " " + Long.toUnsignedString(stored) + " does not match N, K, T and precision (expected "
                        + derived + ")");
            }
        }

        private static boolean startsWithMagic(ByteBuffer b) {
            byte[] m = new byte[8];
            b.get(0, m);
            return Arrays.equals(m, MAGIC.getBytes(StandardCharsets.US_ASCII));
        }

        private ByteBuffer readAt(long position, int length) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
            while (b.hasRemaining()) {
                int got = channel.read(b, position + b.position());
                if (got < 0) {
                    throw corrupt("truncated: ended at byte " + (position + b.position()) + " (the file shrank while being read?)");
                }
            }
            return b.flip();
        }

        /** Snapshot i, verified. */
        public Snapshot read(int i) throws IOException {
            if (i < 0 || i >= header.snapshots()) {
                throw new IndexOutOfBoundsException("snapshot " + i + " of " + header.snapshots());
            }
            CodecSettings s = header.settings();
            int record = (int) header.recordBytes();
            ByteBuffer b = readAt(HEADER_BYTES + (long) i * record, record);
            CRC32C crc = new CRC32C();
            crc.update(b.array(), 0, record - 4);
            int stored = b.getInt(record - 4);
            if (stored != (int) crc.getValue()) {
                throw corrupt("checksum mismatch in snapshot " + i + " (CRC-32C stored " + Integer.toHexString(stored)
                        + ", computed " + Integer.toHexString((int) crc.getValue()) + "): the snapshot is corrupt");
            }
            long step = b.getLong();
            double time = b.getDouble();
            if (step < 0 || !Double.isFinite(time)) {
                throw corrupt("snapshot " + i + " has an invalid step " + step + " or time " + time);
            }
            double[] z = getReals(b, s.latentDimension(), s.precision(), "Z", i);
            double[] alpha = getReals(b, s.tiles(), s.precision(), "α", i);
            for (int a = 0; a < alpha.length; a++) {
                if (alpha[a] < 0) {
                    throw corrupt("snapshot " + i + " has a negative scale α[" + a + "] = " + alpha[a]);
                }
            }
            byte[] packed = new byte[(int) s.packedBytes()];
            b.get(packed);
            int bad = TernaryKernels.firstInvalidCode(packed);
            if (bad >= 0) {
                throw corrupt("snapshot " + i + " holds the invalid 2-bit code 11 in ternary byte " + bad);
            }
            return new Snapshot(step, time, new SnapshotCodec.Code(z, alpha, packed));
        }

        private double[] getReals(ByteBuffer b, int count, Precision p, String what, int i) throws CorruptFileException {
            double[] v = new double[count];
            for (int q = 0; q < count; q++) {
                v[q] = p == Precision.FP32 ? b.getFloat() : b.getDouble();
                if (!Double.isFinite(v[q])) {
                    throw corrupt("snapshot " + i + " has a non-finite " + what + "[" + q + "]");
                }
            }
            return v;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
