package dev.eddy.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.io.Json;
import dev.eddy.store.RunFiles;
import dev.eddy.viz.Colormap;
import dev.eddy.viz.Comparison;
import dev.eddy.viz.FieldImage;
import dev.eddy.viz.Images;
import dev.eddy.viz.Plots;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The pictures and report of an {@code eddy pipeline} run: error against horizon (latent-only, with the
 * residual, and the codec floor), correlation and energy/enstrophy drift against horizon, LES | proxy |
 * error panels at a few horizon steps, and report.html/report.md with the speed table, the horizon
 * table, the fit of A, stage timings and the transfer ledger (built from the metrics tree, so the
 * report shows exactly what metrics.json says).
 */
public final class PipelineReport {
    /** Comparison panels kept per run (evenly spread over the compared steps, first and last included). */
    public static final int MAX_COMPARISONS = 6;
    /** The horizon entries drawn on the error plot (metrics key, legend), the prediction first. */
    private static final String[][] PLOTTED = {
        {"faded_residual", "proxy + faded residual (the prediction)"},
        {"latent_only", "proxy, latent only"},
        {"stale_residual", "proxy + stale residual"},
        {"persistence", "persistence"},
        {"span_floor", "span floor"},
        {"codec_floor", "codec floor"},
    };

    private PipelineReport() {
    }

    /**
     * One horizon step's LES and decoded proxy fields, subsampled to at most {@link FieldImage#MAX_SIDE}
     * per side (what the picture shows anyway), so keeping a few of them costs little memory at N = 4096.
     */
    public record Frame(int proxyStep, long lesStep, double time, int side, double[] les, double[] proxy) {
        public static Frame of(int n, int proxyStep, long lesStep, double time, double[] les, double[] proxy) {
            int every = Math.max(1, n / FieldImage.MAX_SIDE);
            int side = n / every;
            return new Frame(proxyStep, lesStep, time, side, subsample(les, n, every), subsample(proxy, n, every));
        }

