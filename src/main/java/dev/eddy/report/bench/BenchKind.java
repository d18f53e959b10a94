package dev.eddy.report.bench;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The kinds of file the benchmark report reads: the {@code kind} of an {@code eddy-bench/1} file, or an encode report. */
public enum BenchKind {
    LES_STEP("les-step", "LES step"),
    FFT("fft-round-trip", "GPU FFT round trip"),
    CODEC("codec", "codec"),
    PIPELINE("pipeline", "pipeline"),
    ENSEMBLE("ensemble", "ensemble"),
    /** {@code eddy encode}'s report (schema eddy-codec-report/1): ratio and errors of one setting on a run's snapshots. */
    ENCODE_REPORT("encode-report", "encode report");

    public final String json;
    public final String title;

    BenchKind(String json, String title) {
        this.json = json;
        this.title = title;
    }

    /** The kind an eddy-bench/1 file names, or null when it names none of these. */
    static BenchKind ofBench(String kind) {
        return Arrays.stream(values()).filter(k -> k != ENCODE_REPORT && k.json.equals(kind)).findFirst().orElse(null);
    }

    static String benchKinds() {
        return Arrays.stream(values()).filter(k -> k != ENCODE_REPORT).map(k -> k.json).collect(Collectors.joining(", "));
    }
}
