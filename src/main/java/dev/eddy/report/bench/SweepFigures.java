package dev.eddy.report.bench;

import dev.eddy.report.Section;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * How accuracy and cost move with the stride, the latent size K and the precision ({@code eddy bench
 * pipeline}'s sweeps: the GPU pipeline at one N, one setting changed from the base case at a time). Each
 * sweep's figure shows the proxy's error against the LES steps ahead for every value, the base case's
 * table row included, and its table the cost of each value.
 */
final class SweepFigures {
    /** A sweep: its group name in the files, its title, and how a row shows the swept value. */
    private record Sweep(String group, String title, Function<PipelineRun, String> value, Comparator<PipelineRun> order) {
    }

    private static final List<Sweep> SWEEPS = List.of(
            new Sweep("stride", "Sweep: stride (LES steps per proxy step)", r -> "stride " + r.stride(),
                    Comparator.comparingInt(PipelineRun::stride)),
            new Sweep("k", "Sweep: latent size K", r -> "K " + r.k(), Comparator.comparingInt(PipelineRun::k)),
            new Sweep("precision", "Sweep: precision", PipelineRun::precision, Comparator.comparing(PipelineRun::precision)));

    private SweepFigures() {
    }

    static void add(BenchData data, FigureSet out) {
        List<PipelineRun> all = data.pipeline().kept();
        for (Sweep sweep : SWEEPS) {
            List<PipelineRun> rows = all.stream().filter(r -> r.group().equals(sweep.group())).toList();
            if (rows.isEmpty()) {
                out.skip(sweep.title(), "no " + sweep.group() + " sweep (eddy bench pipeline --" + (sweep.group().equals("k") ? "ks"
                        : sweep.group() + "s") + ") among the inputs");
                continue;
            }
            List<PipelineRun> runs = new ArrayList<>(rows);
            base(all, rows.getFirst(), sweep.group()).ifPresent(runs::add);
            runs.sort(sweep.order());
            out.addOrSkip(sweep.title(), figure(sweep, runs, data.pipeline().notes()), "no run of the sweep has a horizon");
        }
    }

    /** The table row the sweep varies from: the same pipeline, machine, N and case, every other swept setting equal. */
    private static java.util.Optional<PipelineRun> base(List<PipelineRun> all, PipelineRun r, String group) {
        return all.stream().filter(b -> b.group().equals("table") && b.pipeline().equals(r.pipeline()) && b.machine().equals(r.machine())
                && b.n() == r.n() && b.caseKey().equals(r.caseKey())
                && (group.equals("stride") || b.stride() == r.stride())
                && (group.equals("k") || b.k() == r.k())
                && (group.equals("precision") || b.precision().equals(r.precision()))).findFirst();
    }

    private static Figure figure(Sweep sweep, List<PipelineRun> runs, List<String> notes) {
        LinePlot plot = new LinePlot(sweep.title() + ": proxy error against horizon", "LES steps ahead", "relative L2 error",
                LinePlot.Axis.LINEAR, LinePlot.Axis.LOG);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"value", "group", "d", "LES ms/step", "proxy ms/step", "learn s", "wall s", "rel L2 first",
                "rel L2 last", "codec floor last", "file"});
        for (int i = 0; i < runs.size(); i++) {
            PipelineRun r = runs.get(i);
            String name = sweep.value().apply(r) + (r.group().equals("table") ? " (base)" : "");
            double[] x = r.horizon().stream().mapToDouble(h -> (double) h.proxyStep() * r.stride()).toArray();
            var colour = Style.qualitative(i);
            plot.data(name, x, HorizonFigures.values(r.horizon(), HorizonPoint::relL2), Style.measured(colour, r.precision()));
            plot.reference(name + ", codec floor", x, HorizonFigures.values(r.horizon(),
                    h -> h.codecFloor() == null ? null : h.codecFloor().relL2()), Style.reference(colour, Style.DASH, SeriesMarkers.NONE));
            HorizonPoint first = r.horizon().isEmpty() ? null : r.horizon().getFirst();
            HorizonPoint last = r.last();
            rows.add(new String[] {name, r.group(), r.latentDimension() == null ? "—" : Integer.toString(r.latentDimension()),
                    Numbers.g(r.lesMsPerStep()), Numbers.g(r.proxyMsPerStep()), Numbers.g(r.stageSeconds().get("learn")),
                    Numbers.g(r.wallSeconds()), first == null ? "—" : Numbers.g(first.relL2()), last == null ? "—" : Numbers.g(last.relL2()),
                    last == null || last.codecFloor() == null ? "—" : Numbers.g(last.codecFloor().relL2()), r.source().name()});
        }
        if (plot.points() == 0) {
            return null;
        }
        PipelineRun any = runs.getFirst();
        String file = "sweep-" + sweep.group() + ".png";
        return new Figure(file, sweep.title(), "The " + any.pipeline() + " pipeline at N = " + any.n() + " on " + any.machine() + ", one"
                + " setting changed from the base case at a time: the proxy decoded with the residual (solid) and the codec floor"
                + " (thin dashed) against the LES steps ahead; an fp64 run is drawn thick dashed. The table gives each value's cost:"
                + " proxy ms/step is the device time where recorded.", plot.image(), plot.points(), Measurement.sources(runs), notes, new Section("sweep", rows, null));
    }
}
