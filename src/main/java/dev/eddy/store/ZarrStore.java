package dev.eddy.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.CorruptFileException;
import dev.eddy.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Zarr v2 directory store (a group of {@link ZarrArray}s) with consolidated metadata, the format
 * {@code xr.open_zarr} opens directly. {@link #commit} is the store's own commit point: it writes the
 * pending partial chunks, then every array's {@code .zarray}/{@code .zattrs}, then {@code .zmetadata}
 * (what xarray reads by default), each atomically; until then readers see the arrays as of the last
 * commit, whatever was appended since.
 */
public final class ZarrStore {
    /** Zarr readers (zarr-python 2.13) decode metadata as ASCII: everything else is escaped as \\uXXXX. */
    private static final com.fasterxml.jackson.databind.ObjectWriter ASCII = Json.MAPPER.writer()
            .with(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII.mappedFeature());

    private final Path root;
    private final Map<String, Object> attrs;
    private final Map<String, ZarrArray> arrays = new LinkedHashMap<>();
    /** The root attributes changed since they were last written ({@link #setAttribute}). */
    private boolean attrsChanged;
    /** Bytes of metadata written by commits (chunks count in their arrays): for tests of what a commit costs. */
    private long metadataBytes;

    private ZarrStore(Path root, Map<String, Object> attrs) {
        this.root = root;
        this.attrs = attrs;
    }

    /** A new, empty store at {@code root}; whatever was there is removed. */
    public static ZarrStore create(Path root, Map<String, Object> attrs) throws IOException {
        deleteTree(root);
        Files.createDirectories(root);
        ZarrStore s = new ZarrStore(root, new LinkedHashMap<>(attrs));
        AtomicFiles.writeString(root.resolve(".zgroup"), ascii(Map.of("zarr_format", 2)));
        return s;
    }

    /** An existing store's directory, to be laid out again from settings ({@link #add}) rather than read. */
    public static ZarrStore reopen(Path root, Map<String, Object> attrs) throws IOException {
        Files.createDirectories(root);
        return new ZarrStore(root, new LinkedHashMap<>(attrs));
    }

    /** Adds an array (of length 0) to a new store. */
    public ZarrArray add(String name, ZarrArray.Dtype dtype, long[] inner, int rowsPerChunk, int compressLevel, List<String> dims,
                         Map<String, Object> arrayAttrs) throws IOException {
        if (arrays.containsKey(name)) {
            throw new IllegalArgumentException("array " + name + " exists");
        }
        Files.createDirectories(root.resolve(name));
        ZarrArray a = new ZarrArray(root, name, dtype, inner, rowsPerChunk, compressLevel, dims, arrayAttrs);
        arrays.put(name, a);
        return a;
    }

    public Path root() {
        return root;
    }

    public ZarrArray array(String name) {
        return arrays.get(name);
    }

    public Map<String, ZarrArray> arrays() {
        return Collections.unmodifiableMap(arrays);
    }

    /** Sets a root attribute; the next {@link #commit} writes the root {@code .zattrs} again. */
    public void setAttribute(String key, Object value) {
        attrs.put(key, value);
        attrsChanged = true;
    }

    /** Bytes written so far by this store's appends and commits: chunks (uncompressed) and metadata. */
    public long bytesWritten() {
        long b = metadataBytes;
        for (ZarrArray a : arrays.values()) {
            b += a.bytesWritten();
        }
        return b;
    }

    private void writeMetadata(Path file, String text, List<Path> written) throws IOException {
        AtomicFiles.writeStringUnforced(file, text);
        metadataBytes += text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        written.add(file);
    }

    public Map<String, Object> attributes() {
        return Collections.unmodifiableMap(attrs);
    }

    /**
     * Makes everything appended so far visible to readers and durable: the pending partial chunks and
     * every array's {@code .zarray} are written (atomically, each), then all of them are forced to disk
     * together, then {@code .zmetadata} (what xarray reads by default) is written and forced last.
     */
    public void commit() throws IOException {
        Map<String, Object> consolidated = new LinkedHashMap<>();
        consolidated.put(".zgroup", Map.of("zarr_format", 2));
        consolidated.put(".zattrs", attrs);
        List<Path> written = new ArrayList<>();
        for (ZarrArray a : arrays.values()) {
            a.flush();
            written.addAll(a.takeUnforced());
            Map<String, Object> zarray = a.zarray();
            Map<String, Object> zattrs = a.zattrs();
            Path dir = root.resolve(a.name());
            writeMetadata(dir.resolve(".zarray"), ascii(zarray), written);
            if (!Files.exists(dir.resolve(".zattrs"))) { // attributes never change after the array is made
                writeMetadata(dir.resolve(".zattrs"), ascii(zattrs), written);
            }
            consolidated.put(a.name() + "/.zarray", zarray);
            consolidated.put(a.name() + "/.zattrs", zattrs);
        }
        if (attrsChanged || !Files.exists(root.resolve(".zattrs"))) {
            writeMetadata(root.resolve(".zattrs"), ascii(attrs), written);
            attrsChanged = false;
        }
        AtomicFiles.force(written);
        Map<String, Object> top = new LinkedHashMap<>(); // ordered: the same bytes from every process (Map.of's order is not)
        top.put("metadata", consolidated);
        top.put("zarr_consolidated_format", 1);
        String zmetadata = ascii(top);
        AtomicFiles.writeString(root.resolve(".zmetadata"), zmetadata);
        metadataBytes += zmetadata.length();
    }

    private static String ascii(Object value) {
        try {
            return ASCII.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise Zarr metadata", e);
        }
    }

    /** Opens an existing store from its consolidated metadata. */
    public static ZarrStore open(Path root) throws IOException {
        Path meta = root.resolve(".zmetadata");
        if (!Files.isRegularFile(meta)) {
            throw new java.nio.file.NoSuchFileException(meta + " (not a Zarr store written by Eddy, or one never committed)");
        }
        JsonNode m;
        try {
            m = Json.MAPPER.readTree(meta.toFile()).get("metadata");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CorruptFileException(meta, "unreadable: " + e.getOriginalMessage());
        }
        if (m == null || !m.has(".zgroup")) {
            throw new CorruptFileException(meta, "holds no consolidated metadata of a Zarr group");
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        m.path(".zattrs").fields().forEachRemaining(e -> attrs.put(e.getKey(), e.getValue().isNumber() ? e.getValue().numberValue()
                : e.getValue().asText()));
        ZarrStore s = new ZarrStore(root, attrs);
        List<String> names = new ArrayList<>();
        m.fieldNames().forEachRemaining(k -> {
            if (k.endsWith("/.zarray")) {
                names.add(k.substring(0, k.length() - "/.zarray".length()));
            }
        });
        for (String name : names) {
            s.arrays.put(name, ZarrArray.fromMetadata(root, name, m.get(name + "/.zarray"), m.get(name + "/.zattrs")));
        }
        return s;
    }

    /** Removes a directory tree (a missing one is fine). */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
