package dev.eddy.report.bench;

import dev.eddy.report.Section;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Ensembles: throughput (member-steps per second = 1000 / ms per member-step) against the number of
 * members, one line per N and precision, with the peers' ensembles of design §7 as single points in the
 * colour of their N.
 */
final class EnsembleFigures {
    static final String TITLE = "Ensemble: throughput against members";

    private EnsembleFigures() {
    }

    static void add(BenchData data, FigureSet out) {
        List<EnsemblePoint> points = data.ensemble().kept();
        if (points.isEmpty()) {
            out.skip(TITLE, "no ensemble file (an eddy-bench/1 file of kind ensemble) among the inputs");
            return;
        }
        LinePlot plot = new LinePlot(TITLE, "members", "member-steps per second", LinePlot.Axis.LOG, LinePlot.Axis.LOG);
        TreeSet<Integer> sizes = new TreeSet<>();
        points.forEach(p -> sizes.add(p.n()));
        DesignFigures.ENSEMBLE.forEach(p -> sizes.add(p.n()));
        List<Integer> colourOfN = new ArrayList<>(sizes);
        boolean machines = points.stream().map(EnsemblePoint::machine).distinct().count() > 1;
        Map<String, List<EnsemblePoint>> series = new LinkedHashMap<>();
        for (EnsemblePoint p : points) {
            series.computeIfAbsent("Eddy N = " + p.n() + " " + p.precision() + (machines ? " (" + p.machine() + ")" : ""),
                    k -> new ArrayList<>()).add(p);
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"series", "N", "members", "ms per member-step", "member-steps per second", "source"});
        for (var e : series.entrySet()) {
            List<EnsemblePoint> s = new ArrayList<>(e.getValue());
            s.sort(java.util.Comparator.comparingInt(EnsemblePoint::members));
            EnsemblePoint f = s.getFirst();
            plot.data(e.getKey(), s.stream().mapToDouble(EnsemblePoint::members).toArray(),
                    s.stream().mapToDouble(p -> 1000 / p.msPerMemberStep()).toArray(),
                    Style.measured(Style.qualitative(colourOfN.indexOf(f.n())), f.precision()));
            for (EnsemblePoint p : s) {
                rows.add(new String[] {e.getKey(), Integer.toString(p.n()), Integer.toString(p.members()), Numbers.g(p.msPerMemberStep()),
                        Numbers.g(1000 / p.msPerMemberStep()), p.source().name()});
            }
        }
        for (DesignFigures.PeerEnsemble peer : DesignFigures.ENSEMBLE) {
            Color c = Style.qualitative(colourOfN.indexOf(peer.n()));
            String name = peer.peer() + " N = " + peer.n() + " fp32 (H200)";
            plot.reference(name, new double[] {peer.members()}, new double[] {1000 / peer.msPerMemberStep()},
                    Style.reference(c, Style.NONE, peer.peer().startsWith("jax") ? SeriesMarkers.SQUARE : SeriesMarkers.TRIANGLE_UP));
            rows.add(new String[] {peer.peer(), Integer.toString(peer.n()), Integer.toString(peer.members()),
                    Numbers.g(peer.msPerMemberStep()), Numbers.g(1000 / peer.msPerMemberStep()), DesignFigures.SOURCE});
        }
        List<String> notes = new ArrayList<>(data.ensemble().notes());
        notes.add("peers: " + DesignFigures.SOURCE + "; the design's target is at least 2× the best peer's per-member throughput");
        out.add(new Figure("ensemble.png", TITLE, "Member-steps per second (1000 / ms per member-step) against the members stepped"
                + " together, log–log, one colour per N; solid fp32, dashed fp64. Squares: jax-cfd vmap, triangles: PyTorch batched,"
                + " fp32 on an NVIDIA H200 (design §7).", plot.image(), plot.points(), Measurement.sources(points), notes,
                new Section("ensemble", rows, null)));
    }
}
