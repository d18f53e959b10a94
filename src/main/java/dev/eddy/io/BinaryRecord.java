package dev.eddy.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * The container of Eddy's own binary files (checkpoints, snapshot frames): an 8-byte magic, a format
 * version, a JSON header, an array of reals in float32 or float64, and a CRC-32C over everything
 * before it. All numbers little-endian.
 *
 * <pre>
 * magic[8] | u32 version | u32 headerBytes | header (UTF-8 JSON) | u32 realBytes (4|8) | u64 count
 *          | count reals | u32 crc32c
 * </pre>
 */
public final class BinaryRecord {
    public static final int VERSION = 1;
    private static final int MAX_HEADER = 64 << 20;

    /** A decoded record: its JSON header and its reals widened to double (exact for float32). */
    public record Content(String header, int realBytes, double[] values) {
    }

    private BinaryRecord() {
    }

    public static void write(Path file, String magic, String header, int realBytes, double[] values) throws IOException {
        byte[] m = magicBytes(magic);
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> {
            CRC32C crc = new CRC32C();
            ByteBuffer head = ByteBuffer.allocate(8 + 4 + 4 + h.length + 4 + 8).order(ByteOrder.LITTLE_ENDIAN);
            head.put(m).putInt(VERSION).putInt(h.length).put(h).putInt(realBytes).putLong(values.length);
            emit(out, crc, head.array(), head.position());
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (double v : values) {
                if (chunk.remaining() < 8) {
                    emit(out, crc, chunk.array(), chunk.position());
                    chunk.clear();
                }
                if (realBytes == 4) {
                    chunk.putFloat((float) v);
                } else {
                    chunk.putDouble(v);
                }
            }
            emit(out, crc, chunk.array(), chunk.position());
            ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue());
            out.write(tail.array());
        });
    }

    private static void emit(OutputStream out, CRC32C crc, byte[] bytes, int length) throws IOException {
        crc.update(bytes, 0, length);
        out.write(bytes, 0, length);
    }

    /**
     * Reads and verifies a record of any size: the file is streamed (never held whole), its length checked
     * against the header before the values are allocated, and the CRC computed as it goes.
     */
    public static Content read(Path file, String magic) throws IOException {
        byte[] m = magicBytes(magic);
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ);
             java.io.InputStream raw = new java.io.BufferedInputStream(java.nio.channels.Channels.newInputStream(ch), 1 << 16)) {
            long size = ch.size();
            if (size < 8 + 4 + 4 + 4 + 8 + 4) {
                throw new CorruptFileException(file, "truncated: only " + size + " bytes");
            }
            CRC32C crc = new CRC32C();
            java.io.DataInputStream in = new java.io.DataInputStream(new java.util.zip.CheckedInputStream(raw, crc));
            byte[] seen = new byte[8];
            in.readFully(seen);
            if (!java.util.Arrays.equals(seen, m)) {
                throw new CorruptFileException(file, "not an Eddy " + magic.strip() + " file (wrong magic bytes)");
            }
            int version = Integer.reverseBytes(in.readInt());
            if (version != VERSION) {
                throw new CorruptFileException(file, "format version " + version + " is not supported (this Eddy reads version "
                        + VERSION + ")");
            }
            int headerBytes = Integer.reverseBytes(in.readInt());
            if (headerBytes < 0 || headerBytes > MAX_HEADER || headerBytes > size - 16 - 4 - 8 - 4) {
                throw new CorruptFileException(file, "header length " + headerBytes + " does not fit in the file (truncated?)");
            }
            byte[] h = new byte[headerBytes];
            in.readFully(h);
            int realBytes = Integer.reverseBytes(in.readInt());
            if (realBytes != 4 && realBytes != 8) {
                throw new CorruptFileException(file, "value size " + realBytes + " is neither 4 nor 8 bytes");
            }
            long count = Long.reverseBytes(in.readLong());
            long position = 16L + headerBytes + 4 + 8;
            long expected = count < 0 || count > Integer.MAX_VALUE - 8 ? -1 : position + count * realBytes + 4;
            if (expected != size) {
                throw new CorruptFileException(file, "holds " + size + " bytes but its header announces "
                        + count + " values (" + (count < 0 ? "negative" : expected + " bytes") + "): truncated or corrupt");
            }
            double[] values = new double[(int) count];
            byte[] buf = new byte[1 << 16];
            ByteBuffer b = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
            int i = 0;
            while (i < values.length) {
                int take = (int) Math.min(buf.length / realBytes, values.length - i);
                in.readFully(buf, 0, take * realBytes);
                b.clear();
                for (int q = 0; q < take; q++) {
                    values[i++] = realBytes == 4 ? b.getFloat() : b.getDouble();
                }
            }
            int computed = (int) crc.getValue();
            byte[] tail = new byte[4];
            raw.readNBytes(tail, 0, 4);
            int stored = ByteBuffer.wrap(tail).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (stored != computed) {
                throw new CorruptFileException(file, "checksum mismatch (CRC-32C stored " + Integer.toHexString(stored)
                        + ", computed " + Integer.toHexString(computed) + "): the file is corrupt");
            }
            return new Content(new String(h, StandardCharsets.UTF_8), realBytes, values);
        } catch (java.io.EOFException e) {
            throw new CorruptFileException(file, "truncated: the file ended before its announced length (it shrank while read?)");
        }
    }

    private static byte[] magicBytes(String magic) {
        byte[] m = magic.getBytes(StandardCharsets.US_ASCII);
        if (m.length != 8) {
            throw new IllegalArgumentException("magic must be 8 ASCII bytes: " + magic);
        }
        return m;
    }
}
