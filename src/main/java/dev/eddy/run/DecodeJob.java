package dev.eddy.run;

import dev.eddy.backend.Backend;
import dev.eddy.codec.CodecFile;
import dev.eddy.codec.CodecSettings;
import dev.eddy.codec.Codecs;
import dev.eddy.codec.SnapshotCodec;
import dev.eddy.codec.SnapshotSink;
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
 * {@code eddy decode}: a .eddyc code file → a Zarr store (or an HDF5 file, refused up front when it would not
 * fit in the heap) of omega, step and time, with the codec settings as attributes and a JSON report; every
 * record is checksum-verified as it is read.
 */
public final class DecodeJob {
    private DecodeJob() {
    }

    /**
     * Decodes {@code input} into {@code out} (L(Z) only with {@code latentOnly}), one record read, decoded and
     * written at a time (memory does not grow with the series for a .zarr output); the report goes to
     * {@code report} (null: OUT.report.json). An output that names an input is refused before any work.
     */
    public static void run(Path input, Path out, boolean latentOnly, Backend backend, Path report, Consumer<String> log)
            throws IOException {
        Path reportPath = report != null ? report : out.resolveSibling(out.getFileName() + ".report.json");
        SnapshotSink.checkNotAnInput(out, "-o", input);
        SnapshotSink.checkNotAnInput(reportPath, "--report", input, out);
        List<Map<String, Object>> rows = new ArrayList<>();
        String ranOn;
        List<Map<String, Object>> transfers;
        CodecSettings s;
        int t;
        try (CodecFile.Reader r = CodecFile.open(input)) {
            s = r.header().settings();
            t = (int) r.header().snapshots();
            try (SnapshotCodec codec = Codecs.create(s, backend, 1);
                 SnapshotSink sink = SnapshotSink.create(out, s.n(), s.precision(), t, attributes(input, s, latentOnly))) {
                ranOn = codec.backend();
                for (int i = 0; i < t; i++) {
                    CodecFile.Snapshot snap = r.read(i);
                    long t0 = System.nanoTime();
                    double[] field = codec.decode(snap.code(), !latentOnly);
                    long t1 = System.nanoTime();
                    sink.append(snap.step(), snap.time(), field);
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("step", snap.step());
                    row.put("time", snap.time());
                    row.put("decode_ms", (t1 - t0) / 1e6);
                    rows.add(row);
                }
                transfers = codec.transfers();
                sink.finish();
            }
        }
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
        AtomicFiles.writeString(reportPath, Json.write(doc));
        log.accept(String.format(Locale.ROOT, "decoded %d snapshots (%s) into %s; report %s", t,
                latentOnly ? "latent only" : "latent + residual", out, reportPath));
    }

    private static Map<String, Object> attributes(Path input, CodecSettings s, boolean latentOnly) {
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
        return attrs;
    }
}
