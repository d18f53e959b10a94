package dev.eddy.report.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One row of an {@code eddy bench pipeline} file: one whole pipeline run (cpu, mixed or gpu) at one N,
 * precision, stride and K; its wall time per stage, speed figures and the proxy's accuracy over the horizon.
 *
 * @param group          "table" (the CPU/mixed/GPU comparison) or the sweep it belongs to: "stride", "k", "precision"
 * @param pipeline       cpu, mixed or gpu
 * @param endToEndSeconds sim + encode + learn + rollout + decode ({@code speed.pipeline_seconds}), else the wall time
 * @param caseKey        the settings every row of the file shares (preset, spin-up, window, horizon, tile, θ), for the key
 */
public record PipelineRun(BenchSource source, String group, String pipeline, String machine, int n, String precision, int stride,
                          int k, Integer latentDimension, double wallSeconds, double endToEndSeconds, Map<String, Double> stageSeconds,
                          Double lesMsPerStep, Double proxyMsPerStep, List<HorizonPoint> horizon, String caseKey,
                          Double cpuLesSeconds) implements Measurement {

    @Override
    public String key() {
        return String.join("|", "pipeline", pipeline, machine, Integer.toString(n), precision, Integer.toString(stride),
                Integer.toString(k), caseKey);
    }

    @Override
    public String what() {
        return pipeline + " pipeline " + precision + " stride " + stride + " K " + k;
    }

    public HorizonPoint last() {
        return horizon.isEmpty() ? null : horizon.getLast();
    }

    static List<PipelineRun> read(BenchDoc doc, List<String> warnings) {
        JsonNode base = doc.root().path("base_case");
        String caseKey = String.join("/", base.path("preset").asText(""), base.path("spinup").asText(""), base.path("window").asText(""),
                base.path("horizon").asText(""), base.path("tile").asText(""),
                base.path("theta").asText(""), base.path("compareEvery").asText(""));
        List<PipelineRun> out = new ArrayList<>();
        int i = 0;
        for (JsonNode r : doc.rows()) {
            i++;
            if ("cpu_les".equals(r.path("group").asText())) {
                continue; // the CPU LES timing of an N: its estimate is already each pipeline row's cpu_les_wall_seconds
            }
            Integer n = Fields.integer(r, "n");
            Double wall = Fields.number(r, "wall_seconds");
            String pipeline = Fields.text(r, "pipeline");
            if (r.has("error") || n == null || wall == null || pipeline == null) {
                warnings.add(doc.source().file() + ": result " + i + (r.has("error") ? " failed (" + r.path("error").asText() + ")"
                        : " has no n, pipeline or wall_seconds") + ": left out");
                continue;
            }
            String device = Fields.text(r, "device");
            String machine = device == null || device.equals("cpu") ? doc.source().host() : device;
            Map<String, Double> stages = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = r.path("stage_seconds").fields(); it.hasNext(); ) {
                var e = it.next();
                if (e.getValue().isNumber()) {
                    stages.put(e.getKey(), e.getValue().asDouble());
                }
            }
            List<HorizonPoint> horizon = new ArrayList<>();
            for (JsonNode h : r.path("horizon")) {
                HorizonPoint p = HorizonPoint.of(h);
                if (p != null) {
                    horizon.add(p);
                }
            }
            JsonNode speed = r.path("speed");
            Double e2e = Fields.number(speed, "pipeline_seconds");
            out.add(new PipelineRun(doc.source(), r.path("group").asText("table"), pipeline, machine, n,
                    r.path("precision").asText("fp32"), r.path("stride").asInt(base.path("stride").asInt(0)),
                    r.path("k").asInt(base.path("k").asInt(0)), Fields.integer(r, "d"), wall, e2e != null ? e2e : wall, stages,
                    Fields.number(speed, "les_ms_per_step"), Fields.number(speed, "proxy_ms_per_step_device", "proxy_ms_per_step_wall"),
                    horizon, caseKey, Fields.number(r, "cpu_les_wall_seconds")));
        }
        return out;
    }
}
