package dev.eddy.report.bench;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The proxy against the LES at one horizon step of a pipeline run: the decoded proxy (the prediction: with the faded residual),
 * and the baselines the verdict puts it next to (design §4) where the file has them — the codec floor (the
 * LES field's own code), persistence (the last training field held still) and the span floor (the best a
 * linear operator fitted on the window can do). Files from before persistence and the span floor were
 * recorded simply lack them: those fields are then null.
 */
public record HorizonPoint(int proxyStep, double relL2, Double relL2LatentOnly, Double correlation, Double energyDrift,
                           Double enstrophyDrift, Baseline codecFloor, Baseline persistence, Baseline spanFloor) {

    /** A baseline's relative L2 error and correlation against the LES (either may be missing). */
    public record Baseline(Double relL2, Double correlation) {
        static Baseline of(JsonNode node) {
            if (!node.isObject()) {
                return null;
            }
            Baseline b = new Baseline(Fields.number(node, "relL2", "rel_l2"), Fields.number(node, "correlation"));
            return b.relL2 == null && b.correlation == null ? null : b;
        }
    }

    /** Null when the entry has neither a proxy step nor a relative L2 error with the residual. */
    static HorizonPoint of(JsonNode h) {
        Integer step = Fields.integer(h, "proxy_step");
        // the prediction: the faded residual's decode (files from before it was learnt have the residual as it was)
        JsonNode r = h.has("faded_residual") ? h.path("faded_residual") : h.path("with_residual");
        Double relL2 = Fields.number(r, "relL2", "rel_l2");
        if (step == null || relL2 == null) {
            return null;
        }
        return new HorizonPoint(step, relL2, Fields.number(h.path("latent_only"), "relL2", "rel_l2"), Fields.number(r, "correlation"),
                Fields.number(r, "energyRelError", "energy_drift"), Fields.number(r, "enstrophyRelError", "enstrophy_drift"),
                Baseline.of(h.path("codec_floor")), Baseline.of(h.path("persistence")), Baseline.of(h.path("span_floor")));
    }
}
