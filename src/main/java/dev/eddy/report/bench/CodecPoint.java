package dev.eddy.report.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The codec at one setting: compression ratio, relative L2 error of the decode (latent only, and latent +
 * ternary residual), and its times where recorded. From an {@code eddy bench codec} row (one field,
 * GPU times, CPU times up to its --cpu-max-n) or from an {@code eddy encode} report (a run's snapshots:
 * the errors are the median over the snapshots, the CPU times their mean).
 *
 * @param gpuEncodeMs GPU time of one encode (null where not timed on a GPU); likewise the decode
 * @param cpuEncodeMs wall time of one CPU encode (null where the CPU codec was not timed); likewise the decode
 */
public record CodecPoint(BenchSource source, String machine, int n, String precision, int k, int tile, double theta, String options,
                         double ratio, Double relL2Latent, Double relL2Residual, Double gpuEncodeMs, Double gpuDecodeMs, Double cpuEncodeMs,
                         Double cpuDecodeMs) implements Measurement {

    @Override
    public String key() {
        return String.join("|", "codec", source.kind().json, machine, Integer.toString(n), precision, Integer.toString(k),
                Integer.toString(tile), Double.toString(theta), options);
    }

    @Override
    public String what() {
        return "codec " + setting() + " " + precision;
    }

    /** "K 32, T 16, θ 0.7". */
    public String setting() {
        return String.format(Locale.ROOT, "K %d, T %d, θ %s%s", k, tile, trim(theta), options.isEmpty() ? "" : ", " + options);
    }

    private static String trim(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    static List<CodecPoint> read(BenchDoc doc, List<String> warnings) {
        List<CodecPoint> out = new ArrayList<>();
        boolean encodeReport = doc.source().kind() == BenchKind.ENCODE_REPORT;
        int i = 0;
        for (JsonNode r : doc.rows()) {
            i++;
            JsonNode s = r.path("settings");
            Integer n = Fields.integer(r, "n");
            if (n == null) {
                n = Fields.integer(s, "n");
            }
            Double ratio = Fields.number(r, "compression_ratio", "overall_compression_ratio");
            Integer k = Fields.integer(s, "k");
            if (n == null || ratio == null || k == null) {
                warnings.add(doc.source().file() + ": entry " + i + " has no n, settings.k or compression ratio: left out");
                continue;
            }
            String options = (s.path("majority").asBoolean(false) ? "majority" : "")
                    + (s.path("sigma").asDouble(0) > 0 ? " σ " + s.path("sigma").asDouble() : "");
            String precision = Fields.text(r, "precision") != null ? Fields.text(r, "precision") : s.path("precision").asText("fp32");
            out.add(encodeReport ? fromEncodeReport(doc, r, n, precision, k, s, options.strip(), ratio)
                    : fromBench(doc, r, n, precision, k, s, options.strip(), ratio));
        }
        return out;
    }

    private static CodecPoint fromBench(BenchDoc doc, JsonNode r, int n, String precision, int k, JsonNode s, String options,
                                        double ratio) {
        JsonNode g = r.path("gpu");
        JsonNode c = r.path("cpu");
        JsonNode errors = g.isObject() ? g : c;
        String machine = doc.source().device() != null ? doc.source().device() : doc.source().host();
        return new CodecPoint(doc.source(), machine, n, precision, k, s.path("tile").asInt(0), s.path("theta").asDouble(Double.NaN),
                options, ratio, Fields.number(errors.path("errors_latent_only"), "relL2"),
                Fields.number(errors.path("errors_latent_residual"), "relL2"), Fields.number(g.path("encode_spectral"), "gpu_median_ms"),
                Fields.number(g.path("decode_residual"), "gpu_median_ms"), Fields.number(c.path("encode"), "wall_median_ms"),
                Fields.number(c.path("decode_residual"), "wall_median_ms"));
    }

    private static CodecPoint fromEncodeReport(BenchDoc doc, JsonNode r, int n, String precision, int k, JsonNode s, String options,
                                               double ratio) {
        JsonNode snaps = r.path("snapshots");
        return new CodecPoint(doc.source(), doc.source().machine(), n, precision, k, s.path("tile").asInt(0),
                s.path("theta").asDouble(Double.NaN), options, ratio, median(snaps, "latent_only", "relL2"),
                median(snaps, "latent_residual", "relL2"), null, null, mean(snaps, "encode_ms"), mean(snaps, "decode_residual_ms"));
    }

    /** The median of {@code snapshots[*].group.key}: the first snapshot of a run is often the smooth initial field. */
    private static Double median(JsonNode snapshots, String group, String key) {
        double[] v = values(snapshots, s -> Fields.number(s.path(group), key));
        if (v.length == 0) {
            return null;
        }
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
    }

    private static Double mean(JsonNode snapshots, String key) {
        double[] v = values(snapshots, s -> Fields.number(s, key));
        return v.length == 0 ? null : Arrays.stream(v).average().orElseThrow();
    }

    private static double[] values(JsonNode snapshots, java.util.function.Function<JsonNode, Double> f) {
        List<Double> out = new ArrayList<>();
        for (JsonNode s : snapshots) {
            Double v = f.apply(s);
            if (v != null) {
                out.add(v);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
