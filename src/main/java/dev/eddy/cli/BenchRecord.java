package dev.eddy.cli;

import dev.eddy.io.AtomicFiles;
import dev.eddy.io.Json;
import dev.eddy.io.Versions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One lab-notebook JSON of {@code eddy bench} ({@code DIR/<stamp>-<name>.json}, schema eddy-bench/1):
 * kind, date, label and units first, then what the benchmark adds ({@link #put}), the software and
 * machine, the transfer ledger where there is one, and the results.
 */
final class BenchRecord {
    private final Instant now = Instant.now();
    private final Map<String, Object> doc = new LinkedHashMap<>();

    BenchRecord(String kind, String label, String units) {
        doc.put("schema", "eddy-bench/1");
        doc.put("kind", kind);
        doc.put("date", now.toString());
        doc.put("label", label);
        doc.put("units", units);
    }

    BenchRecord put(String key, Object value) {
        doc.put(key, value);
        return this;
    }

    /** The UTC time stamp the file name starts with, yyyyMMdd-HHmmss. */
    String stamp() {
        return DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(now);
    }

    /** A device name as a file-name part: lower case, runs of other characters as one '-'. */
    static String slug(Object name) {
        return String.valueOf(name).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    /** Writes {@code out/<stamp>-<name>.json} atomically; {@code ledger} may be null (no device). */
    Path write(Path out, String name, List<Map<String, Object>> ledger, Object results) throws IOException {
        doc.put("software", Versions.software());
        doc.put("machine", Versions.machine());
        if (ledger != null) {
            doc.put("transfer_ledger", ledger);
        }
        doc.put("results", results);
        Files.createDirectories(out);
        Path json = out.resolve(stamp() + "-" + name + ".json");
        AtomicFiles.writeString(json, Json.write(doc));
        return json;
    }
}
