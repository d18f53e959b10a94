package dev.eddy.report.bench;

import dev.eddy.report.Section;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The proxy against the LES continued over the horizon, for every N of the pipeline table: relative L2
 * error, correlation, and energy and enstrophy drift against the LES steps ahead, next to the baselines the
 * files record (codec floor; persistence and the span floor where present). The CPU, mixed and GPU
 * pipelines of one N learn the same operator and give the same errors (to 1e-3, h100-pipeline.md), so each
 * N shows one run: the GPU pipeline's where there is one.
 */
final class HorizonFigures {
    static final String ERROR_TITLE = "Proxy: relative L2 error against horizon";
    static final String CORRELATION_TITLE = "Proxy: correlation with the LES against horizon";
    static final String DRIFT_TITLE = "Proxy: energy and enstrophy drift against horizon";

    private HorizonFigures() {
    }

    static void add(BenchData data, FigureSet out) {
        List<PipelineRun> runs = onePerCase(PipelineFigures.table(data));
        if (runs.isEmpty()) {
            for (String t : List.of(ERROR_TITLE, CORRELATION_TITLE, DRIFT_TITLE)) {
                out.skip(t, "no pipeline table row with a horizon among the inputs");
            }
            return;
        }
        List<String> notes = new ArrayList<>(data.pipeline().notes());
        boolean persistence = runs.stream().anyMatch(r -> r.horizon().stream().anyMatch(h -> h.persistence() != null));
        boolean span = runs.stream().anyMatch(r -> r.horizon().stream().anyMatch(h -> h.spanFloor() != null));
        if (!persistence || !span) {
            notes.add((!persistence && !span ? "persistence and the span floor are" : !persistence ? "persistence is" : "the span floor is")
                    + " not in these files (recorded by pipelines newer than them): not drawn");
        }
        String label = "one line per N (colour); LES steps ahead of the training window = proxy steps × stride. Solid: the proxy"
                + " decoded with the residual of the last training snapshot";
        out.addOrSkip(ERROR_TITLE, figure("proxy-error.png", ERROR_TITLE, "relative L2 error", LinePlot.Axis.LOG, runs,
                HorizonPoint::relL2, b -> b.relL2(), label + "; dashed: the codec floor (the LES field's own code); dotted: persistence;"
                        + " dash-dot: the span floor (the best linear operator fitted on the window).", notes, true),
                "no horizon entry has a positive relative L2 error");
        out.addOrSkip(CORRELATION_TITLE, figure("proxy-correlation.png", CORRELATION_TITLE, "correlation", LinePlot.Axis.LINEAR, runs,
                HorizonPoint::correlation, b -> b.correlation(), label + "; dashed: the codec floor; dotted: persistence; dash-dot: the"
                        + " span floor.", notes, false), "no horizon entry records the correlation");
        drift(runs, notes, out);
    }

    /** One run per N and precision: gpu, else mixed, else cpu; only runs with a horizon. */
    static List<PipelineRun> onePerCase(List<PipelineRun> runs) {
        Map<String, PipelineRun> best = new LinkedHashMap<>();
        for (PipelineRun r : runs) {
            if (r.horizon().isEmpty()) {
                continue;
            }
            best.merge(r.n() + "|" + r.precision(), r, (a, b) -> PipelineFigures.order(b.pipeline()) > PipelineFigures.order(a.pipeline()) ? b : a);
        }
        return best.values().stream().sorted(Comparator.comparingInt(PipelineRun::n)).toList();
    }

