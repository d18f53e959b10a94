package dev.eddy.cli;

import dev.eddy.codec.CodecFile;
import dev.eddy.codec.CodecSettings;
import dev.eddy.codec.Codecs;
import dev.eddy.codec.SnapshotCodec;
import dev.eddy.codec.SnapshotSink;
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

/** {@code eddy decode}: a .eddyc code file → a Zarr store (streamed) or an HDF5 file of snapshots. */
@Command(name = "decode", header = "Decode a .eddyc code file into a Zarr store or an HDF5 file.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Decode a .eddyc code file into a Zarr store or an HDF5 file (omega, step, time, with x, y coordinates),",
                "with the codec settings as attributes. Every record is checksum-verified as it is read."})
public final class DecodeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CODES.eddyc") Path input;
    @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUT.zarr|OUT.h5",
            description = "a Zarr store (streamed, one snapshot at a time) or an HDF5 file (held in memory while written)")
    Path out;
    @Option(names = "--latent-only", description = "decode L(Z) only, without the ternary residual") boolean latentOnly;
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
        List<Map<String, Object>> rows = new ArrayList<>();
        String ranOn;
        List<Map<String, Object>> transfers;
        CodecSettings s;
        int t;
        // one record read, decoded and written at a time: memory does not grow with the series (for .zarr)
        try (CodecFile.Reader r = CodecFile.open(input)) {
            s = r.header().settings();
            t = (int) r.header().snapshots();
            try (SnapshotCodec codec = Codecs.create(s, backend, threads, device);
                 SnapshotSink sink = SnapshotSink.create(out, s.n(), s.precision(), t, attributes(s))) {
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
        System.out.printf(Locale.ROOT, "decoded %d snapshots (%s) into %s; report %s%n", t,
                latentOnly ? "latent only" : "latent + residual", out, reportPath);
        return ExitCodes.OK;
    }

    private Map<String, Object> attributes(CodecSettings s) {
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
