package dev.eddy.report.bench;

import java.util.List;

/**
 * One measured row of a benchmark file, normalised. Two rows with the same {@link #key} measure the same
 * thing (same kind, machine, N, precision and settings); the newer one is the current number.
 */
public interface Measurement {
    BenchSource source();

    /** What the row measures, machine included; equal keys mean one supersedes the other. */
    String key();

    /** The key in words without N, for the report's "superseded" notes, e.g. "GPU LES fp32". */
    String what();

    /** The grid size. */
    int n();

    /** The files {@code ms} come from, newest first, each once. */
    static List<BenchSource> sources(List<? extends Measurement> ms) {
        return ms.stream().map(Measurement::source).distinct().sorted(BenchSource::newestFirst).toList();
    }
}