    /** The figure, or null when no run has a value of {@code proxy} to draw. */
    private static Figure figure(String file, String title, String yTitle, LinePlot.Axis y, List<PipelineRun> runs,
                                 Function<HorizonPoint, Double> proxy, Function<HorizonPoint.Baseline, Double> baseline, String caption,
                                 List<String> notes, boolean withTable) {
        LinePlot plot = new LinePlot(title, "LES steps ahead", yTitle, LinePlot.Axis.LINEAR, y);
        boolean precisions = runs.stream().map(PipelineRun::precision).distinct().count() > 1;
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"N", "pipeline", "proxy step", "LES steps ahead", "rel L2 (+ residual)", "rel L2 (latent only)",
                "codec floor", "persistence", "span floor", "correlation", "energy drift", "enstrophy drift"});
        for (int i = 0; i < runs.size(); i++) {
            PipelineRun r = runs.get(i);
            String name = "N = " + r.n() + (precisions ? " " + r.precision() : "");
            var colour = Style.qualitative(i);
            double[] x = r.horizon().stream().mapToDouble(h -> (double) h.proxyStep() * r.stride()).toArray();
            plot.data(name + ", proxy", x, values(r.horizon(), proxy), Style.measured(colour, "fp32"));
            baseline(plot, name + ", codec floor", x, r.horizon(), HorizonPoint::codecFloor, baseline,
                    Style.reference(colour, Style.DASH, SeriesMarkers.NONE));
            baseline(plot, name + ", persistence", x, r.horizon(), HorizonPoint::persistence, baseline,
                    Style.reference(colour, Style.DOT, SeriesMarkers.NONE));
            baseline(plot, name + ", span floor", x, r.horizon(), HorizonPoint::spanFloor, baseline,
                    Style.reference(colour, Style.DASH_DOT, SeriesMarkers.NONE));
            for (HorizonPoint h : r.horizon()) {
                rows.add(new String[] {name, r.pipeline(), Integer.toString(h.proxyStep()), Integer.toString(h.proxyStep() * r.stride()),
                        Numbers.g(h.relL2()), Numbers.g(h.relL2LatentOnly()), Numbers.g(relL2(h.codecFloor())),
                        Numbers.g(relL2(h.persistence())), Numbers.g(relL2(h.spanFloor())), Numbers.g(h.correlation()),
                        Numbers.g(h.energyDrift()), Numbers.g(h.enstrophyDrift())});
            }
        }
        return plot.points() == 0 ? null : new Figure(file, title, caption, plot.image(), plot.points(), Measurement.sources(runs),
                notes, withTable ? new Section("over the horizon", rows, null) : null);
    }

    private static void drift(List<PipelineRun> runs, List<String> notes, FigureSet out) {
        LinePlot plot = new LinePlot(DRIFT_TITLE, "LES steps ahead", "relative drift against the LES", LinePlot.Axis.LINEAR,
                LinePlot.Axis.LINEAR);
        for (int i = 0; i < runs.size(); i++) {
            PipelineRun r = runs.get(i);
            double[] x = r.horizon().stream().mapToDouble(h -> (double) h.proxyStep() * r.stride()).toArray();
            var colour = Style.qualitative(i);
            plot.data("N = " + r.n() + " " + r.precision() + ", energy", x, values(r.horizon(), HorizonPoint::energyDrift),
                    Style.measured(colour, "fp32"));
            plot.data("N = " + r.n() + " " + r.precision() + ", enstrophy", x, values(r.horizon(), HorizonPoint::enstrophyDrift),
                    Style.measured(colour, "fp32").with(Style.DASH).with(SeriesMarkers.SQUARE));
        }
        if (plot.points() == 0) {
            out.skip(DRIFT_TITLE, "no pipeline row records the energy or enstrophy error of the decoded proxy");
            return;
        }
        out.add(new Figure("proxy-drift.png", DRIFT_TITLE, "(proxy − LES) / LES of energy (solid) and enstrophy (dashed) of the proxy"
                + " decoded with the residual, one colour per N; 0 is no drift.", plot.image(), plot.points(),
                Measurement.sources(runs), notes, null));
    }

    private static void baseline(LinePlot plot, String name, double[] x, List<HorizonPoint> horizon,
                                 Function<HorizonPoint, HorizonPoint.Baseline> which, Function<HorizonPoint.Baseline, Double> value,
                                 Style style) {
        double[] y = new double[horizon.size()];
        boolean any = false;
        for (int i = 0; i < y.length; i++) {
            HorizonPoint.Baseline b = which.apply(horizon.get(i));
            Double v = b == null ? null : value.apply(b);
            y[i] = v == null ? Double.NaN : v;
            any |= v != null;
        }
        if (any) {
            plot.reference(name, x, y, style);
        }
    }

    private static Double relL2(HorizonPoint.Baseline b) {
        return b == null ? null : b.relL2();
    }

    static double[] values(List<HorizonPoint> horizon, Function<HorizonPoint, Double> f) {
        return horizon.stream().mapToDouble(h -> {
            Double v = f.apply(h);
            return v == null ? Double.NaN : v;
        }).toArray();
    }
}
