package dev.eddy.pipeline;

import dev.eddy.codec.FieldErrors;
import dev.eddy.io.AtomicFiles;
import dev.eddy.numerics.Reductions;
import dev.eddy.pipeline.Pipeline.HorizonPoint;
import dev.eddy.pipeline.Pipeline.Result;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a pipeline writes about its result: horizon.csv, the horizon and proxy sections of the metrics
 * JSON, and the console's summary line.
 */
final class PipelineOutputs {
    private PipelineOutputs() {
    }

    /** The metrics' entry of one compared proxy step. */
    static Map<String, Object> describe(HorizonPoint p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("proxy_step", p.step());
        m.put("les_step", p.lesStep());
        m.put("time", p.time());
        m.put("latent_rel_error", p.latentRelError());
        m.put("latent_only", p.latentOnly());
        m.put("with_residual", p.withResidual());
        m.put("codec_floor", p.codecFloor());
        m.put("codec_floor_latent_only", p.codecFloorLatentOnly());
        return m;
    }

    /** The horizon table for pandas: one row per compared proxy step. */
    static void writeHorizonCsv(Path file, List<HorizonPoint> points) throws IOException {
        StringBuilder s = new StringBuilder("proxy_step,les_step,time,latent_rel_error");
        for (String prefix : new String[] {"latent_only", "with_residual", "codec_floor", "codec_floor_latent_only"}) {
            for (String f : new String[] {"rel_l2", "max_error", "psnr_db", "correlation", "energy_rel_error", "enstrophy_rel_error"}) {
                s.append(',').append(prefix).append('_').append(f);
            }
        }
        s.append('\n');
        for (HorizonPoint p : points) {
            s.append(p.step()).append(',').append(p.lesStep()).append(',').append(num(p.time())).append(',')
                    .append(num(p.latentRelError()));
            for (FieldErrors e : new FieldErrors[] {p.latentOnly(), p.withResidual(), p.codecFloor(), p.codecFloorLatentOnly()}) {
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

    /** The console's last line: speeds, the error after the first and the last compared step, and where the output is. */
    static String summary(PipelineSettings settings, Result r, Path dir) {
        Map<String, Object> s = r.speed();
        HorizonPoint last = r.horizon().getLast();
        HorizonPoint first = r.horizon().getFirst();
        return String.format(Locale.ROOT, "done (%s pipeline): LES %.4g ms/step, proxy %.4g ms/step (= %d LES steps);"
                        + " rel L2 with residual %.3g after %d proxy step(s), %.3g after %d (codec floor %.3g); output in %s",
                settings.backends().label(), (double) s.get("les_ms_per_step_horizon"), (double) s.get("proxy_ms_per_step_wall"),
                settings.stride(), first.withResidual().relL2(), first.step(), last.withResidual().relL2(), last.step(),
                last.codecFloor().relL2(), dir);
    }
}