        private static double[] subsample(double[] f, int n, int every) {
            if (every == 1) {
                return f.clone();
            }
            int side = n / every;
            double[] out = new double[side * side];
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    out[y * side + x] = f[(y * every) * n + x * every];
                }
            }
            return out;
        }
    }

    /** The horizon steps (1-based proxy steps) whose panels are kept: among the compared ones, evenly spread. */
    public static Set<Integer> picturedSteps(int horizon, int compareEvery) {
        List<Integer> compared = new ArrayList<>();
        for (int h = 1; h <= horizon; h++) {
            if (h % compareEvery == 0 || h == horizon) {
                compared.add(h);
            }
        }
        Set<Integer> out = new TreeSet<>();
        int k = Math.min(MAX_COMPARISONS, compared.size());
        for (int i = 0; i < k; i++) {
            out.add(compared.get(k == 1 ? compared.size() - 1 : (int) Math.round(i * (compared.size() - 1) / (double) (k - 1))));
        }
        return out;
    }

    public static void write(Path dir, Object settings, JsonNode metrics, List<Frame> frames, Consumer<String> log)
            throws IOException {
        dev.eddy.viz.Headless.ensure();
        Path pics = dir.resolve(RunFiles.PICTURES);
        Files.createDirectories(pics);
        List<RunPictures.Picture> pictures = new ArrayList<>();
        JsonNode h = metrics.path("horizon");
        int count = h.size();
        if (count > 0) {
            double[] t = new double[count];
            double[][] rel = new double[PLOTTED.length][count];
            double[][] corr = new double[3][count];
            double[][] drift = new double[2][count];
            String[] labels = new String[PLOTTED.length];
            for (int k = 0; k < PLOTTED.length; k++) {
                labels[k] = PLOTTED[k][1];
            }
            for (int i = 0; i < count; i++) {
                JsonNode p = h.get(i);
                t[i] = p.path("proxy_step").asDouble();
                for (int k = 0; k < PLOTTED.length; k++) {
                    rel[k][i] = p.path(PLOTTED[k][0]).path("relL2").asDouble();
                }
                corr[0][i] = p.path("faded_residual").path("correlation").asDouble();
                corr[1][i] = p.path("latent_only").path("correlation").asDouble();
                corr[2][i] = p.path("persistence").path("correlation").asDouble();
                drift[0][i] = p.path("faded_residual").path("energyRelError").asDouble();
                drift[1][i] = p.path("faded_residual").path("enstrophyRelError").asDouble();
            }
            String axis = "proxy steps (× " + metrics.path("settings").path("stride").asInt() + " LES steps)";
            pictures.add(save(pics, "error_vs_horizon.png", Plots.errorVsHorizon(t, labels, rel, "relative L2 error", axis),
                    "Relative L2 error against the LES over the horizon: the proxy's decodings and the baselines", "plot"));
            pictures.add(save(pics, "correlation_vs_horizon.png", Plots.errorVsHorizon(t, new String[] {labels[0], labels[1],
                    "persistence"}, corr, "correlation", axis), "Correlation with the LES over the horizon", "plot"));
            pictures.add(save(pics, "drift_vs_horizon.png", Plots.errorVsHorizon(t, new String[] {"energy", "enstrophy"}, drift,
                    "relative drift", axis), "Energy and enstrophy of the prediction relative to the LES", "plot"));
        }
        JsonNode eig = metrics.path("proxy").path("eigenvalues");
        if (eig.path("re").size() > 0) {
            pictures.add(save(pics, "eigenvalues.png", Plots.eigenvalues(doubles(eig.path("re")), doubles(eig.path("im")),
                    "Eigenvalues of A"), "A's nonzero eigenvalues and the unit circle: modes outside it grow", "plot"));
        }
        JsonNode validation = metrics.path("proxy").path("fit").path("validation");
        if (validation.size() > 0) {
            List<double[]> pts = new ArrayList<>();
            for (JsonNode row : validation) {
                if (row.path("relative_error").isNumber()) {
                    pts.add(new double[] {row.path("lambda_relative").asDouble(), row.path("relative_error").asDouble()});
                }
            }
            if (!pts.isEmpty()) {
                pictures.add(save(pics, "error_vs_lambda.png", Plots.errorVsLambda(pts.stream().mapToDouble(p -> p[0]).toArray(),
                        pts.stream().mapToDouble(p -> p[1]).toArray(), metrics.path("proxy").path("fit").path("lambda_relative")
                                .asDouble(Double.NaN)), "Error on the held-out pairs against the ridge parameter λ (the chosen one marked)",
                        "plot"));
            }
        }
        JsonNode lags = metrics.path("residual_fade").path("lags");
        if (lags.size() > 1) {
            double[] lag = new double[lags.size()];
            double[][] c = new double[1][lags.size()];
            for (int i = 0; i < lags.size(); i++) {
                lag[i] = lags.get(i).path("lag").asDouble();
                c[0][i] = lags.get(i).path("coefficient").asDouble();
            }
            pictures.add(save(pics, "residual_fade.png", Plots.errorVsHorizon(lag, new String[] {"c_h"}, c, "residual coefficient c_h",
                    "lag h (proxy steps)"), "How the residual goes stale: the coefficient learnt for each lag on the training window",
                    "plot"));
        }
        for (Frame f : frames) {
            BufferedImage img = Comparison.render(f.les(), f.proxy(), f.side(), String.format(Locale.ROOT,
                    "after %d proxy step(s): LES step %d, t = %.4g", f.proxyStep(), f.lesStep(), f.time()), Colormap.coolWarm());
            pictures.add(save(pics, String.format(Locale.ROOT, "compare_%04d.png", f.proxyStep()), img,
                    "LES | proxy | error after " + f.proxyStep() + " proxy step(s)", "comparison"));
        }
        ReportWriter.writePage(dir, title(dir, metrics), sections(metrics, settings), pictures, null);
        log.accept("report: " + dir.resolve(RunFiles.REPORT_HTML));
    }

    private static RunPictures.Picture save(Path pics, String name, BufferedImage img, String caption, String kind)
            throws IOException {
        Images.writePng(pics.resolve(name), img);
        return new RunPictures.Picture(RunFiles.PICTURES + "/" + name, caption, kind);
    }

    private static String title(Path dir, JsonNode m) {
        JsonNode les = m.path("settings").path("les");
        return "Eddy pipeline " + dir.toAbsolutePath().normalize().getFileName() + " — N = " + les.path("n").asText() + ", "
                + les.path("precision").asText() + ", " + m.path("backends").path("label").asText("?") + " ("
                + m.path("backends").path("sim").asText() + " LES, " + m.path("backends").path("codec").asText() + " codec, "
                + m.path("backends").path("proxy").asText() + " proxy)";
    }

    private static List<Section> sections(JsonNode m, Object settings) {
        List<Section> out = new ArrayList<>();
        out.add(verdict(m));
        List<String[]> speed = new ArrayList<>();
        speed.add(new String[] {"quantity", "value"});
        speed.add(new String[] {"status", m.path("status").asText("?")});
        speed.add(new String[] {"device", m.path("device").asText("?")});
        speed.add(new String[] {"latent dimension d", m.path("latent_dimension").asText()});
        speed.add(new String[] {"frozen dt", ReportWriter.num(m.path("frozen_dt").asDouble())});
        m.path("speed").fields().forEachRemaining(e -> speed.add(new String[] {e.getKey(),
                e.getValue().isNumber() ? ReportWriter.num(e.getValue().asDouble()) : e.getValue().asText()}));
        out.add(new Section("Pipeline and speed", speed, "one proxy step stands for the stride's LES steps;"
                + " sim_truth is the LES over the horizon, the work the proxy replaces"));

        List<String[]> horizon = new ArrayList<>();
        horizon.add(new String[] {"proxy step", "LES step", "c_h", "latent rel. error", "prediction", "latent only", "stale residual",
                "persistence", "span floor", "codec floor", "correlation", "energy drift", "enstrophy drift"});
        for (JsonNode p : m.path("horizon")) {
            JsonNode r = p.path("faded_residual");
            horizon.add(new String[] {p.path("proxy_step").asText(), p.path("les_step").asText(),
                    ReportWriter.num(p.path("residual_fade").asDouble()), ReportWriter.num(p.path("latent_rel_error").asDouble()),
                    rel(r), rel(p.path("latent_only")), rel(p.path("stale_residual")), rel(p.path("persistence")),
                    rel(p.path("span_floor")), rel(p.path("codec_floor")), ReportWriter.num(r.path("correlation").asDouble()),
                    ReportWriter.num(r.path("energyRelError").asDouble()), ReportWriter.num(r.path("enstrophyRelError").asDouble())});
        }
        out.add(new Section("Proxy against the LES over the horizon", horizon, "relative L2 errors against the LES field; the"
                + " prediction is the proxy's latent decoded with c_h times the last training residual; every column is in horizon.csv"
                + " (docs/pipeline.md)"));
        out.add(trainingHealth(m.path("training_health")));

        List<String[]> fit = new ArrayList<>();
        fit.add(new String[] {"item", "value"});
        JsonNode proxy = m.path("proxy");
        fit.add(new String[] {"lambda", ReportWriter.num(proxy.path("lambda").asDouble())});
        fit.add(new String[] {"rank", proxy.path("rank").asText()});
        proxy.path("fit").fields().forEachRemaining(e -> {
            if (!e.getValue().isArray() && !e.getValue().isObject()) {
                fit.add(new String[] {e.getKey(), e.getValue().isNumber() ? ReportWriter.num(e.getValue().asDouble()) : e.getValue().asText()});
            }
        });
        ReportWriter.flatten("timings_seconds.", proxy.path("fit").path("timings_seconds"), fit);
        out.add(new Section("The learnt operator A", fit, "the eigenvalues and the validation error against λ are plotted above"));

        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"setting", "value"});
        ReportWriter.flatten("", Json.MAPPER.valueToTree(settings), rows);
        out.add(new Section("Settings", rows, "the same settings are in pipeline.json"));
        out.add(ReportWriter.stageTimings(m));
        out.add(ReportWriter.transfers(m, "no transfers: every stage ran on the CPU"));
        List<String[]> warnings = new ArrayList<>();
        for (JsonNode w : m.path("warnings")) {
            if (warnings.isEmpty()) {
                warnings.add(new String[] {"warning"});
            }
            warnings.add(new String[] {w.asText()});
        }
        out.add(new Section("Warnings", warnings, warnings.isEmpty() ? "none" : null));
        out.add(ReportWriter.software(m));
        return out;
    }

    private static String rel(JsonNode errors) {
        return ReportWriter.num(errors.path("relL2").asDouble(Double.NaN));
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    /** The verdict at the last compared step: the prediction against every baseline, and the warnings' gist. */
    private static Section verdict(JsonNode m) {
        JsonNode v = m.path("verdict");
        List<String[]> rows = new ArrayList<>();
        if (v.isMissingNode()) {
            return new Section("Verdict", rows, "not recorded (the pipeline did not finish)");
        }
        rows.add(new String[] {"decoding or baseline", "relative L2 error after " + v.path("proxy_step").asText() + " proxy steps"});
        v.path("rel_l2").fields().forEachRemaining(e -> rows.add(new String[] {e.getKey(), ReportWriter.num(e.getValue().asDouble())}));
        boolean beats = v.path("beats_persistence").asBoolean(false);
        int warnings = m.path("warnings").size();
        return new Section("Verdict", rows, (beats ? "the prediction beats persistence" : "the prediction does NOT beat persistence")
                + " at the last compared step; spectral radius of A " + v.path("spectral_radius").asText() + "; "
                + (warnings == 0 ? "no warnings" : warnings + " warning(s), listed below"));
    }

    /** The health check of the training snapshots: a proxy learnt from grid-scale noise learns the noise. */
    private static Section trainingHealth(JsonNode h) {
        List<String[]> rows = new ArrayList<>();
        if (h.isMissingNode()) {
            return new Section("Health of the training data", rows, "not recorded");
        }
        rows.add(new String[] {"figure", "largest over the training snapshots", "bound"});
        rows.add(new String[] {"share of the kept enstrophy in the outer band", ReportWriter.num(h.path("max_band_fraction").asDouble()),
                ReportWriter.num(h.path("bounds").path("maxBandFraction").asDouble())});
        rows.add(new String[] {"E(k_c)/E(k_c/2)", ReportWriter.num(h.path("max_cutoff_ratio").asDouble()),
                ReportWriter.num(h.path("bounds").path("maxCutoffRatio").asDouble())});
        String verdict = h.path("healthy").asBoolean(false)
                ? "healthy: every training snapshot within the bounds (" + h.path("samples").asText() + " snapshots)"
                : "UNHEALTHY training data: " + h.path("message").asText() + ". The proxy partly learnt grid-scale noise.";
        return new Section("Health of the training data", rows, verdict);
    }
}
