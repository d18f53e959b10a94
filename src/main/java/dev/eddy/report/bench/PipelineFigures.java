package dev.eddy.report.bench;

import dev.eddy.report.Section;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The pipeline comparison (design §7): wall time per stage of the CPU, mixed and GPU pipelines at every N
 * as stacked bars, and the end-to-end speed-up of the mixed and GPU pipelines over the CPU pipeline of the
 * same N against N, next to the design's targets.
 */
final class PipelineFigures {
    static final String STAGES_TITLE = "Pipeline: wall time per stage";
    static final String SPEEDUP_TITLE = "Pipeline: end-to-end speed-up over the CPU pipeline";
    static final String LES_SPEEDUP_TITLE = "Pipeline: end-to-end speed-up over the CPU LES";
    private static final List<String> ORDER = List.of("cpu", "mixed", "gpu");

    private PipelineFigures() {
    }

    /** The "table" rows (the CPU/mixed/GPU comparison), by N, then cpu, mixed, gpu, then precision. */
    static List<PipelineRun> table(BenchData data) {
        return data.pipeline().kept().stream().filter(r -> r.group().equals("table"))
                .sorted(Comparator.comparingInt(PipelineRun::n).thenComparingInt(r -> order(r.pipeline())).thenComparing(PipelineRun::precision))
                .toList();
    }

    static void add(BenchData data, FigureSet out) {
        List<PipelineRun> runs = table(data);
        if (runs.isEmpty()) {
            out.skip(STAGES_TITLE, "no pipeline file (eddy bench pipeline) with table rows among the inputs");
            out.skip(SPEEDUP_TITLE, "no pipeline file among the inputs");
            out.skip(LES_SPEEDUP_TITLE, "no pipeline file among the inputs");
            return;
        }
        out.add(stages(runs, data.pipeline().notes()));
        speedUp(runs, data.pipeline().notes(), out);
        speedUpOverCpuLes(runs, data.pipeline().notes(), out);
    }

