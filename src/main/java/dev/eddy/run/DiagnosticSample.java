package dev.eddy.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Diagnostics of the state after {@code step} steps. {@code dt} is the step that led to it (0 at step 0). */
public record DiagnosticSample(long step, double time, double dt, double energy, double enstrophy, double maxSpeed) {

    /**
     * The series as named columns (step: long[], the others double[]), in the one naming that both
     * snapshots.h5 ({@code diagnostics/…}) and the metrics JSON ({@code diagnostics.…}) use.
     */
    public static Map<String, Object> columns(List<DiagnosticSample> samples) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("step", samples.stream().mapToLong(DiagnosticSample::step).toArray());
        c.put("time", samples.stream().mapToDouble(DiagnosticSample::time).toArray());
        c.put("dt", samples.stream().mapToDouble(DiagnosticSample::dt).toArray());
        c.put("energy", samples.stream().mapToDouble(DiagnosticSample::energy).toArray());
        c.put("enstrophy", samples.stream().mapToDouble(DiagnosticSample::enstrophy).toArray());
        c.put("max_speed", samples.stream().mapToDouble(DiagnosticSample::maxSpeed).toArray());
        return c;
    }
}
