package dev.eddy.report.bench;

import dev.eddy.report.Section;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The codec: compression ratio against the decode's relative L2 error (latent only, and latent + ternary
 * residual), and, where timed, ms per snapshot against N for the GPU and CPU encode and decode.
 */
final class CodecFigures {
    static final String RATIO_TITLE = "Codec: compression ratio against error";
    static final String SPEED_TITLE = "Codec: ms per snapshot against N";

    private CodecFigures() {
    }

    static void add(BenchData data, FigureSet out) {
        List<CodecPoint> points = data.codec().kept();
        if (points.isEmpty()) {
            out.skip(RATIO_TITLE, "no codec file (eddy bench codec, or an eddy encode report) among the inputs");
            out.skip(SPEED_TITLE, "no codec file among the inputs");
            return;
        }
        out.addOrSkip(RATIO_TITLE, ratio(points, data.codec().notes()), "no codec entry records a relative L2 error");
        out.addOrSkip(SPEED_TITLE, speed(points, data.codec().notes()), "no codec entry records an encode or decode time");
    }

    /** Series of one source kind, machine, precision (and N for encode reports, whose points are settings at one N). */
    private static Map<String, List<CodecPoint>> series(List<CodecPoint> points) {
        Map<String, List<CodecPoint>> out = new LinkedHashMap<>();
        for (CodecPoint p : points) {
            String name = p.source().kind() == BenchKind.ENCODE_REPORT ? "eddy encode N = " + p.n() + " " + p.precision()
                    : "bench codec " + p.precision() + " (" + p.machine() + ")";
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(p);
        }
        return out;
    }

    private static Figure ratio(List<CodecPoint> points, List<String> notes) {
        LinePlot plot = new LinePlot(RATIO_TITLE, "relative L2 error of the decoded field", "compression ratio", LinePlot.Axis.LOG,
                LinePlot.Axis.LINEAR);
        int c = 0;
        for (var e : series(points).entrySet()) {
            var colour = Style.qualitative(c++);
            List<CodecPoint> s = e.getValue();
            plot.data(e.getKey() + ", latent + residual", values(s, CodecPoint::relL2Residual), ratios(s),
                    Style.measured(colour, "fp32").with(Style.NONE).with(SeriesMarkers.DIAMOND));
            plot.data(e.getKey() + ", latent only", values(s, CodecPoint::relL2Latent), ratios(s),
                    Style.measured(colour, "fp32").with(Style.NONE).with(SeriesMarkers.CIRCLE));
        }
        if (plot.points() == 0) {
            return null;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"source", "machine", "N", "precision", "setting", "ratio", "rel L2 latent only", "rel L2 + residual",
                "GPU encode ms", "GPU decode ms", "CPU encode ms", "CPU decode ms", "file"});
        for (CodecPoint p : points) {
            rows.add(new String[] {p.source().kind().title, p.machine(), Integer.toString(p.n()), p.precision(), p.setting(),
                    Numbers.g(p.ratio()), Numbers.g(p.relL2Latent()), Numbers.g(p.relL2Residual()), Numbers.g(p.gpuEncodeMs()),
                    Numbers.g(p.gpuDecodeMs()), Numbers.g(p.cpuEncodeMs()), Numbers.g(p.cpuDecodeMs()), p.source().name()});
        }
        return new Figure("codec-ratio-error.png", RATIO_TITLE, "Compression ratio (raw field bytes / encoded bytes) against the relative"
                + " L2 error of the decode, latent only (circles) and latent + ternary residual (diamonds), one colour per series."
                + " bench codec encodes one field (its settings in the table) at each N; an eddy encode report is one setting (K, T,"
                + " θ) on a run's snapshots, its error the median over them.", plot.image(), plot.points(),
                Measurement.sources(points), notes, new Section("codec", rows, null));
    }

    private static Figure speed(List<CodecPoint> points, List<String> notes) {
        List<CodecPoint> bench = points.stream().filter(p -> p.source().kind() == BenchKind.CODEC).toList();
        LinePlot plot = new LinePlot(SPEED_TITLE, "N (grid points per side)", "ms per snapshot", LinePlot.Axis.LOG2_N, LinePlot.Axis.LOG);
        boolean machines = bench.stream().map(CodecPoint::machine).distinct().count() > 1;
        boolean settings = bench.stream().map(CodecPoint::setting).distinct().count() > 1;
        Map<String, List<CodecPoint>> series = new LinkedHashMap<>();
        for (CodecPoint p : bench) {
            series.computeIfAbsent(p.precision() + (machines ? " (" + p.machine() + ")" : "") + (settings ? ", " + p.setting() : ""),
                    k -> new ArrayList<>()).add(p);
        }
        List<String> operations = List.of("GPU encode", "GPU decode + residual", "CPU encode", "CPU decode + residual");
        List<Function<CodecPoint, Double>> times = List.of(CodecPoint::gpuEncodeMs, CodecPoint::gpuDecodeMs, CodecPoint::cpuEncodeMs,
                CodecPoint::cpuDecodeMs);
        for (var e : series.entrySet()) {
            List<CodecPoint> s = e.getValue();
            for (int i = 0; i < times.size(); i++) {
                plot.data(operations.get(i) + " " + e.getKey(), s.stream().mapToDouble(CodecPoint::n).toArray(), values(s, times.get(i)),
                        Style.measured(Style.qualitative(i), s.getFirst().precision()));
            }
        }
        if (plot.points() == 0) {
            return null;
        }
        return new Figure("codec-speed.png", SPEED_TITLE, "ms per snapshot of the codec (eddy bench codec), log–log: GPU time of the"
                + " device work of one call (encode from the device spectrum; decode with the residual) and wall time of the CPU codec"
                + " where timed; one colour per operation, solid fp32, dashed fp64. Settings: " + bench.getFirst().setting() + ".",
                plot.image(), plot.points(), Measurement.sources(bench), notes, null);
    }

    private static double[] ratios(List<CodecPoint> s) {
        return s.stream().mapToDouble(CodecPoint::ratio).toArray();
    }

    private static double[] values(List<CodecPoint> s, Function<CodecPoint, Double> f) {
        return s.stream().mapToDouble(p -> f.apply(p) == null ? Double.NaN : f.apply(p)).toArray();
    }
}
