package dev.eddy.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the residual code goes stale: c_h, the least-squares coefficient of the residual h snapshots
 * later on the residual now, c_h = Σ_t ⟨ρ_t, ρ_{t+h}⟩ / Σ_t ⟨ρ_t, ρ_t⟩ over the t of the training window
 * that have a partner h later (ρ = α·t, the decoded residual; the products come from the codec,
 * {@code SnapshotCodec#residualLags}). It minimises Σ_t ‖ρ_{t+h} − c·ρ_t‖², so decoding the proxy's
 * latent h steps past the window with c_h times the last training residual is the best a scaled copy of
 * that residual can do on the window; c_0 = 1. A lag with fewer than {@link #MIN_PAIRS} pairs in the
 * window cannot be estimated and gets c_h = 0 (latent only), as does a lag whose sums vanish.
 *
 * @param coefficients c_h for h = 0 … maxLag
 * @param pairs        the pairs (t, t + h) each c_h was estimated from
 */
public record ResidualFade(double[] coefficients, int[] pairs) {
    /** Fewest pairs a lag's coefficient is estimated from. */
    public static final int MIN_PAIRS = 3;

    /**
     * The coefficients for lags 0 … {@code maxLag} from the lagged products {@code band} of {@code count}
     * consecutive snapshots' residuals: band[t·(maxLag + 1) + h] = ⟨ρ_t, ρ_{t+h}⟩.
     */
    public static ResidualFade fromLags(double[] band, int count, int maxLag) {
        int lags = maxLag + 1;
        if (band.length != (long) count * lags) {
            throw new IllegalArgumentException("lagged residual products of " + band.length + " values for " + count + " snapshots and "
                    + lags + " lags");
        }
        double[] c = new double[maxLag + 1];
        int[] pairs = new int[maxLag + 1];
        for (int h = 0; h <= maxLag; h++) {
            int p = Math.max(0, count - h);
            pairs[h] = p;
            if (h == 0) {
                c[h] = 1;
                continue;
            }
            if (p < MIN_PAIRS) {
                continue;
            }
            double num = 0;
            double den = 0;
            for (int t = 0; t + h < count; t++) {
                num += band[t * lags + h];
                den += band[t * lags];
            }
            c[h] = den > 0 ? num / den : 0;
        }
        return new ResidualFade(c, pairs);
    }

    /** c_h (0 past the largest lag). */
    public double at(int h) {
        return h < coefficients.length ? coefficients[h] : 0;
    }

    /** The metrics' entry: lag, coefficient and pairs for every lag. */
    public Map<String, Object> describe() {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int h = 0; h < coefficients.length; h++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("lag", h);
            r.put("coefficient", coefficients[h]);
            r.put("pairs", pairs[h]);
            rows.add(r);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", "least-squares coefficient of the residual h snapshots later on the residual now, over the training window");
        m.put("min_pairs", MIN_PAIRS);
        m.put("lags", rows);
        return m;
    }
}
