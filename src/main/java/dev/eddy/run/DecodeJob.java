package dev.eddy.run;

import dev.eddy.backend.Backend;
import dev.eddy.codec.CodecFile;
import dev.eddy.codec.CodecSettings;
import dev.eddy.codec.Codecs;
import dev.eddy.codec.SnapshotCodec;
import dev.eddy.codec.SnapshotSeries;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.Json;
import dev.eddy.io.Versions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code eddy decode}: a .eddyc code file → an HDF5 file in the snapshots.h5 layout (omega, step, time),
 * with the codec settings as attributes and a JSON report; every record is checksum-verified first.
 */
public final class DecodeJob {
    private DecodeJob() {
    }

    /** Decodes {@code input} into {@code out} (L(Z) only with {@code latentOnly}); the report goes to {@code report} (null: OUT.report.json). */
    public static void run(Path input, Path out, boolean latentOnly, Backend backend, Path report, Consumer<String> log)
            throws IOException {
        List<CodecFile.Snapshot> snaps;
        CodecSettings s;
        try (CodecFile.Reader r = CodecFile.open(input)) {
            s = r.header().settings();
            snaps = new ArrayList<>();
            for (int i = 0; i < r.header().snapshots(); i++) {
                snaps.add(r.read(i));
            }
        }
        int t = snaps.size();
        long[] steps = new long[t];
        double[] times = new double[t];
        List<double[]> fields = new ArrayList<>();
        List<Map<String, Object>> rows = new ArrayList<>();
        String ranOn;
        List<Map<String, Object>> transfers;
        try (SnapshotCodec codec = Codecs.create(s, backend, 1)) {
            ranOn = codec.backend();
            for (int i = 0; i < t; i++) {
                long t0 = System.nanoTime();
                fields.add(codec.decode(snaps.get(i).code(), !latentOnly));
                long t1 = System.nanoTime();
                steps[i] = snaps.get(i).step();
                times[i] = snaps.get(i).time();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", steps[i]);
                row.put("time", times[i]);
                row.put("decode_ms", (t1 - t0) / 1e6);
                rows.add(row);
            }
            transfers = codec.transfers();
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("n", s.n());
        attrs.put("precision", s.precision().label());
        attrs.put("domain_length", 2 * Math.PI);
        attrs.put("decoded_from", input.toString());
        attrs.put("decoded_with_residual", latentOnly ? 0 : 1);
        attrs.put("codec_format_version", CodecFile.VERSION);
        attrs.put("codec_k", s.k());
        attrs.put("codec_tile", s.tile());
        attrs.put("codec_theta", s.theta());
        attrs.put("codec_sigma", s.sigma());
        attrs.put("codec_majority", s.majority() ? 1 : 0);
        attrs.put("codec_json", Json.write(s));
        attrs.put("eddy_version", Versions.eddy());
        new SnapshotSeries(s.n(), s.precision(), steps, times, fields, attrs).write(out);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", "eddy-codec-report/1");
        doc.put("command", "decode");
        doc.put("input", input.toString());
        doc.put("output", out.toString());
        doc.put("settings", s);
        doc.put("backend", ranOn);
        doc.put("transfers", transfers); // the transfer ledger: empty on the cpu backend
        doc.put("with_residual", !latentOnly);
        doc.put("snapshots", rows);
        doc.put("software", Versions.software());
        Path reportPath = report != null ? report : out.resolveSibling(out.getFileName() + ".report.json");
        AtomicFiles.writeString(reportPath, Json.write(doc));
        log.accept(String.format(Locale.ROOT, "decoded %d snapshots (%s) into %s; report %s", t,
                latentOnly ? "latent only" : "latent + residual", out, reportPath));
    }
}
