package dev.eddy.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every shader has a test named after it (STYLE.md §1: a reader finds a kernel's Java twin, its shader and
 * its parity test by the same name): some test source other than the ones that walk every shader mentions
 * it as its kernel, {@code "name"}, or as its source, {@code name.comp}. Holds for shaders not yet written.
 */
@Tag("fast")
class ShaderTestCoverageTest {
    static final Path TESTS = Path.of("src", "test", "java");
    /** The tests that take every shader generically, so their mention proves nothing. */
    static final List<String> GENERIC = List.of("ShaderPipelinesTest.java", "ShaderTestCoverageTest.java", "ShaderSources.java");

    static Map<Path, String> testSources() {
        try (Stream<Path> files = Files.walk(TESTS)) {
            return files.filter(f -> f.toString().endsWith(".java") && !GENERIC.contains(f.getFileName().toString()))
                    .collect(Collectors.toMap(f -> f, ShaderTestCoverageTest::read));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path f) {
        try {
            return Files.readString(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyShaderIsNamedByATest() {
        Map<Path, String> sources = testSources();
        List<String> untested = ShaderSources.names().stream().filter(name -> {
            Pattern mention = Pattern.compile("\"" + Pattern.quote(name) + "\"|\\b" + Pattern.quote(name) + "\\.comp\\b");
            return sources.values().stream().noneMatch(text -> mention.matcher(text).find());
        }).toList();
        assertEquals(List.of(), untested, "shaders without a test that names them (\"name\" or name.comp): write its parity test"
                + " against its Java twin");
    }
}
