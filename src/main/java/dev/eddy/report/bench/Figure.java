package dev.eddy.report.bench;

import dev.eddy.report.Section;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * One figure of the benchmark report: its PNG, what it shows, the files its numbers come from (with
 * machine, software and settings), the notes on what is current or assumed, and the numbers as a table.
 *
 * @param file    the PNG's file name in the report folder
 * @param points  measured points drawn (reference lines not counted); a figure without any is not made
 * @param notes   which file supersedes which, and what the figure assumes
 * @param table   the plotted numbers; null where the figure has none to add
 */
public record Figure(String file, String title, String caption, BufferedImage image, int points, List<BenchSource> sources,
                     List<String> notes, Section table) {
    public Figure {
        if (points < 1) {
            throw new IllegalStateException("figure " + file + " has no measured point: it should have been skipped with a note");
        }
        if (sources.isEmpty()) {
            throw new IllegalStateException("figure " + file + " names no source file");
        }
        notes = List.copyOf(notes);
    }
}
