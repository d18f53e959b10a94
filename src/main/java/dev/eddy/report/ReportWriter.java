package dev.eddy.report;

import static dev.eddy.report.ReportPage.esc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.Json;
import dev.eddy.sim.DiagnosticSample;
import dev.eddy.store.RunFiles;
import dev.eddy.viz.Video;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code report.html} — one self-contained page (pictures and, up to {@link #MAX_EMBEDDED_VIDEO_BYTES},
 * the video embedded as data URIs: it can be mailed or archived alone) — and its twin {@code report.md},
 * which references the files under {@code pictures/}. Both hold the settings, the run summary, the
 * diagnostics summary, stage timings, the transfer ledger and the software and machine.
 *
 * <p>Opening {@code report.html?check} says whether every image decoded ({@link ReportPage}); the tests
 * load the page that way in headless Chromium.
 */
public final class ReportWriter {
    public static final long MAX_EMBEDDED_VIDEO_BYTES = 24L << 20;

    private ReportWriter() {
    }

    /** Writes both files; {@code video} may be null (no snapshots). */
    public static void write(RunRecord run, List<RunPictures.Picture> pictures, Video.Result video) throws IOException {
        List<Section> sections = sections(run);
        writePage(run.dir(), title(run), sections, pictures, video);
    }

    /**
     * Writes report.html and report.md of any run folder: {@code sections.get(0)} goes first, then the
     * pictures (plots, the video, then the "snapshot" and "comparison" galleries), then the other sections.
     */
    static void writePage(Path dir, String title, List<Section> sections, List<RunPictures.Picture> pictures,
                          Video.Result video) throws IOException {
        AtomicFiles.writeString(dir.resolve(RunFiles.REPORT_HTML), html(dir, title, sections, pictures, video));
        AtomicFiles.writeString(dir.resolve(RunFiles.REPORT_MD), markdown(dir, title, sections, pictures, video));
    }

    static List<Section> sections(RunRecord run) {
        List<Section> out = new ArrayList<>();
        JsonNode m = run.metrics();
        List<String[]> summary = new ArrayList<>();
        summary.add(new String[] {"quantity", "value"});
        summary.add(new String[] {"status", m != null ? m.path("status").asText("?") : "unknown (no metrics.json)"});
        DiagnosticSample last = run.diagnostics().isEmpty() ? null : run.diagnostics().getLast();
        summary.add(new String[] {"steps", last != null ? Long.toString(last.step()) : "?"});
        summary.add(new String[] {"simulated time", last != null ? num(last.time()) : "?"});
        summary.add(new String[] {"snapshots", Integer.toString(run.frameSteps().size())});
        if (m != null) {
            summary.add(new String[] {"steps taken by this invocation", m.path("steps_taken").asText()});
            summary.add(new String[] {"wall time (s)", num(m.path("wall_seconds").asDouble())});
            summary.add(new String[] {"solver ms per step", num(m.path("ms_per_step").asDouble())});
            summary.add(new String[] {"command", m.path("command").asText()});
        }
        out.add(new Section("Run", summary, null));

        List<String[]> settings = new ArrayList<>();
        settings.add(new String[] {"setting", "value"});
        flatten("", Json.MAPPER.valueToTree(run.config()), settings);
        out.add(new Section("Settings", settings, "re-run with: eddy run --config config.json --out NEW_DIR"));

        out.add(health(run));
        out.add(diagnostics(run));

        out.add(stageTimings(m));
        out.add(transfers(m, "no transfers: the " + run.config().backend() + " backend moves nothing between host and device"));
        out.add(software(m));
        return out;
    }

    /** Seconds per stage from the metrics' "stage_seconds", with each one's share of "wall_seconds". */
    static Section stageTimings(JsonNode m) {
        List<String[]> stages = new ArrayList<>();
        if (m != null && m.has("stage_seconds")) {
            double wall = m.path("wall_seconds").asDouble();
            stages.add(new String[] {"stage", "seconds", "share of wall time"});
            for (Iterator<Map.Entry<String, JsonNode>> it = m.get("stage_seconds").fields(); it.hasNext(); ) {
                var e = it.next();
                double s = e.getValue().asDouble();
                stages.add(new String[] {e.getKey(), num(s), wall > 0 ? String.format(Locale.ROOT, "%.1f %%", 100 * s / wall) : ""});
            }
        }
        return new Section("Stage timings", stages, stages.isEmpty() ? "not recorded: run with --log-metrics" :
                "wall time counts the whole invocation; the time of writing this report is only in metrics.json");
    }

    /** The transfer ledger from the metrics' "transfers"; {@code emptyNote} when there were none. */
    static Section transfers(JsonNode m, String emptyNote) {
        List<String[]> transfers = new ArrayList<>();
        if (m != null && m.path("transfers").isArray() && !m.get("transfers").isEmpty()) {
            List<String> keys = new ArrayList<>();
            m.get("transfers").get(0).fieldNames().forEachRemaining(keys::add);
            transfers.add(keys.toArray(String[]::new));
            for (JsonNode t : m.get("transfers")) {
                transfers.add(keys.stream().map(k -> t.path(k).asText()).toArray(String[]::new));
            }
        }
        return new Section("Transfer ledger (host ↔ device)", transfers, m == null ? "not recorded: run with --log-metrics"
                : transfers.isEmpty() ? emptyNote : null);
    }

    static Section software(JsonNode m) {
        List<String[]> sw = new ArrayList<>();
        if (m != null) {
            sw.add(new String[] {"item", "value"});
            flatten("software.", m.path("software"), sw);
            flatten("machine.", m.path("machine"), sw);
        }
        return new Section("Software and machine", sw, sw.isEmpty() ? "not recorded: run with --log-metrics" : null);
    }

    private static Section diagnostics(RunRecord run) {
        List<DiagnosticSample> d = run.diagnostics();
        List<String[]> rows = new ArrayList<>();
        if (!d.isEmpty()) {
            DiagnosticSample a = d.getFirst();
            DiagnosticSample b = d.getLast();
            rows.add(new String[] {"quantity", "first (step " + a.step() + ")", "last (step " + b.step() + ")", "last / first",
                    "min", "max"});
            rows.add(row("energy ½⟨u²+v²⟩", d, DiagnosticSample::energy));
            rows.add(row("enstrophy ½⟨ω²⟩", d, DiagnosticSample::enstrophy));
            rows.add(row("max |u|", d, DiagnosticSample::maxSpeed));
            rows.add(row("dt", d.size() > 1 ? d.subList(1, d.size()) : d, DiagnosticSample::dt));
            rows.add(row("Courant number (max|u|+max|v|)·K·dt", d.size() > 1 ? d.subList(1, d.size()) : d, DiagnosticSample::courant));
            rows.add(row("outer-band enstrophy share", d, s -> s.flow().bandFraction()));
            rows.add(row("E(k_c)/E(k_c/2)", d, s -> s.flow().cutoffRatio()));
        }
        return new Section("Diagnostics", rows, d.isEmpty() ? "no diagnostics recorded"
                : d.size() + " samples; dt row: the steps that led to each sample");
    }

    /**
     * The health check's verdict over the recorded samples (bounds from the run's settings) and whether the
     * energy and enstrophy budgets close.
     */
    private static Section health(RunRecord run) {
        List<DiagnosticSample> d = run.diagnostics();
        var bounds = run.config().health();
        List<String[]> rows = new ArrayList<>();
        double band = d.stream().mapToDouble(s -> s.flow().bandFraction()).filter(Double::isFinite).max().orElse(Double.NaN);
        double ratio = d.stream().mapToDouble(s -> s.flow().cutoffRatio()).filter(Double::isFinite).max().orElse(Double.NaN);
        if (d.isEmpty() || Double.isNaN(band)) {
            return new Section("Health", rows, "no health figures recorded (a run made before the health check existed)");
        }
        DiagnosticSample first = d.stream().filter(s -> s.flow().bandFraction() > bounds.maxBandFraction()
                || s.flow().cutoffRatio() > bounds.maxCutoffRatio()).findFirst().orElse(null);
        rows.add(new String[] {"figure", "largest over the run", "bound"});
        rows.add(new String[] {"share of the kept enstrophy in the outer band max(|kx|,|ky|) ≥ 0.8·k_c",
                String.format(Locale.ROOT, "%.2f %%", 100 * band), String.format(Locale.ROOT, "%.1f %%", 100 * bounds.maxBandFraction())});
        rows.add(new String[] {"E(k_c)/E(k_c/2)", num(ratio), num(bounds.maxCutoffRatio())});
        var energy = dev.eddy.sim.BudgetClosure.energy(d);
        var enstrophy = dev.eddy.sim.BudgetClosure.enstrophy(d);
        rows.add(new String[] {"energy budget residual |ΔE − ∫(input − dissipation)dt| / ∫|terms|", num(energy.relative()), ""});
        rows.add(new String[] {"enstrophy budget residual", num(enstrophy.relative()), ""});
        String verdict = first == null ? "healthy: every sample within the bounds"
                : String.format(Locale.ROOT, "UNHEALTHY from step %d (t = %.4g): grid-scale noise or a pile-up of enstrophy at"
                        + " the cutoff; the small scales are not to be trusted", first.step(), first.time());
        return new Section("Health", rows, verdict);
    }

    private static String[] row(String name, List<DiagnosticSample> d, java.util.function.ToDoubleFunction<DiagnosticSample> f) {
        double first = f.applyAsDouble(d.getFirst());
        double last = f.applyAsDouble(d.getLast());
        double[] v = d.stream().mapToDouble(f).toArray();
        return new String[] {name, num(first), num(last), first != 0 ? num(last / first) : "",
                num(java.util.Arrays.stream(v).min().orElse(Double.NaN)), num(java.util.Arrays.stream(v).max().orElse(Double.NaN))};
    }

    static void flatten(String prefix, JsonNode node, List<String[]> rows) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> flatten(prefix + e.getKey() + ".", e.getValue(), rows));
        } else if (!node.isMissingNode()) {
            rows.add(new String[] {prefix.substring(0, prefix.length() - 1), node.isTextual() ? node.asText() : node.toString()});
        }
    }

    static String num(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    private static String title(RunRecord run) {
        return "Eddy run " + run.dir().toAbsolutePath().normalize().getFileName() + " — N = " + run.config().n() + ", "
                + run.config().precision().label() + ", " + run.config().backend();
    }

    // ---------------------------------------------------------------- RunFiles.REPORT_HTML

    static String html(Path dir, String title, List<Section> sections, List<RunPictures.Picture> pictures, Video.Result video)
            throws IOException {
        StringBuilder h = new StringBuilder(1 << 16);
        ReportPage.open(h, title, "report written " + Instant.now() + " from " + dir.toAbsolutePath().normalize());
        for (Section s : sections.subList(0, 1)) {
            ReportPage.table(h, s);
        }
        h.append("<h2>Pictures</h2>\n");
        for (RunPictures.Picture p : pictures) {
            if (p.kind().equals("plot")) {
                figure(h, dir, p);
            }
        }
        if (video != null) {
            h.append("<h2>Video</h2>\n<figure>");
            Path file = video.file();
            String rel = dir.relativize(file).toString();
            long size = Files.size(file);
            String src = size <= MAX_EMBEDDED_VIDEO_BYTES ? "data:" + (video.format().equals("mp4") ? "video/mp4" : "image/gif")
                    + ";base64," + Base64.getEncoder().encodeToString(Files.readAllBytes(file)) : rel;
            if (video.format().equals("mp4")) {
                h.append("<video controls loop muted width=\"").append(video.width()).append("\" src=\"").append(src)
                        .append("\"></video>");
            } else {
                h.append("<img alt=\"video\" src=\"").append(src).append("\">");
            }
            h.append("<figcaption>").append(video.frames()).append(" snapshots at ").append(RunPictures.FPS)
                    .append(" frames/s, ").append(video.width()).append("×").append(video.height()).append(", each frame at its own colour limits (±the " + RunPictures.PERCENTILE + "th percentile of |ω|); ")
                    .append(esc(video.note())).append("; file <a href=\"").append(esc(rel)).append("\">").append(esc(rel))
                    .append("</a></figcaption></figure>\n");
        }
        List<RunPictures.Picture> snaps = pictures.stream().filter(p -> p.kind().equals("snapshot")).toList();
        if (!snaps.isEmpty()) {
            h.append("<h2>Vorticity snapshots</h2>\n<p>Cool–warm diverging map (Moreland 2009), symmetric limits ±max|ω| per snapshot; ")
                    .append("x to the right, y upwards.</p>\n<div class=\"gallery\">\n");
            for (RunPictures.Picture p : snaps) {
                figure(h, dir, p);
            }
            h.append("</div>\n");
        }
        List<RunPictures.Picture> comparisons = pictures.stream().filter(p -> p.kind().equals("comparison")).toList();
        if (!comparisons.isEmpty()) {
            h.append("<h2>LES | proxy | error</h2>\n<p>").append(esc(COMPARISON_NOTE)).append("</p>\n");
            for (RunPictures.Picture p : comparisons) {
                figure(h, dir, p);
            }
        }
        for (Section s : sections.subList(1, sections.size())) {
            ReportPage.table(h, s);
        }
        ReportPage.close(h);
        return h.toString();
    }

    private static void figure(StringBuilder h, Path dir, RunPictures.Picture p) throws IOException {
        h.append("<figure>");
        ReportPage.image(h, p.caption(), Files.readAllBytes(dir.resolve(p.path())));
        h.append("<figcaption>").append(esc(p.caption())).append(" (<a href=\"").append(esc(p.path())).append("\">")
                .append(esc(p.path())).append("</a>)</figcaption></figure>\n");
    }

    private static final String COMPARISON_NOTE = "The LES continued over the horizon, the proxy's prediction decoded with the"
            + " residual of the last training snapshot, and their difference on its own symmetric scale.";

    // ---------------------------------------------------------------- Markdown

    static String markdown(Path dir, String title, List<Section> sections, List<RunPictures.Picture> pictures,
                           Video.Result video) {
        StringBuilder m = new StringBuilder(1 << 14);
        m.append("# ").append(title).append("\n\n");
        m.append("Report written ").append(Instant.now()).append(". The pictures are the files under `")
                .append(RunFiles.PICTURES).append("/`; `").append(RunFiles.REPORT_HTML).append("` holds the same with everything embedded.\n\n");
        ReportPage.markdown(m, sections.getFirst());
        m.append("## Pictures\n\n");
        Map<String, List<RunPictures.Picture>> byKind = new LinkedHashMap<>();
        for (RunPictures.Picture p : pictures) {
            byKind.computeIfAbsent(p.kind(), k -> new ArrayList<>()).add(p);
        }
        for (RunPictures.Picture p : byKind.getOrDefault("plot", List.of())) {
            m.append("![").append(p.caption()).append("](").append(p.path()).append(")\n\n");
        }
        if (video != null) {
            String rel = dir.relativize(video.file()).toString();
            m.append("Video: [").append(rel).append("](").append(rel).append(") — ").append(video.frames())
                    .append(" snapshots, ").append(video.width()).append("×").append(video.height()).append(", ")
                    .append(video.note()).append(".\n\n");
        }
        List<RunPictures.Picture> snaps = byKind.getOrDefault("snapshot", List.of());
        if (!snaps.isEmpty()) {
            m.append("### Vorticity snapshots\n\nCool–warm diverging map (Moreland 2009), limits ±max|ω| per snapshot; x right, y up.\n\n");
            for (RunPictures.Picture p : snaps) {
                m.append("![").append(p.caption()).append("](").append(p.path()).append(")\n");
            }
            m.append('\n');
        }
        List<RunPictures.Picture> comparisons = byKind.getOrDefault("comparison", List.of());
        if (!comparisons.isEmpty()) {
            m.append("### LES | proxy | error\n\n").append(COMPARISON_NOTE).append("\n\n");
            for (RunPictures.Picture p : comparisons) {
                m.append("![").append(p.caption()).append("](").append(p.path()).append(")\n");
            }
            m.append('\n');
        }
        for (Section s : sections.subList(1, sections.size())) {
            ReportPage.markdown(m, s);
        }
        return m.toString();
    }}
