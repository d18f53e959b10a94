package dev.eddy.store;

import dev.eddy.io.AtomicFiles;
import dev.eddy.io.CorruptFileException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * One array of a Zarr v2 directory store that grows along its first dimension (time, or a diagnostics
 * sample), written from plain Java: xarray, zarr-python and {@code eddy_io.py} read it as they read any
 * Zarr array (docs/store-format.md).
 *
 * <p>Each chunk file is the chunk's bytes (little-endian, C order, full chunk size as Zarr v2 requires,
 * padded with the fill value), prefixed by numcodecs' {@code crc32} filter (CRC-32 of the bytes, 4 bytes
 * little-endian) and optionally deflated by numcodecs' {@code zlib} compressor. So every reader checks
 * every chunk. A chunk file is written atomically (temporary file, sync, rename).
 *
 * <p>Two shapes of chunking, enough for Eddy's arrays: a field (first-dimension chunk 1) is split into
 * blocks of rows so that no chunk passes {@link #MAX_CHUNK_BYTES} and is written as soon as it is
 * appended; a series of small rows (first-dimension chunk &gt; 1, the other dimensions whole) keeps its
 * last, partial chunk in memory and writes it at {@link #flush}. Either way memory does not grow with
 * the length of the array. The length readers see is the {@code shape} in the metadata, which only
 * {@link ZarrStore#commit} writes: chunks appended after the last commit are invisible to them.
 */
public final class ZarrArray {
    /** A field chunk stays below this (16 MiB), so a chunk is never near Java's 2 GiB array limit. */
    static final long MAX_CHUNK_BYTES = 16L << 20;

    /** The element types Eddy stores. */
    public enum Dtype {
        F4("<f4", 4), F8("<f8", 8), I8("<i8", 8);

        final String code;
        final int bytes;

        Dtype(String code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        static Dtype of(String code) {
            for (Dtype d : values()) {
                if (d.code.equals(code)) {
                    return d;
                }
            }
            throw new IllegalArgumentException("dtype " + code + " is not one Eddy writes");
        }
    }

    private final Path dir;
    private final String name;
    private final Dtype dtype;
    private final long[] inner;
    private final int[] chunks;
    private final int compressLevel;
    private final List<String> dims;
    private final Map<String, Object> attrs;
    private final int rowElements;
    private long length;
    /** The last, partial chunk of a series (first-dimension chunk &gt; 1), and how many rows it holds. */
    private final ByteBuffer partial;
    private int partialRows;

    /**
     * @param dir           the store's directory
     * @param inner         the shape after the first dimension
     * @param rowsPerChunk  first-dimension chunk: 1 for fields, more for series of small rows
     * @param compressLevel zlib level 1–9, 0 = stored uncompressed
     * @param dims          names of the dimensions (xarray's {@code _ARRAY_DIMENSIONS})
     * @param attrs         further attributes (units, long_name, …)
     */
    ZarrArray(Path dir, String name, Dtype dtype, long[] inner, int rowsPerChunk, int compressLevel, List<String> dims,
              Map<String, Object> attrs) {
        if (dims.size() != inner.length + 1) {
            throw new IllegalArgumentException(name + ": " + dims.size() + " dimension names for " + (inner.length + 1) + " dimensions");
        }
        this.dir = dir;
        this.name = name;
        this.dtype = dtype;
        this.inner = inner.clone();
        this.compressLevel = compressLevel;
        this.dims = List.copyOf(dims);
        this.attrs = new LinkedHashMap<>(attrs);
        long row = 1;
        for (long d : inner) {
            row = Math.multiplyExact(row, d);
        }
        this.rowElements = Math.toIntExact(row);
        this.chunks = new int[inner.length + 1];
        chunks[0] = rowsPerChunk;
        for (int i = 0; i < inner.length; i++) {
            chunks[i + 1] = Math.toIntExact(inner[i]);
        }
        if (rowsPerChunk == 1 && inner.length >= 1) {
            // a field: split its first inner dimension (y) into blocks that divide it, each ≤ MAX_CHUNK_BYTES
            long perRow = (long) rowElements / inner[0] * dtype.bytes;
            int rows = Math.toIntExact(inner[0]);
            while ((long) rows * perRow > MAX_CHUNK_BYTES && rows % 2 == 0) {
                rows /= 2;
            }
            // an odd count (an ensemble's members) that still does not fit: the largest divisor that does, at least 1
            for (int d = rows; (long) rows * perRow > MAX_CHUNK_BYTES && d > 1; d--) {
                if (rows % d == 0 && (long) d * perRow <= MAX_CHUNK_BYTES) {
                    rows = d;
                }
            }
            if ((long) rows * perRow > MAX_CHUNK_BYTES && rows % 2 != 0) {
                rows = 1;
            }
            chunks[1] = rows;
            this.partial = null;
        } else {
            this.partial = ByteBuffer.allocate(Math.multiplyExact(Math.multiplyExact(rowsPerChunk, rowElements), dtype.bytes))
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    public String name() {
        return name;
    }

    public long length() {
        return length;
    }

    Dtype dtype() {
        return dtype;
    }

    int rowElements() {
        return rowElements;
    }

    /** Appends one row (rowElements values; integers for I8 arrays are passed as exact doubles or through {@link #appendLong}). */
    public void append(double[] row) throws IOException {
        if (row.length != rowElements) {
            throw new IllegalArgumentException(name + ": a row of " + row.length + " values, expected " + rowElements);
        }
        if (partial == null) {
            writeField(length, i -> row[i]);
        } else {
            for (double v : row) {
                put(partial, v);
            }
            rowDone();
        }
        length++;
    }

    /**
     * Appends one row given as equal parts laid end to end (an ensemble's members: part m is member m's
     * values), without joining them into one array first.
     */
    public void appendParts(double[][] parts) throws IOException {
        int each = rowElements / parts.length;
        for (double[] p : parts) {
            if (p.length != each || (long) each * parts.length != rowElements) {
                throw new IllegalArgumentException(name + ": " + parts.length + " parts of " + p.length + " values, expected "
                        + rowElements + " values in all");
            }
        }
        if (partial == null) {
            writeField(length, i -> parts[i / each][i % each]);
        } else {
            for (double[] p : parts) {
                for (double v : p) {
                    put(partial, v);
                }
            }
            rowDone();
        }
        length++;
    }

    /**
     * Empties an array of one chunk (per-member values that change, such as each member's fate) so that it
     * is appended again: its chunk file stays until the next {@link ZarrStore#commit} replaces it, so a
     * reader never finds it missing.
     */
    void reset() {
        if (partial == null || length > chunks[0]) {
            throw new IllegalStateException(name + " is not an array of one chunk");
        }
        partial.clear();
        partialRows = 0;
        length = 0;
    }

    public void appendLong(long v) throws IOException {
        if (dtype != Dtype.I8 || partial == null || rowElements != 1) {
            throw new IllegalStateException(name + " is not a series of integers");
        }
        partial.putLong(v);
        rowDone();
        length++;
    }

    private void rowDone() throws IOException {
        partialRows++;
        if (partialRows == chunks[0]) {
            writeChunk(seriesChunk(length / chunks[0]), partial.array());
            partial.clear();
            partialRows = 0;
        }
    }

    /** The index of a series chunk: c along the first dimension, 0 along the others (they are whole). */
    private long[] seriesChunk(long c) {
        long[] idx = new long[chunks.length];
        idx[0] = c;
        return idx;
    }

    private void put(ByteBuffer b, double v) {
        switch (dtype) {
            case F4 -> b.putFloat((float) v);
            case F8 -> b.putDouble(v);
            case I8 -> b.putLong((long) v);
        }
    }

    /** One field row, written as its blocks of rows (chunk keys t.r.0…). */
    private void writeField(long t, java.util.function.IntToDoubleFunction row) throws IOException {
        int perRow = rowElements / Math.toIntExact(inner[0]);
        int blockRows = chunks[1];
        ByteBuffer b = ByteBuffer.allocate(blockRows * perRow * dtype.bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int r0 = 0; r0 < inner[0]; r0 += blockRows) {
            b.clear();
            for (int i = r0 * perRow; i < (r0 + blockRows) * perRow; i++) {
                put(b, row.applyAsDouble(i));
            }
            long[] idx = new long[chunks.length];
            idx[0] = t;
            idx[1] = r0 / blockRows;
            writeChunk(idx, b.array());
        }
    }

    /** Writes the partial last chunk of a series (padded with the fill value) so that the rows so far are on disk. */
    void flush() throws IOException {
        if (partial == null || partialRows == 0) {
            return;
        }
        byte[] padded = partial.array().clone();
        ByteBuffer p = ByteBuffer.wrap(padded).order(ByteOrder.LITTLE_ENDIAN).position(partial.position());
        while (p.hasRemaining()) {
            put(p, dtype == Dtype.I8 ? 0 : Double.NaN);
        }
        writeChunk(seriesChunk(length / chunks[0]), padded);
    }

    /** Row t (rowElements values, integers widened). */
    public double[] read(long t) throws IOException {
        checkRow(t);
        double[] out = new double[rowElements];
        if (partial == null) {
            int perRow = rowElements / Math.toIntExact(inner[0]);
            int blockRows = chunks[1];
            for (int r0 = 0; r0 < inner[0]; r0 += blockRows) {
                long[] idx = new long[chunks.length];
                idx[0] = t;
                idx[1] = r0 / blockRows;
                ByteBuffer b = ByteBuffer.wrap(readChunk(idx)).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = r0 * perRow; i < (r0 + blockRows) * perRow; i++) {
                    out[i] = get(b);
                }
            }
        } else {
            ByteBuffer b = ByteBuffer.wrap(readChunk(seriesChunk(t / chunks[0]))).order(ByteOrder.LITTLE_ENDIAN);
            b.position(Math.toIntExact((t % chunks[0]) * rowElements * dtype.bytes));
            for (int i = 0; i < rowElements; i++) {
                out[i] = get(b);
            }
        }
        return out;
    }

    /** The whole of a series of single values, read chunk by chunk (integers widened). */
    public double[] readAll() throws IOException {
        if (rowElements != 1 || partial == null) {
            throw new IllegalStateException(name + " is not a series of single values");
        }
        double[] out = new double[Math.toIntExact(length)];
        for (long c = 0; c * chunks[0] < length; c++) {
            ByteBuffer b = ByteBuffer.wrap(readChunk(seriesChunk(c))).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < chunks[0] && c * chunks[0] + i < length; i++) {
                out[(int) (c * chunks[0] + i)] = get(b);
            }
        }
        return out;
    }

    private void checkRow(long t) {
        if (t < 0 || t >= length) {
            throw new IndexOutOfBoundsException(name + ": row " + t + " of " + length);
        }
    }

    private double get(ByteBuffer b) {
        return switch (dtype) {
            case F4 -> b.getFloat();
            case F8 -> b.getDouble();
            case I8 -> b.getLong();
        };
    }

    /**
     * Cuts the array back to its first {@code count} rows (a restart continues from an earlier commit):
     * chunk files past them and stale temporaries are deleted, and a partial last chunk is read back into
     * memory. Returns how many chunk files it removed.
     */
    int truncate(long count) throws IOException {
        long keepChunks = partial == null ? count : (count + chunks[0] - 1) / chunks[0];
        int removed = 0;
        Files.createDirectories(dir.resolve(name));
        try (var files = Files.newDirectoryStream(dir.resolve(name))) {
            for (Path f : files) {
                String key = f.getFileName().toString();
                if (key.startsWith(".")) {
                    if (key.endsWith(".tmp")) {
                        Files.delete(f);
                    }
                    continue;
                }
                int dot = key.indexOf('.');
                long first;
                try {
                    first = Long.parseLong(dot < 0 ? key : key.substring(0, dot));
                } catch (NumberFormatException e) {
                    throw new CorruptFileException(f, "is not a chunk of this Zarr array (a stray file?): move it away");
                }
                if (first >= keepChunks) {
                    Files.delete(f);
                    removed++;
                }
            }
        }
        length = count;
        if (partial != null) {
            partial.clear();
            partialRows = (int) (count % chunks[0]);
            if (partialRows > 0) {
                byte[] c = readChunk(seriesChunk(count / chunks[0]));
                partial.put(c, 0, partialRows * rowElements * dtype.bytes);
            }
        }
        return removed;
    }

    /** Refuses a store that lacks a chunk of a committed row (it was deleted or never written). */
    void requireChunks() throws IOException {
        long perChunk = chunks[0];
        for (long c = 0; c * perChunk < length; c++) {
            int blocks = partial == null && inner.length >= 1 ? Math.toIntExact(inner[0] / chunks[1]) : 1;
            for (int b = 0; b < blocks; b++) {
                long[] idx = new long[chunks.length];
                idx[0] = c;
                if (idx.length > 1) {
                    idx[1] = b;
                }
                if (!Files.isRegularFile(chunkPath(idx))) {
                    throw new CorruptFileException(chunkPath(idx), "missing: the checkpoint committed row " + c * perChunk
                            + " of " + name + " (the store was damaged after the run wrote it)");
                }
            }
        }
    }

    /** Sets the length read from the metadata of an existing store. */
    void setLength(long committed) {
        this.length = committed;
    }

    // ------------------------------------------------------------------ chunks

    private Path chunkPath(long[] idx) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < idx.length; i++) {
            key.append(i == 0 ? "" : ".").append(idx[i]);
        }
        return dir.resolve(name).resolve(key.toString());
    }

    /** Files written since the last {@link ZarrStore#commit}, which forces them to disk together. */
    private final java.util.Set<Path> unforced = java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>());

    /** The chunk files written since the last call, for the store to force. */
    java.util.List<Path> takeUnforced() {
        synchronized (unforced) {
            java.util.List<Path> l = new java.util.ArrayList<>(unforced);
            unforced.clear();
            return l;
        }
    }

    /** Bytes of chunks written (before compression, with the filter's 4), for tests of what a commit costs. */
    private final java.util.concurrent.atomic.AtomicLong bytesWritten = new java.util.concurrent.atomic.AtomicLong();

    long bytesWritten() {
        return bytesWritten.get();
    }

    private void writeChunk(long[] idx, byte[] raw) throws IOException {
        bytesWritten.addAndGet(4L + raw.length);
        CRC32 crc = new CRC32();
        crc.update(raw);
        byte[] head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) crc.getValue()).array();
        Path file = chunkPath(idx);
        unforced.add(file);
        if (compressLevel == 0) {
            AtomicFiles.writeUnforced(file, out -> {
                out.write(head);
                out.write(raw);
            });
        } else {
            Deflater d = new Deflater(compressLevel);
            try {
                d.setInput(concat(head, raw));
                d.finish();
                byte[] buf = new byte[1 << 16];
                AtomicFiles.writeUnforced(file, out -> {
                    while (!d.finished()) {
                        int got = d.deflate(buf);
                        out.write(buf, 0, got);
                    }
                });
            } finally {
                d.end();
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private int chunkBytes() {
        long c = dtype.bytes;
        for (int x : chunks) {
            c *= x;
        }
        return Math.toIntExact(c);
    }

    private byte[] readChunk(long[] idx) throws IOException {
        Path file = chunkPath(idx);
        byte[] stored;
        try {
            stored = Files.readAllBytes(file); // one chunk: at most MAX_CHUNK_BYTES (plus the filter's 4)
        } catch (NoSuchFileException e) {
            throw new CorruptFileException(file, "missing: the store's metadata counts this chunk (the store is incomplete)");
        }
        byte[] plain = stored;
        if (compressLevel != 0) {
            Inflater inf = new Inflater();
            try {
                inf.setInput(stored);
                ByteArrayOutputStream out = new ByteArrayOutputStream(chunkBytes() + 4);
                byte[] buf = new byte[1 << 16];
                while (!inf.finished()) {
                    int got = inf.inflate(buf);
                    if (got == 0 && (inf.needsInput() || inf.needsDictionary())) {
                        throw new CorruptFileException(file, "truncated zlib stream");
                    }
                    out.write(buf, 0, got);
                }
                plain = out.toByteArray();
            } catch (DataFormatException e) {
                throw new CorruptFileException(file, "not a zlib stream: " + e.getMessage());
            } finally {
                inf.end();
            }
        }
        if (plain.length != chunkBytes() + 4) {
            throw new CorruptFileException(file, "holds " + plain.length + " bytes, a chunk needs " + (chunkBytes() + 4)
                    + " (truncated?)");
        }
        int stamp = ByteBuffer.wrap(plain, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        CRC32 crc = new CRC32();
        crc.update(plain, 4, plain.length - 4);
        if (stamp != (int) crc.getValue()) {
            throw new CorruptFileException(file, "checksum mismatch (CRC-32 stored " + Integer.toHexString(stamp) + ", computed "
                    + Integer.toHexString((int) crc.getValue()) + "): the chunk is corrupt");
        }
        return Arrays.copyOfRange(plain, 4, plain.length);
    }

    // ------------------------------------------------------------------ metadata

    Map<String, Object> zarray() {
        Map<String, Object> m = new LinkedHashMap<>();
        long[] shape = new long[inner.length + 1];
        shape[0] = length;
        System.arraycopy(inner, 0, shape, 1, inner.length);
        m.put("chunks", chunks);
        Map<String, Object> zlib = new LinkedHashMap<>(); // ordered: the same bytes from every process (Map.of's order is not)
        zlib.put("id", "zlib");
        zlib.put("level", compressLevel);
        m.put("compressor", compressLevel == 0 ? null : zlib);
        m.put("dimension_separator", ".");
        m.put("dtype", dtype.code);
        m.put("fill_value", dtype == Dtype.I8 ? null : "NaN");
        m.put("filters", List.of(Map.of("id", "crc32")));
        m.put("order", "C");
        m.put("shape", shape);
        m.put("zarr_format", 2);
        return m;
    }

    Map<String, Object> zattrs() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("_ARRAY_DIMENSIONS", dims);
        m.putAll(attrs);
        return m;
    }

    /** The array as its metadata describes it (an existing store opened for reading or continuing). */
    static ZarrArray fromMetadata(Path dir, String name, com.fasterxml.jackson.databind.JsonNode zarray,
                                  com.fasterxml.jackson.databind.JsonNode zattrs) throws CorruptFileException {
        try {
            var shape = zarray.get("shape");
            var chunkNode = zarray.get("chunks");
            long[] inner = new long[shape.size() - 1];
            for (int i = 1; i < shape.size(); i++) {
                inner[i - 1] = shape.get(i).asLong();
            }
            var comp = zarray.get("compressor");
            int level = comp == null || comp.isNull() ? 0 : comp.get("level").asInt();
            if (comp != null && !comp.isNull() && !"zlib".equals(comp.get("id").asText())) {
                throw new CorruptFileException(dir.resolve(name), "compressor " + comp + " is not zlib");
            }
            List<String> dims = new ArrayList<>();
            zattrs.get("_ARRAY_DIMENSIONS").forEach(d -> dims.add(d.asText()));
            Map<String, Object> attrs = new LinkedHashMap<>();
            zattrs.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("_ARRAY_DIMENSIONS")) {
                    attrs.put(e.getKey(), e.getValue().isNumber() ? e.getValue().numberValue() : e.getValue().asText());
                }
            });
            ZarrArray a = new ZarrArray(dir, name, Dtype.of(zarray.get("dtype").asText()), inner, chunkNode.get(0).asInt(), level,
                    dims, attrs);
            if (a.chunks.length > 1 && a.chunks[1] != chunkNode.get(1).asInt()) {
                throw new CorruptFileException(dir.resolve(name), "chunks " + chunkNode + " are not the ones Eddy writes");
            }
            a.length = shape.get(0).asLong();
            return a;
        } catch (RuntimeException e) {
            throw new CorruptFileException(dir.resolve(name), "unreadable Zarr metadata: " + e.getMessage());
        }
    }
}
