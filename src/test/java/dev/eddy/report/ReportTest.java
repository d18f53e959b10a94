package dev.eddy.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.TestConfigs;
import dev.eddy.cli.Main;
import dev.eddy.config.OutputSchedule;
import dev.eddy.config.RunConfig;
import dev.eddy.config.TimeControl;
import dev.eddy.io.Json;
import dev.eddy.numerics.Precision;
import dev.eddy.run.LesRun;
import dev.eddy.run.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A small run with its report made at the end, then checked as files and as a page in headless Chromium. */
@Tag("robustness")
class ReportTest {
    @TempDir
    static Path tmp;
    static Path run;

    @BeforeAll
    static void smallRun() throws Exception {
        RunConfig c = TestConfigs.withOutput(TestConfigs.les(32, Precision.FP64), new OutputSchedule(10, 5, 0),
                new TimeControl(30, 0, 0.005, 0, "heun"));
        run = tmp.resolve("run");
        List<String> log = new ArrayList<>();
        new LesRun(c, new LesRun.Options(run, false, run.resolve("metrics.json"), log::add, true, Progress.Mode.OFF)).run();
    }

    @Test
    void runLeavesPicturesVideoAndReport() throws Exception {
        for (String f : List.of("report.html", "report.md", "pictures/spectrum.png", "pictures/energy.png",
                "pictures/omega_000000000000.png", "pictures/omega_000000000030.png")) {
            assertTrue(Files.isRegularFile(run.resolve(f)), f);
        }
        assertTrue(Files.exists(run.resolve("video.mp4")) || Files.exists(run.resolve("video.gif")));
        JsonNode m = Json.MAPPER.readTree(run.resolve("metrics.json").toFile());
        for (String stage : List.of("plot", "video", "report")) {
            assertTrue(m.get("stage_seconds").has(stage), "stage " + stage + " timed in metrics.json");
        }
        assertTrue(m.get("transfers").isArray() && m.get("transfers").isEmpty());
        String html = Files.readString(run.resolve("report.html"));
        for (String s : List.of("Settings", "Stage timings", "Transfer ledger", "Diagnostics", "no transfers", "plot", "video")) {
            assertTrue(html.contains(s), "report.html mentions " + s);
        }
    }

    /** Every image and link target in report.md and report.html is a data URI or a file that exists. */
    @Test
    void reportReferencesOnlyFilesThatExist() throws Exception {
        List<String> refs = new ArrayList<>();
        collect(Files.readString(run.resolve("report.md")), Pattern.compile("\\]\\(([^)]+)\\)"), refs);
        String html = Files.readString(run.resolve("report.html"));
        collect(html, Pattern.compile("(?:src|href)=\"([^\"]+)\""), refs);
        assertTrue(refs.size() >= 8, "found references: " + refs.size());
        int embedded = 0;
        for (String r : refs) {
            if (r.startsWith("data:")) {
                embedded++;
                continue;
            }
            assertTrue(!r.contains("://") && !r.startsWith("/"), "reference is relative: " + r);
            assertTrue(Files.isRegularFile(run.resolve(r)), "referenced file exists: " + r);
        }
        assertTrue(embedded >= 6, "the HTML embeds its pictures");
        try (Stream<Path> pics = Files.list(run.resolve("pictures"))) {
            assertTrue(pics.allMatch(p -> Files.isRegularFile(p) && p.toString().endsWith(".png")));
        }
    }

    private static void collect(String text, Pattern p, List<String> out) {
        Matcher m = p.matcher(text);
        while (m.find()) {
            out.add(m.group(1));
        }
    }

    @Test
    void reportCommandRegeneratesFromFiles() throws Exception {
        Files.delete(run.resolve("report.md"));
        var err = new java.io.StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new java.io.PrintWriter(err));
        int code = cl.execute("report", "--quiet", run.toString());
        assertEquals(0, code, err.toString());
        assertTrue(Files.readString(run.resolve("report.md")).contains("## Stage timings"));
    }

    /** The page renders in headless Chromium and every image in it decodes (naturalWidth > 0). */
    @Test
    void rendersInHeadlessChromiumWithEveryImage() throws Exception {
        Path html = run.resolve("report.html");
        String verdict = HeadlessChromium.check(html, tmp);
        assertTrue(verdict.startsWith("images-ok "), "chromium says: " + verdict);
        int images = Integer.parseInt(verdict.substring("images-ok ".length()).strip());
        assertEquals(HeadlessChromium.images(html), images);
        assertTrue(images >= 6);
    }
}
