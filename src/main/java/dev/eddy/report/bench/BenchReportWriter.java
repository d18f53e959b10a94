package dev.eddy.report.bench;

import static dev.eddy.report.ReportPage.esc;

import dev.eddy.io.AtomicFiles;
import dev.eddy.report.ReportPage;
import dev.eddy.report.Section;
import dev.eddy.viz.Images;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes the benchmark report: each figure's PNG, {@code report.html} (the PNGs embedded: one file that
 * can be mailed or archived alone) and {@code report.md} (which links the PNGs beside it). Under every
 * figure: its caption, the files it shows with their date, machine, device, software and settings, the
 * notes on which file supersedes which, and its numbers as a table.
 */
final class BenchReportWriter {
    static final String HTML = "report.html";
    static final String MD = "report.md";
    static final String TITLE = "Eddy benchmarks";

    private static final String CURRENT = "Which numbers are current: where several files measure the same thing (kind, machine, N,"
            + " precision and settings), the newest file's number is shown, and the figure says which file it supersedes.";

    private BenchReportWriter() {
    }

    static void write(Path dir, List<Path> inputs, BenchData data, FigureSet set) throws IOException {
        List<byte[]> pngs = new ArrayList<>();
        for (Figure f : set.figures) {
            byte[] png = Images.png(f.image());
            AtomicFiles.write(dir.resolve(f.file()), out -> out.write(png));
            pngs.add(png);
        }
        String from = inputs.stream().map(p -> p.toAbsolutePath().normalize().toString()).collect(Collectors.joining(", "));
        String meta = "report written " + Instant.now() + " from " + from;
        AtomicFiles.writeString(dir.resolve(HTML), html(meta, data, set, pngs));
        AtomicFiles.writeString(dir.resolve(MD), markdown(meta, data, set));
    }

    private static String summary(BenchData data, FigureSet set) {
        return set.figures.size() + " figures from " + data.files().size() + " benchmark files, the newest of "
                + data.files().getFirst().dateText() + ". " + CURRENT;
    }

    private static String html(String meta, BenchData data, FigureSet set, List<byte[]> pngs) {
        StringBuilder h = new StringBuilder(1 << 20);
        ReportPage.open(h, TITLE, meta);
        h.append("<p>").append(esc(summary(data, set))).append("</p>\n<ul>\n");
        for (Figure f : set.figures) {
            h.append("<li><a href=\"#").append(anchor(f)).append("\">").append(esc(f.title())).append("</a></li>\n");
        }
        h.append("</ul>\n");
        for (int i = 0; i < set.figures.size(); i++) {
            Figure f = set.figures.get(i);
            h.append("<h2 id=\"").append(anchor(f)).append("\">").append(esc(f.title())).append("</h2>\n<figure>");
            ReportPage.image(h, f.title(), pngs.get(i));
            h.append("<figcaption>").append(esc(f.caption())).append(" (<a href=\"").append(esc(f.file())).append("\">")
                    .append(esc(f.file())).append("</a>)</figcaption></figure>\n<h3>Files, machines and settings</h3>\n");
            ReportPage.rows(h, sources(f));
            if (!f.notes().isEmpty()) {
                h.append("<ul class=\"note\">\n");
                f.notes().forEach(n -> h.append("<li>").append(esc(n)).append("</li>\n"));
                h.append("</ul>\n");
            }
            if (f.table() != null) {
                h.append("<h3>Numbers</h3>\n");
                ReportPage.rows(h, f.table());
            }
        }
        ReportPage.table(h, notDrawn(set));
        ReportPage.table(h, files(data));
        ReportPage.table(h, warnings(data));
        ReportPage.close(h);
        return h.toString();
    }

    private static String markdown(String meta, BenchData data, FigureSet set) {
        StringBuilder m = new StringBuilder(1 << 16);
        m.append("# ").append(TITLE).append("\n\n").append(meta).append(". The pictures are the PNG files beside this one; `")
                .append(HTML).append("` holds the same with everything embedded.\n\n").append(summary(data, set)).append("\n\n");
        for (Figure f : set.figures) {
            m.append("## ").append(f.title()).append("\n\n![").append(f.title()).append("](").append(f.file()).append(")\n\n")
                    .append(f.caption()).append("\n\n### Files, machines and settings\n\n");
            ReportPage.markdownRows(m, sources(f));
            for (String n : f.notes()) {
                m.append("- ").append(n).append('\n');
            }
            if (!f.notes().isEmpty()) {
                m.append('\n');
            }
            if (f.table() != null) {
                m.append("### Numbers\n\n");
                ReportPage.markdownRows(m, f.table());
            }
        }
        ReportPage.markdown(m, notDrawn(set));
        ReportPage.markdown(m, files(data));
        ReportPage.markdown(m, warnings(data));
        return m.toString();
    }

    private static String anchor(Figure f) {
        return f.file().replace(".png", "");
    }

    private static Section sources(Figure f) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"file", "date", "host", "device", "software", "label", "settings"});
        for (BenchSource s : f.sources()) {
            rows.add(new String[] {s.name(), s.dateText(), s.host(), s.device() == null ? "—" : s.device(), s.software(),
                    s.label().isEmpty() ? "—" : s.label(), s.settings()});
        }
        return new Section("Files", rows, null);
    }

    private static Section notDrawn(FigureSet set) {
        List<String[]> rows = new ArrayList<>();
        if (!set.skipped.isEmpty()) {
            rows.add(new String[] {"figure", "why it is not drawn"});
            set.skipped.forEach(s -> rows.add(new String[] {s.title(), s.why()}));
        }
        return new Section("Figures not drawn", rows, set.skipped.isEmpty() ? "none: every figure had data" : null);
    }

    private static Section files(BenchData data) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"file", "kind", "date", "host", "device", "label"});
        for (BenchSource s : data.files()) {
            rows.add(new String[] {s.file().toString(), s.kind().title, s.dateText(), s.host(), s.device() == null ? "—" : s.device(),
                    s.label().isEmpty() ? "—" : s.label()});
        }
        return new Section("Files read", rows, "newest first");
    }

    private static Section warnings(BenchData data) {
        List<String[]> rows = new ArrayList<>();
        if (!data.warnings().isEmpty()) {
            rows.add(new String[] {"warning"});
            data.warnings().forEach(w -> rows.add(new String[] {w}));
        }
        return new Section("Files and rows left out", rows, data.warnings().isEmpty() ? "none" : null);
    }
}
