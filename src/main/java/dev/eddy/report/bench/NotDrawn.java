package dev.eddy.report.bench;

/** A figure the report does not draw, and why (no files of its kind, a key no file records yet), as the report says it. */
public record NotDrawn(String title, String why) {
}
