package dev.eddy.report.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.numerics.ButcherTableau;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One row of an {@code eddy bench} LES file: ms per step at one N and precision on one backend.
 *
 * @param gpu       run on a Vulkan device (backend "vulkan-…"), else on the CPU
 * @param sgs       with the Smagorinsky term; false for a DNS step (C_s = 0)
 * @param machine   the device the row or file names; for a GPU row of a file that names none, "GPU on" its host
 * @param msPerStep the mean over the timed batches (the number {@code eddy bench} prints), else the median
 * @param stepper   the time stepper; files before the LES bench recorded it all ran Heun ({@code CpuLesBench.caseFor})
 * @param courant   the Courant number of a CFL-adaptive run, null where not recorded
 * @param meanDt    the mean dt over the timed steps, null where not recorded: then ms per unit time is unknown
 * @param rhsEvaluations right-hand-side evaluations per step (the stepper's stages), null where neither recorded nor known
 */
public record LesPoint(BenchSource source, boolean gpu, boolean sgs, String precision, String machine, int n, double msPerStep,
                       String stepper, boolean stepperRecorded, Double courant, Double meanDt, Integer rhsEvaluations)
        implements Measurement {

    @Override
    public String key() {
        return String.join("|", "les", gpu ? "gpu" : "cpu", sgs ? "les" : "dns", stepper, machine, Integer.toString(n), precision);
    }

    @Override
    public String what() {
        return family() + " " + precision;
    }

    /** "GPU LES", "CPU DNS", with the stepper where it is not Heun. */
    public String family() {
        return (gpu ? "GPU " : "CPU ") + (sgs ? "LES" : "DNS") + (stepper.equals("heun") ? "" : " " + stepper);
    }

    /** ms per unit of simulated time, or null when the file has no mean dt. */
    public Double msPerUnitTime() {
        return meanDt != null && meanDt > 0 ? msPerStep / meanDt : null;
    }

    static List<LesPoint> read(BenchDoc doc, List<String> warnings) {
        List<LesPoint> out = new ArrayList<>();
        int i = 0;
        for (JsonNode r : doc.rows()) {
            i++;
            Integer n = Fields.integer(r, "n");
            Double ms = Fields.number(r, "mean_ms", "median_ms");
            String precision = Fields.text(r, "precision");
            if (n == null || ms == null || precision == null) {
                warnings.add(doc.source().file() + ": result " + i + " has no n, precision or mean_ms: left out");
                continue;
            }
            String backend = Fields.text(r, "backend");
            boolean gpu = backend != null && !backend.startsWith("cpu");
            String device = Fields.text(r.path("device"), "name");
            if (device == null) {
                device = Fields.text(r, "device");
            }
            if (device == null) {
                device = doc.source().device();
            }
            String machine = !gpu ? doc.source().host() : device != null ? device : "GPU on " + doc.source().host();
            String stepper = Fields.text(r, "stepper");
            boolean recorded = stepper != null;
            stepper = recorded ? stepper.toLowerCase(Locale.ROOT) : "heun";
            Integer rhs = Fields.integer(r, "rhs_evaluations", "rhs_evals");
            if (rhs == null) {
                rhs = stagesOf(stepper);
            }
            out.add(new LesPoint(doc.source(), gpu, !r.path("sgs").isBoolean() || r.path("sgs").asBoolean(), precision, machine, n, ms,
                    stepper, recorded, Fields.number(r, "courant", "cfl"), Fields.number(r, "mean_dt", "dt_mean"), rhs));
        }
        return out;
    }

    private static Integer stagesOf(String stepper) {
        try {
            return ButcherTableau.named(stepper).stages();
        } catch (IllegalArgumentException unknown) {
            return null; // a stepper this version does not know: its floor is not drawn, and the figure says so
        }
    }
}
