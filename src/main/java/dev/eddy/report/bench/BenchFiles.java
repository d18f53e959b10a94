package dev.eddy.report.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.config.ConfigException;
import dev.eddy.io.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds and recognises benchmark files. A directory stands for its {@code *.json} files (not its
 * sub-folders). A file that is not valid JSON, or not a benchmark Eddy writes (a compare report, a run's
 * metrics, a device list), is skipped with a one-line warning naming it; the report lists the warnings.
 * Nothing usable at all is a usage error (exit 2), as is a path that does not exist.
 */
public final class BenchFiles {
    public static final String BENCH_SCHEMA = "eddy-bench/1";
    public static final String ENCODE_SCHEMA = "eddy-codec-report/1";
    /** The stamp {@code eddy bench} starts its file names with (UTC): the date of a file that records none. */
    private static final Pattern STAMP = Pattern.compile("^(\\d{8}-\\d{6})");

    private BenchFiles() {
    }

    /** The recognised files, the warnings about the others, and every JSON file looked at. */
    public record Loaded(List<BenchDoc> docs, List<String> warnings, List<Path> looked) {
    }

    public static Loaded load(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.list(in)) {
                    s.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") && Files.isRegularFile(p))
                            .sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(in)) {
                files.add(in);
            } else {
                throw new ConfigException("no such file or directory: " + in);
            }
        }
        if (files.isEmpty()) {
            throw new ConfigException("no benchmark JSON (*.json) in " + String.join(", ", inputs.stream().map(Path::toString).toList()));
        }
        List<BenchDoc> docs = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        for (Path f : files) {
            String why = read(f, docs);
            if (why != null) {
                warnings.add("skipped " + f + ": " + why);
            }
        }
        if (docs.isEmpty()) {
            throw new ConfigException("nothing to report: none of the " + files.size() + " JSON file(s) is an Eddy benchmark ("
                    + warnings.getFirst() + (warnings.size() > 1 ? "; and " + (warnings.size() - 1) + " more" : "") + ")");
        }
        return new Loaded(docs, warnings, files);
    }

    /** Adds the file to {@code docs}, or returns why it is skipped. */
    private static String read(Path f, List<BenchDoc> docs) throws IOException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(f.toFile());
        } catch (JsonProcessingException e) {
            return "not valid JSON (" + e.getOriginalMessage().lines().findFirst().orElse("?") + " at line "
                    + (e.getLocation() != null ? e.getLocation().getLineNr() : "?") + ")";
        }
        if (root == null || root.isMissingNode()) {
            return "empty file";
        }
        if (root.isArray() && !root.isEmpty() && allEncodeReports(root)) {
            docs.add(new BenchDoc(source(f, BenchKind.ENCODE_REPORT, root.get(0), root), root));
            return null;
        }
        String schema = root.path("schema").asText("");
        if (schema.equals(ENCODE_SCHEMA)) {
            docs.add(new BenchDoc(source(f, BenchKind.ENCODE_REPORT, root, root), root));
            return null;
        }
        if (!schema.equals(BENCH_SCHEMA)) {
            return "not an Eddy benchmark file (" + (schema.isEmpty() ? "no \"schema\"" : "schema \"" + schema + "\"")
                    + "; expected " + BENCH_SCHEMA + " or " + ENCODE_SCHEMA + ")";
        }
        BenchKind kind = BenchKind.ofBench(root.path("kind").asText(""));
        if (kind == null) {
            return "unknown benchmark kind \"" + root.path("kind").asText("") + "\" (known: " + BenchKind.benchKinds() + ")";
        }
        if (!root.path("results").isArray() || root.path("results").isEmpty()) {
            return "no results";
        }
        docs.add(new BenchDoc(source(f, kind, root, root), root));
        return null;
    }

    private static boolean allEncodeReports(JsonNode array) {
        for (JsonNode e : array) {
            if (!e.path("schema").asText("").equals(ENCODE_SCHEMA)) {
                return false;
            }
        }
        return true;
    }

    /** {@code head} holds the metadata (the file's object, or an encode report array's first entry). */
    private static BenchSource source(Path f, BenchKind kind, JsonNode head, JsonNode root) throws IOException {
        Dated d = date(f, head);
        return new BenchSource(f, kind, d.date(), d.from(), head.path("label").asText(""), host(head.path("machine")),
                Fields.text(head.path("device"), "name"), software(head), settings(kind, root));
    }

    private record Dated(Instant date, String from) {
    }

    /** The date the file records; else its name's stamp; else, said as such, its modification time. */
    private static Dated date(Path f, JsonNode head) throws IOException {
        for (String key : List.of("date", "started", "written")) {
            String d = Fields.text(head, key);
            if (d != null) {
                try {
                    return new Dated(Instant.parse(d), "");
                } catch (DateTimeParseException e) {
                    // an unreadable date falls through to the file name's stamp, then to the file's time
                }
            }
        }
        Matcher m = STAMP.matcher(f.getFileName().toString());
        if (m.find()) {
            return new Dated(LocalDateTime.parse(m.group(1), DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")).toInstant(ZoneOffset.UTC),
                    "file name");
        }
        return new Dated(Files.getLastModifiedTime(f).toInstant(), "file time");
    }

    /** "Intel Xeon, 16 cores" from the machine block {@code Versions.machine()} writes. */
    static String host(JsonNode machine) {
        String cpu = Fields.text(machine, "cpu");
        Integer cores = Fields.integer(machine, "cores");
        if (cpu == null && cores == null) {
            return "host not recorded";
        }
        String name = cpu == null ? "CPU" : cpu.replaceAll("\\((R|TM|tm)\\)", "").replaceAll("\\b(CPU|Processor)\\b", "")
                .replaceAll("\\s+", " ").strip();
        return name + (cores != null ? ", " + cores + " cores" : "");
    }

    private static String software(JsonNode head) {
        JsonNode s = head.path("software");
        StringJoiner j = new StringJoiner(", ");
        if (s.has("eddy")) {
            j.add("eddy " + s.path("eddy").asText());
        }
        if (s.has("java")) {
            j.add("Java " + s.path("java").asText());
        }
        String driver = Fields.text(head.path("device"), "driver_version");
        if (driver != null) {
            j.add("driver " + driver);
        }
        return j.length() == 0 ? "not recorded" : j.toString();
    }

    /** The settings every row of the file shares, in a few words. */
    private static String settings(BenchKind kind, JsonNode root) {
        return switch (kind) {
            case PIPELINE -> compact(root.path("base_case"));
            case CODEC -> compact(root.path("results").path(0).path("settings")) + "; field: "
                    + root.path("results").path(0).path("field").asText("not recorded");
            case ENCODE_REPORT -> "eddy encode of " + (root.isArray() ? root.get(0) : root).path("input").asText("?");
            default -> root.path("units").asText("units not recorded");
        };
    }

    /** {@code {"a": 1, "b": {"c": 2}}} as "a 1, b.c 2". */
    static String compact(JsonNode node) {
        StringJoiner j = new StringJoiner(", ");
        flatten("", node, j);
        return j.length() == 0 ? "not recorded" : j.toString();
    }

    private static void flatten(String prefix, JsonNode node, StringJoiner out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                flatten(prefix + e.getKey() + ".", e.getValue(), out);
            }
        } else if (!node.isMissingNode() && !prefix.isEmpty()) {
            out.add(prefix.substring(0, prefix.length() - 1) + " " + (node.isTextual() ? node.asText() : node.toString()));
        }
    }
}
