package dev.eddy.report;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads a report page in headless Chromium as {@code report.html?check} and returns what its check
 * script says ({@link ReportPage}): {@code images-ok N} or {@code images-broken …}. Skips the calling
 * test where Chromium is not installed.
 */
public final class HeadlessChromium {
    private HeadlessChromium() {
    }

    public static String check(Path html, Path scratch) throws IOException, InterruptedException {
        Path chromium = Stream.of("chromium", "chromium-browser", "google-chrome")
                .flatMap(name -> Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                        .map(d -> Path.of(d, name)))
                .filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(chromium != null, "chromium is not installed (apt-get install chromium): cannot render " + html.getFileName());
        Path profile = Files.createTempDirectory(scratch, "chromium-profile");
        String url = html.toUri() + "?check";
        Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile, "--virtual-time-budget=10000", "--window-size=1400,1000", "--dump-dom", url)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] dom = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "chromium finished");
        String text = new String(dom, StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<pre id=\"eddy-check\">([^<]*)</pre>").matcher(text);
        assertTrue(m.find(), "the check element is in the dumped DOM (exit " + p.exitValue() + ")");
        return m.group(1);
    }

    /** The number of {@code <img} tags in the page, to compare with the count the check script gives. */
    public static long images(Path html) throws IOException {
        return Pattern.compile("<img ").matcher(Files.readString(html)).results().count();
    }
}
