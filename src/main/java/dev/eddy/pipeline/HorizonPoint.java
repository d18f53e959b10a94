package dev.eddy.pipeline;

import dev.eddy.codec.FieldErrors;
import java.util.EnumMap;
import java.util.Map;

/**
 * The verdict at one compared step of the horizon, {@code step} proxy steps ({@code step·stride} LES
 * steps) past the training window: the proxy's decodings and the baselines it is judged against, each
 * as {@link FieldErrors} against the LES field, plus the latent-space errors.
 *
 * @param fade                  c_h, the residual's learnt coefficient at this lag ({@link ResidualFade})
 * @param latentRelError        ‖z_proxy − z_LES‖/‖z_LES‖
 * @param persistenceLatentRelError ‖z_last − z_LES‖/‖z_LES‖, z_last the last training latent
 * @param spanLatentRelError    ‖P z_LES − z_LES‖/‖z_LES‖, P the projection onto span(training latents)
 * @param fields                the errors of every {@link Variant}
 */
public record HorizonPoint(int step, long lesStep, double time, double fade, double latentRelError,
                           double persistenceLatentRelError, double spanLatentRelError, Map<Variant, FieldErrors> fields) {

    /** The decodings and baselines of the verdict, in the order horizon.csv, metrics.json and the report list them. */
    public enum Variant {
        /** The proxy's latent decoded with c_h times the last training residual: the pipeline's prediction. */
        FADED_RESIDUAL("faded_residual", "proxy + faded residual (c_h × last training residual)"),
        /** The proxy's latent decoded alone, L(Z). */
        LATENT_ONLY("latent_only", "proxy, latent only"),
        /** The proxy's latent decoded with the last training residual as it was (it goes stale). */
        STALE_RESIDUAL("stale_residual", "proxy + stale residual (last training residual)"),
        /** The last training field held still: the baseline any forecast must beat. */
        PERSISTENCE("persistence", "persistence (last training field held)"),
        /** The last training latent held still, decoded latent only. */
        PERSISTENCE_LATENT("persistence_latent", "persistence of the latent (latent only)"),
        /** The LES latent projected onto span(training latents), decoded latent only: the best any linear operator fitted on the window can do. */
        SPAN_FLOOR("span_floor", "span floor (best linear operator on the window, latent only)"),
        /** The LES field's own code decoded with its residual: no proxy decoded by this codec can do better. */
        CODEC_FLOOR("codec_floor", "codec floor (LES field encoded and decoded)"),
        /** The LES field's own latent decoded alone: the floor of latent-only decoding. */
        CODEC_FLOOR_LATENT_ONLY("codec_floor_latent_only", "codec floor, latent only");

        private final String key;
        private final String label;

        Variant(String key, String label) {
            this.key = key;
            this.label = label;
        }

        /** The name in horizon.csv's column prefixes and metrics.json's keys. */
        public String key() {
            return key;
        }

        public String label() {
            return label;
        }
    }

    public HorizonPoint {
        fields = new EnumMap<>(fields);
        if (fields.size() != Variant.values().length) {
            throw new IllegalArgumentException("a horizon point needs every variant, got " + fields.keySet());
        }
    }

    public FieldErrors errors(Variant v) {
        return fields.get(v);
    }

    /** The pipeline's prediction: the proxy with the faded residual. */
    public FieldErrors proxy() {
        return fields.get(Variant.FADED_RESIDUAL);
    }
}
