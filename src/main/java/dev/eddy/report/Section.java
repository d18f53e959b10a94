package dev.eddy.report;

import java.util.List;

/** A titled table of a report (rows of cells; the first row is the header), or only a note when {@code rows} is empty. */
public record Section(String title, List<String[]> rows, String note) {
}
