package dev.eddy.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.sim.FlowDiagnostics.Budget;
import dev.eddy.sim.FlowDiagnostics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Diagnostics of the state after {@code step} steps. {@code dt} and {@code courant} are those of the step
 * that led to it (0 at step 0).
 */
public record DiagnosticSample(long step, double time, double dt, double courant, FlowDiagnostics flow) {

    public double energy() {
        return flow.energy();
    }

    public double enstrophy() {
        return flow.enstrophy();
    }

    public double maxSpeed() {
        return flow.maxSpeed();
    }

    /**
     * The series' real-valued columns (after {@code step}), in the one naming that snapshots.zarr
     * ({@code diagnostics/…}), the metrics JSON ({@code diagnostics.…}) and the report use.
     */
    static final Map<String, ToDoubleFunction<DiagnosticSample>> COLUMNS = columnsInOrder();

    private static Map<String, ToDoubleFunction<DiagnosticSample>> columnsInOrder() {
        Map<String, ToDoubleFunction<DiagnosticSample>> c = new LinkedHashMap<>();
        c.put("time", DiagnosticSample::time);
        c.put("dt", DiagnosticSample::dt);
        c.put("courant", DiagnosticSample::courant);
        c.put("energy", d -> d.flow.energy());
        c.put("enstrophy", d -> d.flow.enstrophy());
        c.put("palinstrophy", d -> d.flow.palinstrophy());
        c.put("max_speed", d -> d.flow.maxSpeed());
        c.put("max_u", d -> d.flow.maxU());
        c.put("max_v", d -> d.flow.maxV());
        c.put("band_fraction", d -> d.flow.bandFraction());
        c.put("cutoff_ratio", d -> d.flow.cutoffRatio());
        budget(c, "energy_", d -> d.flow.energyBudget());
        budget(c, "enstrophy_", d -> d.flow.enstrophyBudget());
        return java.util.Collections.unmodifiableMap(c);
    }

    private static void budget(Map<String, ToDoubleFunction<DiagnosticSample>> c, String prefix,
                               java.util.function.Function<DiagnosticSample, Budget> b) {
        c.put(prefix + "forcing", d -> b.apply(d).forcing());
        c.put(prefix + "viscous", d -> b.apply(d).viscous());
        c.put(prefix + "sgs", d -> b.apply(d).sgs());
        c.put(prefix + "drag", d -> b.apply(d).drag());
        c.put(prefix + "transfer", d -> b.apply(d).transfer());
    }

    /** The series as named columns (step: long[], the others double[]). */
    public static Map<String, Object> columns(List<DiagnosticSample> samples) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("step", samples.stream().mapToLong(DiagnosticSample::step).toArray());
        COLUMNS.forEach((name, f) -> c.put(name, samples.stream().mapToDouble(f).toArray()));
        return c;
    }

    /** The names of {@link #values()}, in order: step, then the columns of {@link #columns}. */
    public static java.util.List<String> valueNames() {
        List<String> names = new ArrayList<>();
        names.add("step");
        names.addAll(COLUMNS.keySet());
        return names;
    }

    /** This sample as float64 values in the order of {@link #valueNames()} (the step is exact below 2⁵³). */
    public double[] values() {
        double[] v = new double[1 + COLUMNS.size()];
        v[0] = step;
        int i = 1;
        for (ToDoubleFunction<DiagnosticSample> f : COLUMNS.values()) {
            v[i++] = f.applyAsDouble(this);
        }
        return v;
    }

    /** The sample of {@link #values()} stored at {@code from} in {@code v}. */
    public static DiagnosticSample ofValues(double[] v, int from) {
        Map<String, Double> c = new LinkedHashMap<>();
        int i = from + 1;
        for (String name : COLUMNS.keySet()) {
            c.put(name, v[i++]);
        }
        Budget eb = new Budget(c.get("energy_forcing"), c.get("energy_viscous"), c.get("energy_sgs"), c.get("energy_drag"),
                c.get("energy_transfer"));
        Budget zb = new Budget(c.get("enstrophy_forcing"), c.get("enstrophy_viscous"), c.get("enstrophy_sgs"), c.get("enstrophy_drag"),
                c.get("enstrophy_transfer"));
        FlowDiagnostics f = new FlowDiagnostics(c.get("energy"), c.get("enstrophy"), c.get("palinstrophy"), c.get("max_speed"),
                c.get("max_u"), c.get("max_v"), c.get("band_fraction"), c.get("cutoff_ratio"), eb, zb);
        return new DiagnosticSample((long) v[from], c.get("time"), c.get("dt"), c.get("courant"), f);
    }

    /** The samples back from the columns of {@link #columns} as JSON; a column an older run did not record reads as NaN. */
    public static List<DiagnosticSample> fromColumns(JsonNode s) {
        List<DiagnosticSample> out = new ArrayList<>();
        int count = s.path("step").size();
        for (int i = 0; i < count; i++) {
            int row = i;
            java.util.function.ToDoubleFunction<String> v = name -> {
                JsonNode x = s.path(name).path(row);
                return x.isNumber() ? x.asDouble() : Double.NaN;
            };
            Budget eb = new Budget(v.applyAsDouble("energy_forcing"), v.applyAsDouble("energy_viscous"),
                    v.applyAsDouble("energy_sgs"), v.applyAsDouble("energy_drag"), v.applyAsDouble("energy_transfer"));
            Budget zb = new Budget(v.applyAsDouble("enstrophy_forcing"), v.applyAsDouble("enstrophy_viscous"),
                    v.applyAsDouble("enstrophy_sgs"), v.applyAsDouble("enstrophy_drag"), v.applyAsDouble("enstrophy_transfer"));
            FlowDiagnostics f = new FlowDiagnostics(v.applyAsDouble("energy"), v.applyAsDouble("enstrophy"),
                    v.applyAsDouble("palinstrophy"), v.applyAsDouble("max_speed"), v.applyAsDouble("max_u"), v.applyAsDouble("max_v"),
                    v.applyAsDouble("band_fraction"), v.applyAsDouble("cutoff_ratio"), eb, zb);
            out.add(new DiagnosticSample(s.get("step").get(i).asLong(), v.applyAsDouble("time"), v.applyAsDouble("dt"),
                    v.applyAsDouble("courant"), f));
        }
        return out;
    }
}
