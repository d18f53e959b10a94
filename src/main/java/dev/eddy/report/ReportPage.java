package dev.eddy.report;

import java.util.Base64;

/**
 * The parts every Eddy report page shares, so the run, pipeline and benchmark reports look alike: the
 * HTML head and style, tables in HTML and Markdown, PNGs embedded as data URIs (one file that can be
 * mailed or archived alone), and the closing check script.
 *
 * <p>Opening a page as {@code report.html?check} runs that script: the text of element
 * {@code #eddy-check} becomes {@code images-ok N} when every image decoded, or {@code images-broken …}
 * with the alt texts of those that did not; the tests load pages that way in headless Chromium.
 */
public final class ReportPage {
    private ReportPage() {
    }

    /** The document head, the style and the {@code <h1>} title, then {@code meta} as a small line under it. */
    public static void open(StringBuilder h, String title, String meta) {
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(title))
                .append("</title>\n<style>\n").append(CSS).append("</style></head>\n<body>\n<h1>").append(esc(title))
                .append("</h1>\n<p class=\"meta\">").append(esc(meta)).append("</p>\n");
    }

    /** The check element and script, and the end of the document. */
    public static void close(StringBuilder h) {
        h.append("<pre id=\"eddy-check\"></pre>\n<script>\n").append(CHECK).append("</script>\n</body></html>\n");
    }

    /** An {@code <img>} holding {@code png} as a data URI. */
    public static void image(StringBuilder h, String alt, byte[] png) {
        h.append("<img alt=\"").append(esc(alt)).append("\" src=\"data:image/png;base64,")
                .append(Base64.getEncoder().encodeToString(png)).append("\">");
    }

    /** The section as an {@code <h2>}, its table and its note. */
    public static void table(StringBuilder h, Section s) {
        h.append("<h2>").append(esc(s.title())).append("</h2>\n");
        rows(h, s);
    }

    /** The section's table and note without a heading (for a table under a figure). */
    public static void rows(StringBuilder h, Section s) {
        if (!s.rows().isEmpty()) {
            h.append("<table>\n");
            for (int r = 0; r < s.rows().size(); r++) {
                String cell = r == 0 ? "th" : "td";
                h.append("<tr>");
                for (String c : s.rows().get(r)) {
                    h.append('<').append(cell).append('>').append(esc(c)).append("</").append(cell).append('>');
                }
                h.append("</tr>\n");
            }
            h.append("</table>\n");
        }
        if (s.note() != null) {
            h.append("<p class=\"note\">").append(esc(s.note())).append("</p>\n");
        }
    }

    /** The section as a {@code ##} heading, a Markdown table and its note. */
    public static void markdown(StringBuilder m, Section s) {
        m.append("## ").append(s.title()).append("\n\n");
        markdownRows(m, s);
    }

    /** The section's Markdown table and note without a heading. */
    public static void markdownRows(StringBuilder m, Section s) {
        if (!s.rows().isEmpty()) {
            for (int r = 0; r < s.rows().size(); r++) {
                m.append('|');
                for (String c : s.rows().get(r)) {
                    m.append(' ').append(c.replace("|", "\\|")).append(" |");
                }
                m.append('\n');
                if (r == 0) {
                    m.append('|').append(" --- |".repeat(s.rows().get(0).length)).append('\n');
                }
            }
            m.append('\n');
        }
        if (s.note() != null) {
            m.append(s.note()).append("\n\n");
        }
    }

    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static final String CSS = """
            body { font-family: sans-serif; max-width: 1400px; margin: 1.5em auto; padding: 0 1em; color: #222; }
            table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.92em; }
            th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
            th { background: #f0f0f0; }
            td { font-variant-numeric: tabular-nums; }
            figure { display: inline-block; margin: 0.5em; vertical-align: top; }
            figure img, figure video { max-width: 100%; border: 1px solid #ddd; }
            .gallery figure img { width: 420px; }
            figcaption, .meta, .note { font-size: 0.85em; color: #555; }
            """;

    /** Runs only with ?check in the URL: says in #eddy-check whether every image decoded. */
    private static final String CHECK = """
            if (location.search.indexOf('check') >= 0) {
              window.addEventListener('load', function () {
                var imgs = Array.prototype.slice.call(document.images);
                var bad = imgs.filter(function (i) { return !i.complete || i.naturalWidth === 0; })
                              .map(function (i) { return i.alt; });
                document.getElementById('eddy-check').textContent = bad.length === 0
                    ? 'images-ok ' + imgs.length : 'images-broken ' + bad.join(' | ');
              });
            }
            """;
}
