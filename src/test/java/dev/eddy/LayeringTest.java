package dev.eddy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The layout of the code is the pipeline it implements, from the ground floor up (docs/design.md): a
 * package may use packages on its floor or below, never above, and no two packages use each other. Read
 * from the sources' own references to {@code dev.eddy.*} types (imports and qualified names alike).
 */
@Tag("fast")
class LayeringTest {
    /** Floors, ground first; a package's floor is its first segment's. */
    static final List<List<String>> FLOORS = List.of(
            List.of("numerics", "io"),
            List.of("config", "gpu"),
            List.of("backend"),
            List.of("sim"),
            List.of("store"),
            List.of("codec", "proxy", "viz"),
            List.of("report"),
            List.of("run"),
            List.of("pipeline"),
            List.of("bench"),
            List.of("cli"));

    static final Pattern PACKAGE = Pattern.compile("^package dev\\.eddy\\.([a-z]\\w*)[\\w.]*;", Pattern.MULTILINE);
    static final Pattern REFERENCE = Pattern.compile("\\bdev\\.eddy\\.([a-z]\\w*)(?:\\.[a-z]\\w*)*\\.[A-Z]");

    static int floor(String top) {
        for (int f = 0; f < FLOORS.size(); f++) {
            if (FLOORS.get(f).contains(top)) {
                return f;
            }
        }
        throw new AssertionError("package dev.eddy." + top + " has no floor in LayeringTest.FLOORS: give it one");
    }

    /** Top-level package → the top-level packages it references, with one file that does, from src/main/java. */
    static Map<String, Map<String, String>> references() throws IOException {
        Map<String, Map<String, String>> refs = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/eddy"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String src = Files.readString(p);
                Matcher pkg = PACKAGE.matcher(src);
                assertTrue(pkg.find(), p + " has no dev.eddy package line");
                String from = pkg.group(1);
                Matcher m = REFERENCE.matcher(src);
                while (m.find()) {
                    if (!m.group(1).equals(from)) {
                        refs.computeIfAbsent(from, k -> new TreeMap<>()).putIfAbsent(m.group(1), p.toString());
                    }
                }
            }
        }
        return refs;
    }

    @Test
    void noReferenceRunsBackUpAFloor() throws IOException {
        List<String> up = new ArrayList<>();
        references().forEach((from, to) -> to.forEach((target, file) -> {
            if (floor(target) > floor(from)) {
                up.add(from + " → " + target + " (" + file + ")");
            }
        }));
        assertTrue(up.isEmpty(), "references that run back up: " + up);
    }

    @Test
    void noTwoPackagesUseEachOther() throws IOException {
        Map<String, Map<String, String>> refs = references();
        Set<String> cycles = new TreeSet<>();
        for (String a : refs.keySet()) {
            for (String b : refs.get(a).keySet()) {
                if (reaches(refs, b, a)) {
                    cycles.add(a.compareTo(b) < 0 ? a + " ↔ " + b : b + " ↔ " + a);
                }
            }
        }
        assertTrue(cycles.isEmpty(), "package cycles: " + cycles);
    }

    private static boolean reaches(Map<String, Map<String, String>> refs, String from, String to) {
        Set<String> seen = new HashSet<>();
        List<String> stack = new ArrayList<>(List.of(from));
        while (!stack.isEmpty()) {
            String p = stack.removeLast();
            if (p.equals(to)) {
                return true;
            }
            if (seen.add(p)) {
                stack.addAll(refs.getOrDefault(p, new HashMap<>()).keySet());
            }
        }
        return false;
    }
}
