package dev.eddy.pipeline;

import dev.eddy.codec.FieldErrors;
import dev.eddy.io.AtomicFiles;
import dev.eddy.pipeline.HorizonPoint.Variant;
import dev.eddy.pipeline.Pipeline.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ejml.data.Complex_F64;

/**
 * What a pipeline writes about its result: horizon.csv, the horizon, verdict and eigenvalue sections
 * of the metrics JSON, and the console's verdict and summary lines (docs/pipeline.md explains each).
 */
final class PipelineOutputs {
    /** The FieldErrors columns of each variant in horizon.csv, in order. */
    static final String[] ERROR_COLUMNS = {"rel_l2", "max_error", "psnr_db", "correlation", "energy_rel_error", "enstrophy_rel_error"};

    private PipelineOutputs() {
    }

    /** The metrics' entry of one compared proxy step. */
    static Map<String, Object> describe(HorizonPoint p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("proxy_step", p.step());
        m.put("les_step", p.lesStep());
        m.put("time", p.time());
        m.put("residual_fade", p.fade());
        m.put("latent_rel_error", p.latentRelError());
        m.put("persistence_latent_rel_error", p.persistenceLatentRelError());
        m.put("span_latent_rel_error", p.spanLatentRelError());
        for (Variant v : Variant.values()) {
            m.put(v.key(), p.errors(v));
        }
        return m;
    }

    /** The horizon table for pandas: one row per compared proxy step. */
    static void writeHorizonCsv(Path file, List<HorizonPoint> points) throws IOException {
        StringBuilder s = new StringBuilder("proxy_step,les_step,time,residual_fade,latent_rel_error,persistence_latent_rel_error,"
                + "span_latent_rel_error");
        for (Variant v : Variant.values()) {
            for (String f : ERROR_COLUMNS) {
                s.append(',').append(v.key()).append('_').append(f);
            }
        }
        s.append('\n');
        for (HorizonPoint p : points) {
            s.append(p.step()).append(',').append(p.lesStep()).append(',').append(num(p.time())).append(',').append(num(p.fade()))
                    .append(',').append(num(p.latentRelError())).append(',').append(num(p.persistenceLatentRelError())).append(',')
                    .append(num(p.spanLatentRelError()));
            for (Variant v : Variant.values()) {
                FieldErrors e = p.errors(v);
                s.append(',').append(num(e.relL2())).append(',').append(num(e.maxError())).append(',').append(num(e.psnrDb()))
                        .append(',').append(num(e.correlation())).append(',').append(num(e.energyRelError())).append(',')
                        .append(num(e.enstrophyRelError()));
            }
            s.append('\n');
        }
        AtomicFiles.writeString(file, s.toString());
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.9g", v);
    }

