package dev.eddy.report.bench;

import dev.eddy.report.Section;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The LES step against N — Eddy on the CPU and the GPU, LES and DNS, fp32 and fp64 — with the peers of
 * design §7 and the bandwidth floor as reference lines; and, where the files record the mean dt, ms per
 * unit of simulated time for each stepper (what decides which stepper is cheapest, design §2).
 */
final class LesFigures {
    static final String STEP_FILE = "les-ms-per-step.png";
    static final String STEP_TITLE = "LES step: ms per step against N";
    static final String TIME_TITLE = "LES: ms per unit of simulated time, per stepper";

    private static final Color CPU_LES = new Color(0x3b4cc0);
    private static final Color CPU_DNS = new Color(0x2a9d8f);
    private static final Color GPU_LES = new Color(0xb40426);
    private static final Color GPU_DNS = new Color(0xe8871e);
    private static final Color JAX = new Color(0x59a14f);
    private static final Color TORCH = new Color(0xb07aa1);

    private LesFigures() {
    }

    static void add(BenchData data, MemoryFloor floor, FigureSet out) {
        List<LesPoint> points = data.les().kept();
        if (points.isEmpty()) {
            out.skip(STEP_TITLE, "no LES step file (eddy bench, kind les-step) among the inputs");
            out.skip(TIME_TITLE, "no LES step file among the inputs");
            return;
        }
        out.add(msPerStep(points, data.les().notes(), floor));
        perUnitTime(points, data.les().notes(), out);
    }

    private static Figure msPerStep(List<LesPoint> points, List<String> superseded, MemoryFloor floor) {
        LinePlot plot = new LinePlot(STEP_TITLE, "N (grid points per side)", "ms per step", LinePlot.Axis.LOG2_N, LinePlot.Axis.LOG);
        Map<String, List<LesPoint>> series = series(points);
        TreeSet<Integer> allN = new TreeSet<>();
        points.forEach(p -> allN.add(p.n()));
        DesignFigures.LES.forEach(l -> java.util.Arrays.stream(l.n()).forEach(allN::add));
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[allN.size() + 1];
        header[0] = "ms per step at N =";
        int c = 1;
        for (int n : allN) {
            header[c++] = Integer.toString(n);
        }
        rows.add(header);
        for (var e : series.entrySet()) {
            List<LesPoint> s = e.getValue();
            LesPoint first = s.getFirst();
            plot.data(e.getKey(), xs(s), s.stream().mapToDouble(LesPoint::msPerStep).toArray(),
                    Style.measured(colour(first, points), first.precision()));
            rows.add(row(e.getKey(), allN, s.stream().collect(Collectors.toMap(LesPoint::n, LesPoint::msPerStep, (a, b) -> a))));
        }
        for (DesignFigures.PeerLine peer : DesignFigures.LES) {
            String name = peer.peer() + " " + peer.precision() + " (H200)";
            double[] ns = java.util.Arrays.stream(peer.n()).asDoubleStream().toArray();
            plot.reference(name, ns, peer.msPerStep(), Style.reference(peer.peer().equals("jax-cfd") ? JAX : TORCH,
                    peer.precision().equals("fp64") ? Style.DASH : Style.SOLID,
                    peer.peer().equals("jax-cfd") ? SeriesMarkers.SQUARE : SeriesMarkers.TRIANGLE_UP));
            Map<Integer, Double> byN = new LinkedHashMap<>();
            for (int i = 0; i < peer.n().length; i++) {
                byN.put(peer.n()[i], peer.msPerStep()[i]);
            }
            rows.add(row(name, allN, byN));
        }
        List<String> notes = new ArrayList<>(superseded);
        List<LesPoint> gpu = points.stream().filter(LesPoint::gpu).toList();
        Set<String> floors = new TreeSet<>();
        for (LesPoint p : gpu) {
            if (p.rhsEvaluations() != null) {
                floors.add(p.precision() + "|" + p.rhsEvaluations());
            }
        }
        for (String f : floors) {
            String precision = f.split("\\|")[0];
            int rhs = Integer.parseInt(f.split("\\|")[1]);
            String name = "bandwidth floor " + precision + (rhs == MemoryFloor.RK2_EVALUATIONS ? "" : ", " + rhs + " RHS evaluations");
            double[] ns = allN.stream().mapToDouble(Integer::doubleValue).toArray();
            double[] ms = allN.stream().mapToDouble(n -> floor.ms(n, precision, rhs)).toArray();
            plot.reference(name, ns, ms, Style.reference(precision.equals("fp64") ? Color.GRAY : Color.BLACK,
                    rhs == MemoryFloor.RK2_EVALUATIONS ? Style.DOT : Style.DASH_DOT, SeriesMarkers.NONE));
            Map<Integer, Double> byN = new LinkedHashMap<>();
            allN.forEach(n -> byN.put(n, floor.ms(n, precision, rhs)));
            rows.add(row(name, allN, byN));
        }
        if (gpu.isEmpty()) {
            notes.add("no GPU rows: the bandwidth floor, a bound for the device, is not drawn");
        }
        long unknownRhs = gpu.stream().filter(p -> p.rhsEvaluations() == null).count();
        if (unknownRhs > 0) {
            notes.add(unknownRhs + " GPU row(s) name a stepper whose right-hand-side evaluations are not known here: no floor drawn for them");
        }
        notes.addAll(stepperNotes(points));
        notes.add("peers: " + DesignFigures.SOURCE + "; Eddy's rows ran on the machines named above, so the peers are a reference only"
                + " where that machine is an H200");
        notes.add("floor: " + floor.describe() + (floor.equals(MemoryFloor.H200) ? " (design §7's numbers for the H200)"
                : " (set with --floor-bytes and --floor-bandwidth; design §7's H200 numbers are 460 and 4.26)"));
        String caption = "Wall-clock ms per LES step after warm-up (eddy bench: the mean over the timed batches), log–log. Thick lines:"
                + " Eddy; solid fp32, dashed fp64. Thin lines: the peers of design §7 (jax-cfd, PyTorch) on an NVIDIA H200. Dotted:"
                + " the bandwidth floor, " + floor.describe() + "; dash-dot where a stepper's evaluations differ from two. Machines: "
                + machines(points) + ".";
        return new Figure(STEP_FILE, STEP_TITLE, caption, plot.image(), plot.points(), Measurement.sources(points), notes,
                new Section("ms per step", rows, null));
    }

