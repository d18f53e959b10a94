package dev.eddy.report.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of an {@code eddy bench --fft} file: a batched 2D R2C + C2R round trip on one device.
 *
 * @param ms the GPU time per round trip (timestamps, median of the submits); the wall clock where the device had no timestamps
 * @param gpuTimed whether {@code ms} is GPU time
 */
public record FftPoint(BenchSource source, String device, String precision, int batch, int n, double ms, boolean gpuTimed,
                       Double bandwidthGbS) implements Measurement {

    @Override
    public String key() {
        return String.join("|", "fft", device, precision, Integer.toString(batch), Integer.toString(n));
    }

    @Override
    public String what() {
        return "FFT " + precision + " batch " + batch;
    }

    static List<FftPoint> read(BenchDoc doc, List<String> warnings) {
        List<FftPoint> out = new ArrayList<>();
        String device = doc.source().device() != null ? doc.source().device() : "device not named, host " + doc.source().host();
        int i = 0;
        for (JsonNode r : doc.rows()) {
            i++;
            Integer n = Fields.integer(r, "n");
            Double gpu = Fields.number(r, "gpu_median_ms");
            Double ms = gpu != null ? gpu : Fields.number(r, "wall_median_ms");
            if (n == null || ms == null) {
                warnings.add(doc.source().file() + ": result " + i + " has no n or round-trip time: left out");
                continue;
            }
            out.add(new FftPoint(doc.source(), device, r.path("precision").asText("fp32"), r.path("batch").asInt(1), n, ms, gpu != null,
                    Fields.number(r, "bandwidth_gb_s")));
        }
        return out;
    }
}
