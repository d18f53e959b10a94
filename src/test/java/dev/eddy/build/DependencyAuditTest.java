package dev.eddy.build;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * No jar on the class path matches planning/cve-denylist.txt (dependency versions with published CVEs).
 * The test class path holds every runtime dependency, so this covers what the bundle ships
 * (scripts/make-bundle.sh checks the bundle's lib/ against the same list).
 */
@Tag("fast")
class DependencyAuditTest {
    @Test
    void noDependencyWithAPublishedCve() throws Exception {
        List<String[]> deny = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("planning/cve-denylist.txt"))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                deny.add(line.split("\t", 2));
            }
        }
        assertTrue(deny.size() >= 2, "the denylist lost its entries");
        List<String> jars = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (entry.endsWith(".jar")) {
                jars.add(Path.of(entry).getFileName().toString());
            }
        }
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("jhdf-")), "jhdf is not on the class path: " + jars);
        List<String> found = new ArrayList<>();
        for (String jar : jars) {
            for (String[] d : deny) {
                if (Pattern.matches(d[0], jar)) {
                    found.add(jar + ": " + d[1]);
                }
            }
        }
        assertTrue(found.isEmpty(), "dependencies with published CVEs: " + found);
        // the pattern itself catches the versions the issue found
        assertTrue(Pattern.matches(deny.get(0)[0], "lz4-java-1.8.0.jar") && Pattern.matches(deny.get(1)[0], "commons-lang3-3.17.0.jar"));
    }
}
