package dev.eddy.cli;

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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eddy encode}: a run's snapshots (or an HDF5 file's) → latent + ternary-residual codes (.eddyc), with an accuracy report. */
@Command(name = "encode", header = "Encode vorticity snapshots into a .eddyc code file (latent plus ternary residual).",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Encode the vorticity snapshots of a run (its directory or snapshots.zarr) or of an HDF5 file into a"
                + " .eddyc code file, one snapshot at a time:",
                "latent Z (Fourier modes |kx|,|ky| ≤ K) plus a per-tile ternary residual. Prints and writes a JSON report",
                "of ratio and errors (latent-only and latent+residual) per snapshot. Format: docs/codec-format.md."})
public final class EncodeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_DIR|STORE.zarr|SNAPSHOTS.h5") Path input;
    @Option(names = {"-o", "--out"}, required = true, paramLabel = "CODES.eddyc") Path out;
    @Option(names = "--k", defaultValue = CodecSettings.DEFAULT_K, paramLabel = "K",
            description = "latent cutoff: modes |kx|, |ky| ≤ K, 1 ≤ K < N/3 (default ${DEFAULT-VALUE})") int k;
    @Option(names = "--tile", defaultValue = CodecSettings.DEFAULT_TILE, paramLabel = "T",
            description = "residual tile side T, divides N (default ${DEFAULT-VALUE})")
    int tile;
    @Option(names = "--theta", defaultValue = "0.7", paramLabel = "θ", description = "mask threshold (default ${DEFAULT-VALUE})")
    double theta;
    @Option(names = "--smooth", defaultValue = "0", paramLabel = "σ", description = "spectral Gaussian width of L(Z), 0 = off")
    double sigma;
    @Option(names = "--majority", description = "3×3 majority smoothing of the mask") boolean majority;
    @Option(names = "--backend", defaultValue = "cpu", description = "cpu or vulkan (default ${DEFAULT-VALUE})") String backend;
    @Option(names = "--device", paramLabel = "INDEX|NAME", description = "Vulkan device for --backend vulkan (default: first discrete GPU)")
    String device;
    @Option(names = "--threads", defaultValue = "0", description = "CPU threads (0 = all cores)") int threads;
    @Option(names = "--report", paramLabel = "FILE", description = "report JSON (default: OUT.report.json)") Path report;

    @Override
    public Integer call() throws Exception {
        dev.eddy.config.ConfigException.require(threads >= 0 && threads <= dev.eddy.config.RunConfig.MAX_THREADS,
                "--threads must be 0 (all cores) to " + dev.eddy.config.RunConfig.MAX_THREADS + ", got " + threads);
        Path reportPath = report != null ? report : out.resolveSibling(out.getFileName() + ".report.json");
        SnapshotSink.checkNotAnInput(out, "-o", input);
        SnapshotSink.checkNotAnInput(reportPath, "--report", input, out);
        try (SnapshotSource series = SnapshotSource.open(input);
             CodecFile.Appender codes = CodecFile.Appender.create(out,
                     new CodecSettings(series.n(), k, tile, theta, sigma, majority, series.precision()))) {
            encode(series, codes, reportPath);
        }
        return ExitCodes.OK;
    }

    private void encode(SnapshotSource series, CodecFile.Appender codes, Path reportPath) throws Exception {
        CodecSettings s = new CodecSettings(series.n(), k, tile, theta, sigma, majority, series.precision());
        List<Map<String, Object>> rows = new ArrayList<>();
        long raw = (long) s.n() * s.n() * s.precision().bytes();
        long record = CodecFile.recordBytes(s);
        String ranOn;
        List<Map<String, Object>> transfers;
        try (SnapshotCodec codec = Codecs.create(s, backend, threads, device)) {
            ranOn = codec.backend();
            for (int i = 0; i < series.size(); i++) {
                double[] omega = series.omega(i);
                long t0 = System.nanoTime();
                SnapshotCodec.Code code = codec.encode(omega);
                long t1 = System.nanoTime();
                double[] latent = codec.decode(code, false);
                long t2 = System.nanoTime();
                double[] full = codec.decode(code, true);
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
                System.out.printf(Locale.ROOT, "step %d: ratio %.1f  rel L2 %.4f → %.4f  PSNR %.1f → %.1f dB  corr %.5f → %.5f"
                                + "  enstrophy err %+.4f → %+.4f  (encode %.1f ms)%n",
                        series.step(i), (double) raw / record, el.relL2(), er.relL2(), el.psnrDb(), er.psnrDb(),
                        el.correlation(), er.correlation(), el.enstrophyRelError(), er.enstrophyRelError(), (t1 - t0) / 1e6);
            }
            transfers = codec.transfers();
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
        System.out.printf(Locale.ROOT, "encoded %d snapshots into %s (%d bytes, overall ratio %.1f); report %s%n",
                codes.count(), out, fileBytes, codes.count() == 0 ? 0.0 : (double) raw * codes.count() / fileBytes, reportPath);
    }
}