    private static void perUnitTime(List<LesPoint> points, List<String> superseded, FigureSet out) {
        List<LesPoint> timed = points.stream().filter(p -> p.msPerUnitTime() != null).toList();
        if (timed.isEmpty()) {
            out.skip(TIME_TITLE, "no LES step file records the mean dt (mean_dt): ms per step alone cannot compare steppers, whose"
                    + " steps cover different spans of simulated time");
            return;
        }
        LinePlot plot = new LinePlot(TIME_TITLE, "N (grid points per side)", "ms per unit of simulated time", LinePlot.Axis.LOG2_N,
                LinePlot.Axis.LOG);
        Map<String, List<LesPoint>> series = new LinkedHashMap<>();
        for (LesPoint p : timed) {
            String name = "Eddy " + p.family() + (p.stepper().equals("heun") ? " heun" : "") + " " + p.precision()
                    + (p.courant() != null ? ", C = " + Numbers.g(p.courant()) : "") + machineSuffix(p, points);
            series.computeIfAbsent(name, k -> new ArrayList<>()).add(p);
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"series", "N", "ms per step", "mean dt", "Courant number", "ms per unit time", "file"});
        int i = 0;
        for (var e : series.entrySet()) {
            List<LesPoint> s = e.getValue();
            plot.data(e.getKey(), xs(s), s.stream().mapToDouble(LesPoint::msPerUnitTime).toArray(),
                    Style.measured(Style.qualitative(i++), s.getFirst().precision()));
            for (LesPoint p : s) {
                rows.add(new String[] {e.getKey(), Integer.toString(p.n()), Numbers.g(p.msPerStep()), Numbers.g(p.meanDt()),
                        Numbers.g(p.courant()), Numbers.g(p.msPerUnitTime()), p.source().name()});
            }
        }
        List<String> notes = new ArrayList<>(superseded);
        int missing = points.size() - timed.size();
        if (missing > 0) {
            notes.add(missing + " LES row(s) without a mean dt are left out of this figure (files from before the LES bench recorded it)");
        }
        notes.addAll(stepperNotes(timed));
        out.add(new Figure("les-ms-per-unit-time.png", TIME_TITLE, "Wall-clock ms per unit of simulated time: ms per step / mean dt of"
                + " the timed steps, log–log; the fair comparison of steppers whose stable steps differ (design §2). Solid fp32,"
                + " dashed fp64.", plot.image(), plot.points(), Measurement.sources(timed), notes, new Section("ms per unit time", rows, null)));
    }

    /**
     * Series of one family, precision and machine: CPU before GPU, LES before DNS, then by stepper, machine
     * and precision, so a legend reads the same whatever order the files came in. The label names the
     * machine where it tells two series apart.
     */
    private static Map<String, List<LesPoint>> series(List<LesPoint> points) {
        Map<String, List<LesPoint>> out = new LinkedHashMap<>();
        List<LesPoint> sorted = points.stream().sorted(Comparator.comparing(LesPoint::gpu).thenComparing(p -> !p.sgs())
                .thenComparing(LesPoint::stepper).thenComparing(LesPoint::machine).thenComparing(LesPoint::precision)
                .thenComparingInt(LesPoint::n)).toList();
        for (LesPoint p : sorted) {
            out.computeIfAbsent("Eddy " + p.family() + " " + p.precision() + machineSuffix(p, points), k -> new ArrayList<>()).add(p);
        }
        return out;
    }

    private static String machineSuffix(LesPoint p, List<LesPoint> all) {
        return machinesOf(p.gpu(), all).size() > 1 ? " — " + p.machine() : "";
    }

    private static List<String> machinesOf(boolean gpu, List<LesPoint> all) {
        return all.stream().filter(q -> q.gpu() == gpu).map(LesPoint::machine).distinct().toList();
    }

    private static String machines(List<LesPoint> all) {
        List<String> parts = new ArrayList<>();
        if (!machinesOf(true, all).isEmpty()) {
            parts.add("GPU rows: " + String.join("; ", machinesOf(true, all)));
        }
        if (!machinesOf(false, all).isEmpty()) {
            parts.add("CPU rows: " + String.join("; ", machinesOf(false, all)));
        }
        return String.join(". ", parts);
    }

    /** The family's colour; a second or third machine of the same family gets a lighter shade of it. */
    private static Color colour(LesPoint p, List<LesPoint> all) {
        Color base = !p.stepper().equals("heun") ? Style.qualitative(p.stepper().hashCode())
                : p.gpu() ? (p.sgs() ? GPU_LES : GPU_DNS) : (p.sgs() ? CPU_LES : CPU_DNS);
        int shade = machinesOf(p.gpu(), all).indexOf(p.machine());
        double w = Math.min(0.6, 0.35 * shade);
        return new Color((int) (base.getRed() + (255 - base.getRed()) * w), (int) (base.getGreen() + (255 - base.getGreen()) * w),
                (int) (base.getBlue() + (255 - base.getBlue()) * w));
    }

    private static List<String> stepperNotes(List<LesPoint> points) {
        long unrecorded = points.stream().filter(p -> !p.stepperRecorded()).map(p -> p.source().file()).distinct().count();
        return unrecorded == 0 ? List.of() : List.of(unrecorded + " file(s) do not record the stepper: taken as Heun, the only stepper"
                + " eddy bench ran before it recorded one (CpuLesBench.caseFor)");
    }

    private static double[] xs(List<LesPoint> s) {
        return s.stream().mapToDouble(LesPoint::n).toArray();
    }

    private static String[] row(String name, TreeSet<Integer> allN, Map<Integer, Double> byN) {
        String[] r = new String[allN.size() + 1];
        r[0] = name;
        int c = 1;
        for (int n : allN) {
            r[c++] = Numbers.g(byN.get(n));
        }
        return r;
    }
}
