package dev.eddy.report.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.config.ConfigException;
import dev.eddy.report.HeadlessChromium;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark report built from the committed samples (src/test/resources/bench-samples: H100 files
 * trimmed from planning/benchmarks, and three synthetic files in the formats not yet written by any
 * measurement: steppers with mean dt, ensembles, persistence and span floor), checked as data, as PNGs
 * and as a page in headless Chromium.
 */
@Tag("fast")
class BenchReportTest {
    @TempDir
    static Path tmp;
    static Path samples;
    static BenchReport.Result report;

    @BeforeAll
    static void buildTheReport() throws Exception {
        samples = Path.of(BenchReportTest.class.getResource("/bench-samples").toURI());
        report = BenchReport.write(List.of(samples), tmp.resolve("report"), MemoryFloor.H200);
    }

    @Test
    void everyFigureIsDrawnFromTheSamples() {
        Set<String> files = report.figures().stream().map(Figure::file).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(List.of("les-ms-per-step.png", "les-ms-per-unit-time.png", "fft-round-trip.png", "pipeline-stages.png",
                "pipeline-speedup.png", "pipeline-speedup-cpu-les.png", "proxy-error.png", "proxy-correlation.png", "proxy-drift.png", "sweep-stride.png", "sweep-k.png",
                "sweep-precision.png", "ensemble.png", "codec-ratio-error.png", "codec-speed.png")), files);
        assertTrue(report.skipped().isEmpty(), report.skipped().toString());
        assertTrue(report.warnings().isEmpty(), report.warnings().toString());
        for (Figure f : report.figures()) {
            assertTrue(f.points() > 0 && !f.sources().isEmpty(), f.file());
        }
    }

    /**
     * Each PNG is a full-size plot with its data drawn: pixels of saturated colour in its left half, which
     * is plot area in every figure (the legend sits outside on the right; axes, grid and text are grey).
     */
    @Test
    void everyPngHasItsDataDrawn() throws Exception {
        for (Figure f : report.figures()) {
            BufferedImage img = ImageIO.read(report.dir().resolve(f.file()).toFile());
            assertEquals(LinePlot.WIDTH, img.getWidth(), f.file());
            assertEquals(LinePlot.HEIGHT, img.getHeight(), f.file());
            int coloured = colouredInLeftHalf(img);
            assertTrue(coloured > 200, f.file() + ": " + coloured + " coloured pixels in the plot's left half");
        }
    }

    private static int colouredInLeftHalf(BufferedImage img) {
        int count = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth() / 2; x++) {
                int rgb = img.getRGB(x, y);
                int r = rgb >> 16 & 0xff;
                int g = rgb >> 8 & 0xff;
                int b = rgb & 0xff;
                count += Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60 ? 1 : 0;
            }
        }
        return count;
    }

    @Test
    void theNewestFileWinsAndTheReportSaysSo() throws Exception {
        BenchData data = BenchData.of(BenchFiles.load(List.of(samples)));
        LesPoint gpu1024 = data.les().kept().stream().filter(p -> p.gpu() && p.sgs() && p.n() == 1024 && p.precision().equals("fp32")
                && p.machine().startsWith("GPU on")).findFirst().orElseThrow();
        assertEquals("20261124-163816-vulkan.json", gpu1024.source().name());
        assertEquals(0.288161385, gpu1024.msPerStep(), 1e-12);
        String note = "20261124-163816-vulkan.json (2026-11-24 16:38:16 UTC) supersedes 20261124-162016-vulkan.json"
                + " (2026-11-24 16:20:16 UTC) for GPU LES fp32 at N = 256, 1024; GPU LES fp64 at N = 256, 1024";
        assertTrue(data.les().notes().contains(note), data.les().notes().toString());
        // 162016's N = 512 and 2048 rows are measured by no newer file: still current
        assertTrue(data.les().kept().stream().anyMatch(p -> p.n() == 2048 && p.source().name().equals("20261124-162016-vulkan.json")));
        assertTrue(Files.readString(report.dir().resolve("report.md")).contains(note));
        // the GPU pipeline at N = 1024 is in both pipeline files: the sweep file is newer
        PipelineRun base = data.pipeline().kept().stream().filter(r -> r.n() == 1024 && r.pipeline().equals("gpu") && r.stride() == 10
                && r.k() == 16 && r.precision().equals("fp32")).findFirst().orElseThrow();
        assertEquals("20261124-192502-pipeline.json", base.source().name());
    }

    @Test
    void keysOnlyNewerFilesHaveArePickedUp() throws Exception {
        String md = Files.readString(report.dir().resolve("report.md"));
        // persistence and span floor of the synthetic pipeline row, in the horizon table: N = 64, proxy step 4
        assertTrue(md.contains("| N = 64 | gpu | 4 | 8 | 0.25 | 0.3 | 0.05 | 0.45 | 0.12 |"), md);
        Figure error = report.figures().stream().filter(f -> f.file().equals("proxy-error.png")).findFirst().orElseThrow();
        assertTrue(error.notes().stream().noneMatch(n -> n.contains("not in these files")), error.notes().toString());
        // ms per unit time from the synthetic stepper file: rk4 at 1024, 0.55 ms / 0.004
        assertTrue(md.contains("| 1024 | 0.55 | 0.004 | 2 | 137.5 |") || md.contains("| 1024 | 0.55 | 0.004 | 2 | 138 |"), md);
        // rk4's four right-hand-side evaluations get their own floor, twice Heun's
        assertTrue(md.contains("| bandwidth floor fp32, 4 RHS evaluations |"), md);
    }

    @Test
    void theMemoryFloorIsTheDesignsAndScales() {
        assertEquals(0.113, MemoryFloor.H200.ms(1024, "fp32", 2), 0.0005); // design §7: 0.113 ms at 1024²
        assertEquals(7.25, MemoryFloor.H200.ms(8192, "fp32", 2), 0.01);
        assertEquals(2 * MemoryFloor.H200.ms(2048, "fp32", 2), MemoryFloor.H200.ms(2048, "fp64", 2), 1e-12);
        assertEquals(2 * MemoryFloor.H200.ms(2048, "fp32", 2), MemoryFloor.H200.ms(2048, "fp32", 4), 1e-12);
        assertEquals(0.1 * 1024 * 1024 * 1e3 / 1e12 * 1.5, new MemoryFloor(0.1, 1e12).ms(1024, "fp32", 3), 1e-15);
        assertThrows(ConfigException.class, () -> new MemoryFloor(0, 1e12));
        assertThrows(ConfigException.class, () -> new MemoryFloor(460, Double.NaN));
    }

    @Test
    void theReportNamesTheMachineVersionsAndSettingsOfEveryFigure() throws Exception {
        String html = Files.readString(report.dir().resolve("report.html"));
        int figures = html.split("<h3>Files, machines and settings</h3>", -1).length - 1;
        assertEquals(report.figures().size(), figures);
        for (String s : List.of("Intel Xeon, 16 cores", "NVIDIA H100 80GB HBM3", "eddy 0.1.0, Java 25.0.3+9-LTS", "driver 580.159.4",
                "preset kolmogorov-256", DesignFigures.SOURCE, "460·N² bytes per RK2 step", "at 4.26 TB/s")) {
            assertTrue(html.contains(dev.eddy.report.ReportPage.esc(s)), "report.html names " + s);
        }
    }

    /** The page renders in headless Chromium and every one of its images decodes. */
    @Test
    void rendersInHeadlessChromiumWithEveryImage() throws Exception {
        Path html = report.dir().resolve("report.html");
        String verdict = HeadlessChromium.check(html, tmp);
        assertEquals("images-ok " + report.figures().size(), verdict.strip(), "chromium says: " + verdict);
        assertEquals(report.figures().size(), HeadlessChromium.images(html));
    }
}