    /** metrics.json's verdict: the relative L2 error of every variant at the last compared step, and whether the proxy beats persistence. */
    static Map<String, Object> verdictMap(Result r) {
        HorizonPoint last = r.horizon().getLast();
        Map<String, Object> rel = new LinkedHashMap<>();
        for (Variant v : Variant.values()) {
            rel.put(v.key(), last.errors(v).relL2());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("proxy_step", last.step());
        m.put("les_step", last.lesStep());
        m.put("time", last.time());
        m.put("prediction", Variant.FADED_RESIDUAL.key());
        m.put("rel_l2", rel);
        m.put("beats_persistence", last.proxy().relL2() < last.errors(Variant.PERSISTENCE).relL2());
        m.put("spectral_radius", r.proxy().fit().get("spectral_radius"));
        return m;
    }

    /** The eigenvalues for the metrics: re and im lists (empty when the spectrum was too large to solve exactly). */
    static Map<String, Object> eigenvalues(List<Complex_F64> values) {
        List<Double> re = new ArrayList<>();
        List<Double> im = new ArrayList<>();
        for (Complex_F64 v : values) {
            re.add(v.real);
            im.add(v.imaginary);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("re", re);
        m.put("im", im);
        return m;
    }

    /**
     * The warnings a verdict must carry: an operator that grows (ρ(A) &gt; 1), and a prediction that loses to
     * persistence, or to predicting zero, at the last compared step. (The training data's health warns as
     * it is checked.)
     */
    static List<String> warnings(Result r) {
        List<String> out = new ArrayList<>();
        Map<String, Object> fit = r.proxy().fit();
        if (Boolean.TRUE.equals(fit.get("grows"))) {
            long outside = r.eigenvalues().stream().filter(v -> v.getMagnitude() > 1).count();
            Object listed = fit.get("eigenvalues_outside_unit_circle");
            if (r.eigenvalues().isEmpty() && listed instanceof Number k) {
                outside = k.longValue();
            }
            out.add(String.format(Locale.ROOT, "the learnt A grows: spectral radius %.4g > 1%s; the rollout amplifies those modes and"
                            + " diverges past the horizon (try a larger --lambda, a --rank, or a longer --window)",
                    ((Number) fit.get("spectral_radius")).doubleValue(),
                    outside > 0 ? ", " + outside + " eigenvalue(s) outside the unit circle" : ""));
        }
        HorizonPoint last = r.horizon().getLast();
        double proxy = last.proxy().relL2();
        double persistence = last.errors(Variant.PERSISTENCE).relL2();
        if (!(proxy < persistence)) {
            out.add(String.format(Locale.ROOT, "after %d proxy steps the prediction (rel L2 %.3g) is no better than persistence, the"
                    + " last training field held still (%.3g): the proxy has no skill at this horizon", last.step(), proxy, persistence));
        }
        if (!(proxy < 1)) {
            out.add(String.format(Locale.ROOT, "after %d proxy steps the prediction's rel L2 is %.3g ≥ 1: worse than predicting zero",
                    last.step(), proxy));
        }
        return out;
    }

    /**
     * The console's verdict line, at the last compared step: the prediction's relative L2 error next to
     * the other decodings and the baselines, and whether it beats persistence.
     */
    static String verdict(PipelineSettings settings, Result r) {
        HorizonPoint p = r.horizon().getLast();
        double proxy = p.proxy().relL2();
        double persistence = p.errors(Variant.PERSISTENCE).relL2();
        return String.format(Locale.ROOT, "verdict after %d proxy steps (%d LES steps, t = %.4g), rel L2 against the LES:"
                        + " proxy %.3g (faded residual, c = %.2f; latent only %.3g, stale residual %.3g) | persistence %.3g,"
                        + " span floor %.3g, codec floor %.3g | %s persistence",
                p.step(), (long) p.step() * settings.stride(), p.time(), proxy, p.fade(), p.errors(Variant.LATENT_ONLY).relL2(),
                p.errors(Variant.STALE_RESIDUAL).relL2(), persistence, p.errors(Variant.SPAN_FLOOR).relL2(),
                p.errors(Variant.CODEC_FLOOR).relL2(), proxy < persistence ? "beats" : "does NOT beat");
    }

    /** The console's last line: speeds, the prediction's error after the first and the last compared step, and where the output is. */
    static String summary(PipelineSettings settings, Result r, Path dir) {
        Map<String, Object> s = r.speed();
        HorizonPoint last = r.horizon().getLast();
        HorizonPoint first = r.horizon().getFirst();
        String errors = first == last ? String.format(Locale.ROOT, "%.3g after %d proxy step(s)", last.proxy().relL2(), last.step())
                : String.format(Locale.ROOT, "%.3g after %d proxy step(s), %.3g after %d", first.proxy().relL2(), first.step(),
                        last.proxy().relL2(), last.step());
        return String.format(Locale.ROOT, "done (%s pipeline): LES %.4g ms/step, proxy %.4g ms/step (= %d LES steps);"
                        + " proxy rel L2 %s (codec floor %.3g); output in %s",
                settings.backends().label(), (double) s.get("les_ms_per_step_horizon"), (double) s.get("proxy_ms_per_step_wall"),
                settings.stride(), errors, last.errors(Variant.CODEC_FLOOR).relL2(), dir);
    }
}