    /**
     * The design's headline: each pipeline's wall time against the CPU LES of the same N and steps on the
     * benchmark host's cores (eddy bench pipeline times it per N: cpu_les_wall_seconds), against N.
     */
    private static void speedUpOverCpuLes(List<PipelineRun> runs, List<String> notes, FigureSet out) {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        List<PipelineRun> used = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"N", "precision", "pipeline", "machine", "pipeline wall s", "CPU LES s", "speed-up"});
        for (PipelineRun r : runs) {
            if (r.cpuLesSeconds() == null || r.pipeline().equals("cpu")) {
                continue;
            }
            double s = r.cpuLesSeconds() / r.wallSeconds();
            series.computeIfAbsent(r.pipeline() + " / CPU LES " + r.precision(), k -> new ArrayList<>()).add(new double[] {r.n(), s});
            rows.add(new String[] {Integer.toString(r.n()), r.precision(), r.pipeline(), r.machine(), Numbers.g(r.wallSeconds()),
                    Numbers.g(r.cpuLesSeconds()), Numbers.times(s)});
            used.add(r);
        }
        if (series.isEmpty()) {
            out.skip(LES_SPEEDUP_TITLE, "no mixed or GPU pipeline row carries the CPU LES time of its N (eddy bench pipeline"
                    + " --cpu-les-seconds)");
            return;
        }
        LinePlot plot = speedUpPlot(LES_SPEEDUP_TITLE, "speed-up (CPU LES s / pipeline wall s)", "design target", series);
        out.add(new Figure("pipeline-speedup-cpu-les.png", LES_SPEEDUP_TITLE, "Wall seconds of the CPU LES for the pipeline's LES steps"
                + " (spin-up, window and horizon; timed per N on every core of the benchmark host, ms per step × steps) over the"
                + " pipeline's whole wall time, including set-up, learn, comparison and outputs; log–log. Grey diamonds: the design's"
                + " targets.", plot.image(), plot.points(), Measurement.sources(used), withTargets(notes, ""),
                new Section("speed-up", rows, null)));
    }

    /** Speed-up against N, one line per series ("pipeline / … precision"), with the design's targets as grey diamonds. */
    private static LinePlot speedUpPlot(String title, String yAxis, String targetLabel, Map<String, List<double[]>> series) {
        LinePlot plot = new LinePlot(title, "N (grid points per side)", yAxis, LinePlot.Axis.LOG2_N, LinePlot.Axis.LOG);
        for (var e : series.entrySet()) {
            double[] n = e.getValue().stream().mapToDouble(p -> p[0]).toArray();
            double[] s = e.getValue().stream().mapToDouble(p -> p[1]).toArray();
            String pipeline = e.getKey().substring(0, e.getKey().indexOf(' '));
            plot.data(e.getKey(), n, s, Style.measured(Style.qualitative(order(pipeline)), e.getKey().endsWith("fp64") ? "fp64" : "fp32"));
        }
        double[] targetN = java.util.Arrays.stream(DesignFigures.PIPELINE_TARGET_N).asDoubleStream().toArray();
        plot.reference(targetLabel, targetN, DesignFigures.PIPELINE_TARGET_SPEEDUP, Style.reference(Style.GREY, Style.NONE, SeriesMarkers.DIAMOND));
        return plot;
    }

    private static List<String> withTargets(List<String> notes, String more) {
        List<String> all = new ArrayList<>(notes);
        all.add("targets: design §7 (the pipeline end to end at least 20× faster than the CPU LES of the same N and steps at"
                + " N = 1024, 100× at 4096)" + more);
        return all;
    }

    private static Figure stages(List<PipelineRun> runs, List<String> notes) {
        boolean precisions = runs.stream().map(PipelineRun::precision).distinct().count() > 1;
        List<String> bars = new ArrayList<>();
        for (PipelineRun r : runs) {
            String label = r.pipeline() + " " + r.n() + (precisions ? " " + r.precision() : "");
            String unique = label;
            for (int i = 2; bars.contains(unique); i++) {
                unique = label + " (" + i + ")"; // the same case on a second machine
            }
            bars.add(unique);
        }
        Set<String> stageNames = new LinkedHashSet<>();
        runs.forEach(r -> stageNames.addAll(r.stageSeconds().keySet()));
        StackedBars plot = new StackedBars(STAGES_TITLE, "pipeline and N", "wall seconds", bars);
        int c = 0;
        for (String stage : stageNames) {
            plot.add(stage, runs.stream().mapToDouble(r -> r.stageSeconds().getOrDefault(stage, 0.0)).toArray(), c++);
        }
        List<String[]> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("run", "machine"));
        header.addAll(stageNames);
        header.addAll(List.of("wall s", "end-to-end s"));
        rows.add(header.toArray(String[]::new));
        for (int i = 0; i < runs.size(); i++) {
            PipelineRun r = runs.get(i);
            List<String> row = new ArrayList<>(List.of(bars.get(i), r.machine()));
            stageNames.forEach(s -> row.add(Numbers.g(r.stageSeconds().get(s))));
            row.add(Numbers.g(r.wallSeconds()));
            row.add(Numbers.g(r.endToEndSeconds()));
            rows.add(row.toArray(String[]::new));
        }
        return new Figure("pipeline-stages.png", STAGES_TITLE, "Wall seconds of each stage of one eddy pipeline run, stacked: a bar's"
                + " height is the run's wall time. cpu = CPU LES, codec and proxy; mixed = CPU LES and codec, GPU proxy; gpu = every"
                + " stage on the GPU. Each N runs the same case and steps: " + runs.getFirst().source().settings() + ".",
                plot.image(), plot.points(), Measurement.sources(runs), notes, new Section("seconds per stage", rows, null));
    }

    private static void speedUp(List<PipelineRun> runs, List<String> notes, FigureSet out) {
        Map<String, List<double[]>> series = new LinkedHashMap<>();
        List<PipelineRun> used = new ArrayList<>();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"N", "precision", "pipeline", "end-to-end s", "CPU pipeline s", "speed-up"});
        for (PipelineRun cpu : runs) {
            if (!cpu.pipeline().equals("cpu")) {
                continue;
            }
            for (PipelineRun r : runs) {
                if (r != cpu && sameCase(r, cpu)) {
                    double s = cpu.endToEndSeconds() / r.endToEndSeconds();
                    series.computeIfAbsent(r.pipeline() + " / cpu " + r.precision(), k -> new ArrayList<>()).add(new double[] {r.n(), s});
                    rows.add(new String[] {Integer.toString(r.n()), r.precision(), r.pipeline(), Numbers.g(r.endToEndSeconds()),
                            Numbers.g(cpu.endToEndSeconds()), Numbers.times(s)});
                    used.add(r);
                    if (!used.contains(cpu)) {
                        used.add(cpu);
                    }
                }
            }
        }
        if (series.isEmpty()) {
            out.skip(SPEEDUP_TITLE, "no N has both a CPU pipeline row and a mixed or GPU one of the same case");
            return;
        }
        LinePlot plot = speedUpPlot(SPEEDUP_TITLE, "speed-up (CPU pipeline s / pipeline s)", "design target, gpu / cpu", series);
        out.add(new Figure("pipeline-speedup.png", SPEEDUP_TITLE, "End-to-end seconds of the CPU pipeline over those of the mixed and"
                + " GPU pipelines on the same case and N (speed.pipeline_seconds: sim + encode + learn + rollout + decode, or the wall"
                + " time where a file lacks it), log–log. Grey diamonds: the design's targets.", plot.image(), plot.points(),
                Measurement.sources(used), withTargets(notes, "; N without a CPU row has no speed-up"), new Section("speed-up", rows, null)));
    }

    private static boolean sameCase(PipelineRun a, PipelineRun b) {
        return a.n() == b.n() && a.precision().equals(b.precision()) && a.stride() == b.stride() && a.k() == b.k()
                && a.caseKey().equals(b.caseKey());
    }

    static int order(String pipeline) {
        int i = ORDER.indexOf(pipeline);
        return i < 0 ? ORDER.size() : i;
    }
}
