package dev.eddy.run;

import dev.eddy.backend.Backend;
import dev.eddy.codec.CodecFile;
import dev.eddy.codec.CodecSettings;
import dev.eddy.codec.Codecs;
import dev.eddy.codec.FieldErrors;
import dev.eddy.codec.SnapshotCodec;
import dev.eddy.codec.SnapshotSink;
import dev.eddy.codec.SnapshotSource;
import dev.eddy.io.AtomicFiles;
import dev.eddy.io.Json;
import dev.eddy.io.Versions;
import dev.eddy.numerics.Precision;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code eddy encode}: the vorticity snapshots of a run, a Zarr store or an HDF5 file → a .eddyc code file
 * (docs/codec-format.md), one snapshot at a time, with a JSON report of ratio and errors (latent-only and
 * latent+residual) per snapshot, on the given backend.
 */
public final class EncodeJob {
    /** The codec settings but N and precision, which come from the input. */
    public record Codec(int k, int tile, double theta, double sigma, boolean majority) {
        CodecSettings settingsFor(int n, Precision precision) {
            return new CodecSettings(n, k, tile, theta, sigma, majority, precision);
        }
    }

    private EncodeJob() {
    }

    /**
     * Encodes {@code input} (a run directory, a Zarr store or an HDF5 file, read one snapshot at a time) into
     * {@code out}, appending each code as it is made; the report goes to {@code report} (null: OUT.report.json).
     * An output that names an input is refused before any work.
     */
    public static void run(Path input, Path out, Codec codec, Backend backend, Path report, Consumer<String> log) throws IOException {
        Path reportPath = report != null ? report : out.resolveSibling(out.getFileName() + ".report.json");
        SnapshotSink.checkNotAnInput(out, "-o", input);
        SnapshotSink.checkNotAnInput(reportPath, "--report", input, out);
        try (SnapshotSource series = SnapshotSource.open(input);
             CodecFile.Appender codes = CodecFile.Appender.create(out, codec.settingsFor(series.n(), series.precision()))) {
            encode(input, out, series, codes, codec.settingsFor(series.n(), series.precision()), backend, reportPath, log);
        }
    }

    private static void encode(Path input, Path out, SnapshotSource series, CodecFile.Appender codes, CodecSettings s, Backend backend,
                               Path reportPath, Consumer<String> log) throws IOException {
        List<Map<String, Object>> rows = new ArrayList<>();
        long raw = (long) s.n() * s.n() * s.precision().bytes();
        long record = CodecFile.recordBytes(s);
        String ranOn;
        List<Map<String, Object>> transfers;
        try (SnapshotCodec coder = Codecs.create(s, backend, 1)) {
            ranOn = coder.backend();
            for (int i = 0; i < series.size(); i++) {
                double[] omega = series.omega(i);
                long t0 = System.nanoTime();
                SnapshotCodec.Code code = coder.encode(omega);
                long t1 = System.nanoTime();
                double[] latent = coder.decode(code, false);
                long t2 = System.nanoTime();
                double[] full = coder.decode(code, true);
                long t3 = System.nanoTime();
                codes.append(new CodecFile.Snapshot(series.step(i), series.time(i), code));
                FieldErrors el = FieldErrors.compare(s.n(), omega, latent);
                FieldErrors er = FieldErrors.compare(s.n(), omega, full);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", series.step(i));
                row.put("time", series.time(i));
                row.put("compression_ratio", (double) raw / record);
                row.put("encode_ms", (t1 - t0) / 1e6);
                row.put("decode_latent_ms", (t2 - t1) / 1e6);
                row.put("decode_residual_ms", (t3 - t2) / 1e6);
                row.put("latent_only", el);
                row.put("latent_residual", er);
                rows.add(row);
                log.accept(String.format(Locale.ROOT, "step %d: ratio %.1f  rel L2 %.4f → %.4f  PSNR %.1f → %.1f dB  corr %.5f → %.5f"
                                + "  enstrophy err %+.4f → %+.4f  (encode %.1f ms)",
                        series.step(i), (double) raw / record, el.relL2(), er.relL2(), el.psnrDb(), er.psnrDb(),
                        el.correlation(), er.correlation(), el.enstrophyRelError(), er.enstrophyRelError(), (t1 - t0) / 1e6));
            }
            transfers = coder.transfers();
        }
        codes.finish();
        long fileBytes = CodecFile.fileBytes(s, codes.count());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", "eddy-codec-report/1");
        doc.put("command", "encode");
        doc.put("input", input.toString());
        doc.put("output", out.toString());
        doc.put("settings", s);
        doc.put("backend", ranOn);
        doc.put("transfers", transfers); // the transfer ledger: empty on the cpu backend
        doc.put("format_version", CodecFile.VERSION);
        doc.put("units", "ratio = raw field bytes (N²·precision) / encoded bytes; PSNR in dB with peak = max ω − min ω of"
                + " the original; errors relative to the original; times in ms of host wall clock (on vulkan: upload, submit,"
                + " device work and read-back)");
        doc.put("raw_bytes_per_snapshot", raw);
        doc.put("encoded_bytes_per_snapshot", record);
        doc.put("file_bytes", fileBytes);
        doc.put("overall_compression_ratio", codes.count() == 0 ? 0.0 : (double) raw * codes.count() / fileBytes);
        doc.put("snapshots", rows);
        doc.put("software", Versions.software());
        AtomicFiles.writeString(reportPath, Json.write(doc));
        log.accept(String.format(Locale.ROOT, "encoded %d snapshots into %s (%d bytes, overall ratio %.1f); report %s",
                codes.count(), out, fileBytes, codes.count() == 0 ? 0.0 : (double) raw * codes.count() / fileBytes, reportPath));
    }
}
