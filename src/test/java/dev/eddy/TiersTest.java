package dev.eddy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.commons.annotation.Testable;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * Every test class is in exactly one tier (README, "Tests"), so {@code scripts/test.sh --fast} and the
 * default run select what they say: a class without a tier would run in neither the fast tier nor any
 * other named one, and a misspelt tag would silently select nothing. A method may add only {@code slow}.
 */
@Tag("fast")
class TiersTest {
    static final Set<String> TIERS = Set.of("fast", "physics", "gpu-parity", "robustness", "slow");

    /** The concrete classes under the test-classes directory that hold a JUnit test (of any kind). */
    static List<Class<?>> testClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(TiersTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<Class<?>> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().contains("$")).toList()) {
                String name = root.relativize(f).toString().replace(f.getFileSystem().getSeparator(), ".");
                Class<?> c = Class.forName(name.substring(0, name.length() - ".class".length()), false, TiersTest.class.getClassLoader());
                if (!Modifier.isAbstract(c.getModifiers()) && !testMethods(c).isEmpty()) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    static List<Method> testMethods(Class<?> c) {
        return AnnotationSupport.findAnnotatedMethods(c, Testable.class, HierarchyTraversalMode.TOP_DOWN);
    }

    static Set<String> tags(java.lang.reflect.AnnotatedElement e) {
        Set<String> out = new TreeSet<>();
        AnnotationSupport.findRepeatableAnnotations(e, Tag.class).forEach(t -> out.add(t.value()));
        return out;
    }

    @Test
    void everyTestClassHasExactlyOneTierAndMethodsAddOnlySlow() throws Exception {
        List<Class<?>> classes = testClasses();
        assertTrue(classes.size() > 40 && classes.contains(TiersTest.class), "found " + classes.size() + " test classes");
        List<String> wrong = new ArrayList<>();
        for (Class<?> c : classes) {
            Set<String> tags = tags(c);
            Set<String> tiers = new TreeSet<>(tags);
            tiers.retainAll(TIERS);
            if (tiers.size() != 1 || !TIERS.containsAll(tags)) {
                wrong.add(c.getName() + " is tagged " + tags);
            }
            for (Method m : testMethods(c)) {
                Set<String> added = tags(m);
                if (!added.isEmpty() && !added.equals(Set.of("slow"))) {
                    wrong.add(c.getName() + "." + m.getName() + " adds " + added);
                }
            }
        }
        assertEquals(List.of(), wrong, "each test class takes exactly one of " + new TreeSet<>(TIERS) + "; a method may add only slow");
    }
}
