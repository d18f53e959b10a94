import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Generates the float32 twin of every {@code *_F64.java} source (EJML's convention: the F64 class is
 * the hand-written template, the F32 class is derived from it and never edited).
 *
 * <p>Rules the templates follow so that a textual rewrite is exact:
 * <ul>
 *   <li>every literal and every {@code Math.*} result is written with an explicit {@code (double)} cast,
 *       which becomes {@code (float)};</li>
 *   <li>a line that must keep {@code double} (a precision-neutral interface: diagnostics, state export)
 *       ends with the comment {@code // neutral} and is copied unchanged except for class names.</li>
 * </ul>
 * Run by Maven in generate-sources: {@code java build/GenerateF32.java SRC_ROOT OUT_ROOT}.
 */
public final class GenerateF32 {
    private static final Pattern DOUBLE = Pattern.compile("\\bdouble\\b");
    private static final Pattern BOXED = Pattern.compile("\\bDouble\\b");
    private static final Pattern FFT = Pattern.compile("\\bDoubleFFT_1D\\b");
    private static final Pattern FP64 = Pattern.compile("\\bFP64\\b");

    public static void main(String[] args) throws IOException {
        Path src = Path.of(args[0]);
        Path out = Path.of(args[1]);
        List<Path> templates;
        try (Stream<Path> files = Files.walk(src)) {
            templates = files.filter(p -> p.getFileName().toString().endsWith("_F64.java")).toList();
        }
        for (Path template : templates) {
            Path relative = src.relativize(template);
            Path target = out.resolve(relative.toString().replace("_F64.java", "_F32.java"));
            Files.createDirectories(target.getParent());
            StringBuilder sb = new StringBuilder();
            sb.append("// GENERATED from ").append(relative).append(" by build/GenerateF32.java: do not edit.\n");
            for (String line : Files.readAllLines(template)) {
                sb.append(rewrite(line)).append('\n');
            }
            String text = sb.toString();
            if (!Files.exists(target) || !Files.readString(target).equals(text)) {
                Files.writeString(target, text);
            }
        }
        // a twin whose template moved or went away would otherwise stay behind and clash with its successor
        try (Stream<Path> files = Files.walk(out)) {
            for (Path stale : files.filter(p -> p.getFileName().toString().endsWith("_F32.java")).toList()) {
                Path template = src.resolve(out.relativize(stale).toString().replace("_F32.java", "_F64.java"));
                if (!Files.exists(template)) {
                    Files.delete(stale);
                }
            }
        }
        System.out.println("GenerateF32: " + templates.size() + " float32 twins in " + out);
    }

    static String rewrite(String line) {
        String s = line.replace("_F64", "_F32");
        if (s.stripTrailing().endsWith("// neutral")) {
            return s;
        }
        s = FFT.matcher(s).replaceAll("FloatFFT_1D");
        s = DOUBLE.matcher(s).replaceAll("float");
        s = BOXED.matcher(s).replaceAll("Float");
        s = FP64.matcher(s).replaceAll("FP32");
        return s;
    }
}
