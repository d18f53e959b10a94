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
        try (Appender a = Appender.create(file, s)) {
            for (Snapshot snap : snapshots) {
                a.append(snap);
            }
            a.finish();
        }
    }

    /**
     * A code file written record by record, so that no series is held in memory: either a new file
     * (written beside the target and renamed over it by {@link #finish}, so a failure leaves no file) or the
     * code file of a run, continued in place ({@link #resume}) and made durable by {@link #commit}: the
     * records first, then the header's count. Between the two a reader finds trailing bytes and refuses the
     * file; the run's checkpoint names the committed count, and a restart cuts the file back to it.
     */
    public static final class Appender implements AutoCloseable {
        private final Path target;
        private final Path tmp;
        private final FileChannel channel;
        private final CodecSettings settings;
        private final ByteBuffer record;
        private long count;
        private boolean finished;

        private Appender(Path target, Path tmp, FileChannel channel, CodecSettings settings, long count) {
            this.target = target;
            this.tmp = tmp;
            this.channel = channel;
            this.settings = settings;
            long bytes = recordBytes(settings);
            if (bytes > Integer.MAX_VALUE - 8) {
                throw new ConfigException("one encoded snapshot would take " + bytes + " bytes: too large for format v1");
            }
            this.record = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
            this.count = count;
        }

        /** A new file, renamed over {@code target} by {@link #finish}. */
        public static Appender create(Path target, CodecSettings s) throws IOException {
            Path tmp = AtomicFiles.temporaryBeside(target);
            FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            Appender a = new Appender(target, tmp, ch, s, 0);
            a.writeFully(header(s, 0), 0);
            return a;
        }

        /** A run's code file in place: a new one with no records. */
        public static Appender createInPlace(Path file, CodecSettings s) throws IOException {
            try (Appender a = create(file, s)) {
                a.finish();
            }
            return resume(file, s, 0, w -> { });
        }

        /**
         * Continues {@code file} after its first {@code committed} records (what the run's checkpoint names):
         * records past them, and a header that counts them, are cut back and reported to {@code repaired}.
         */
        public static Appender resume(Path file, CodecSettings s, long committed, java.util.function.Consumer<String> repaired)
                throws IOException {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                Appender a = new Appender(file, null, ch, s, committed);
                ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                while (h.hasRemaining() && ch.read(h, h.position()) > 0) {
                    // read the header
                }
                ByteBuffer expected = header(s, h.position() == HEADER_BYTES ? h.getLong(56) : -1);
                if (h.position() < HEADER_BYTES || !Arrays.equals(Arrays.copyOf(h.array(), 56), Arrays.copyOf(expected.array(), 56))) {
                    throw new CorruptFileException(file, "its header does not match the run's --encode settings " + s
                            + " (or is corrupt)");
                }
                long stored = h.getLong(56);
                long size = ch.size();
                long want = fileBytes(s, committed);
                if (size < want) {
                    throw new CorruptFileException(file, "holds " + size + " bytes, fewer than the " + committed
                            + " records the checkpoint committed (" + want + " bytes)");
                }
                if (size != want || stored != committed) {
                    repaired.accept(file.getFileName() + ": " + (size - HEADER_BYTES) / recordBytes(s) + " records and header count "
                            + stored + " → " + committed + " (records after the checkpoint removed)");
                    ch.truncate(want);
                    a.writeFully(header(s, committed), 0);
                    ch.force(true);
                }
                return a;
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
        }

        public long count() {
            return count;
        }

        public void append(Snapshot snap) throws IOException {
            SnapshotCodec.Code c = snap.code();
            CodecSettings s = settings;
            if (c.z().length != s.latentDimension() || c.alpha().length != s.tiles() || c.packed().length != s.packedBytes()) {
                throw new IllegalArgumentException("snapshot of step " + snap.step() + " does not match the settings");
            }
            ByteBuffer b = record.clear();
            b.putLong(snap.step()).putDouble(snap.time());
            putReals(b, c.z(), s.precision());
            putReals(b, c.alpha(), s.precision());
            b.put(c.packed());
            CRC32C crc = new CRC32C();
            crc.update(b.array(), 0, b.position());
            b.putInt((int) crc.getValue());
            writeFully(b.flip(), fileBytes(s, count));
            count++;
        }

        /** Makes the records so far durable: data first, then the header's count. Returns the count. */
        public long commit() throws IOException {
            channel.force(true);
            dev.eddy.io.FaultPoints.reach("codes-appended");
            writeFully(header(settings, count), 0);
            channel.force(true);
            return count;
        }

        /** Commits and, for a new file, renames it over the target. */
        public void finish() throws IOException {
            commit();
            if (tmp != null) {
                channel.close();
                AtomicFiles.moveIntoPlace(tmp, target);
            }
            finished = true;
        }

        private void writeFully(ByteBuffer b, long position) throws IOException {
            b.rewind();
            long p = position;
            while (b.hasRemaining()) {
                p += channel.write(b, p);
            }
        }

        /** Closes; a new file that was not finished is removed (nothing half-written is left). */
        @Override
        public void close() throws IOException {
            if (channel.isOpen()) {
                channel.close();
            }
            if (tmp != null && !finished) {
                Files.deleteIfExists(tmp);
            }
        }
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
