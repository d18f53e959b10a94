package dev.eddy.gpu;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The compute shaders of the project, found from their sources ({@code src/main/glsl/**}{@code /*.comp}, what
 * build/compile-shaders.sh compiles), not from what the build left in the jar: a shader whose SPIR-V is
 * missing is still listed. Surefire runs the tests from the project's root, so the path is relative to it.
 */
final class ShaderSources {
    static final Path ROOT = Path.of("src", "main", "glsl");

    private ShaderSources() {
    }

    /** The shaders' names (file names without .comp), sorted; never empty. */
    static List<String> names() {
        try (Stream<Path> files = Files.walk(ROOT)) {
            List<String> names = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".comp"))
                    .map(n -> n.substring(0, n.length() - ".comp".length())).sorted().toList();
            if (names.isEmpty()) {
                throw new IllegalStateException("no *.comp under " + ROOT.toAbsolutePath());
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("listing the shaders under " + ROOT.toAbsolutePath(), e);
        }
    }
}
