package dev.eddy.report.bench;

import dev.eddy.report.Section;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The GPU FFT: ms per batched R2C + C2R round trip against N, per device, precision and batch. */
final class FftFigures {
    static final String TITLE = "GPU FFT: ms per R2C + C2R round trip against N";

    private FftFigures() {
    }

    static void add(BenchData data, FigureSet out) {
        List<FftPoint> points = data.fft().kept();
        if (points.isEmpty()) {
            out.skip(TITLE, "no FFT file (eddy bench --fft) among the inputs");
            return;
        }
        LinePlot plot = new LinePlot(TITLE, "N (grid points per side)", "ms per round trip", LinePlot.Axis.LOG2_N, LinePlot.Axis.LOG);
        Map<String, List<FftPoint>> series = new LinkedHashMap<>();
        for (FftPoint p : points) {
            series.computeIfAbsent(p.device() + ", batch " + p.batch() + " " + p.precision(), k -> new ArrayList<>()).add(p);
        }
        List<String> colours = points.stream().map(p -> p.device() + "|" + p.batch()).distinct().toList();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"device", "precision", "batch", "N", "ms per round trip", "timed by", "GB/s", "file"});
        for (var e : series.entrySet()) {
            List<FftPoint> s = e.getValue();
            FftPoint f = s.getFirst();
            plot.data(e.getKey(), s.stream().mapToDouble(FftPoint::n).toArray(), s.stream().mapToDouble(FftPoint::ms).toArray(),
                    Style.measured(Style.qualitative(colours.indexOf(f.device() + "|" + f.batch())), f.precision()));
            for (FftPoint p : s) {
                rows.add(new String[] {p.device(), p.precision(), Integer.toString(p.batch()), Integer.toString(p.n()), Numbers.g(p.ms()),
                        p.gpuTimed() ? "GPU timestamps" : "wall clock", Numbers.g(p.bandwidthGbS()), p.source().name()});
            }
        }
        out.add(new Figure("fft-round-trip.png", TITLE, "Batched 2D R2C + C2R round trips (VkFFT, in place) on the device, log–log: GPU"
                + " time per round trip (median of the submits), or the wall clock where the device has no timestamps. Colour:"
                + " device and batch (fields per FFT); solid fp32, dashed fp64.", plot.image(), plot.points(),
                Measurement.sources(points), data.fft().notes(), new Section("round trips", rows, null)));
    }
}
