package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.codec.CodecFieldsForTests;
import dev.eddy.gpu.GpuTests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eddy encode} / {@code eddy decode}: exit codes, outputs and reports. */
@Tag("gpu-parity")
class CodecCliTest {
    @TempDir
    Path dir;
    Path h5;

    @BeforeEach
    void snapshots() throws IOException {
        h5 = dir.resolve("snapshots.h5");
        CodecFieldsForTests.writeSeries(h5, 32, 2);
    }

    @Test
    void kTooLargeForNIsAUsageError() {
        CliTest.Outcome o = CliTest.eddy("encode", h5.toString(), "-o", dir.resolve("c.eddyc").toString(), "--k", "11",
                "--tile", "8");
        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("K ≤ 10"), o.err());
        assertTrue(!Files.exists(dir.resolve("c.eddyc")));
    }

    @Test
    void aTileThatDoesNotDivideNIsAUsageError() {
        CliTest.Outcome o = CliTest.eddy("encode", h5.toString(), "-o", dir.resolve("c.eddyc").toString(), "--k", "4",
                "--tile", "5");
        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("divide N"), o.err());
    }

    @Test
    void aNonPositiveThetaIsAUsageError() {
        assertEquals(ExitCodes.USAGE, CliTest.eddy("encode", h5.toString(), "-o", dir.resolve("c.eddyc").toString(),
                "--k", "4", "--theta", "0").code());
    }

    @Test
    void encodeThenDecodeWritesCodesHdf5AndReports() throws IOException {
        Path codes = dir.resolve("c.eddyc");
        assertEquals(ExitCodes.OK, CliTest.eddy("encode", h5.toString(), "-o", codes.toString(), "--k", "4", "--tile", "8",
                "--majority").code());
        assertTrue(Files.exists(dir.resolve("c.eddyc.report.json")));
        String report = Files.readString(dir.resolve("c.eddyc.report.json"));
        assertTrue(report.contains("\"latent_residual\"") && report.contains("\"psnrDb\""), report);
        Path out = dir.resolve("decoded.h5");
        assertEquals(ExitCodes.OK, CliTest.eddy("decode", codes.toString(), "-o", out.toString()).code());
        var series = dev.eddy.codec.SnapshotSeries.read(out);
        assertEquals(2, series.size());
        assertEquals(32, series.n());
        assertEquals(4L, ((Number) series.attributes().get("codec_k")).longValue());
        assertEquals(ExitCodes.OK, CliTest.eddy("decode", codes.toString(), "-o", dir.resolve("l.h5").toString(),
                "--latent-only", "--report", dir.resolve("r.json").toString()).code());
        assertTrue(Files.exists(dir.resolve("r.json")));
    }

    @Test
    void aCorruptCodeFileIsARuntimeErrorWithAClearMessage() throws IOException {
        Path codes = dir.resolve("c.eddyc");
        assertEquals(ExitCodes.OK, CliTest.eddy("encode", h5.toString(), "-o", codes.toString(), "--k", "4").code());
        byte[] b = Files.readAllBytes(codes);
        b[b.length - 10] ^= 1;
        Files.write(codes, b);
        CliTest.Outcome o = CliTest.eddy("decode", codes.toString(), "-o", dir.resolve("d.h5").toString());
        assertEquals(ExitCodes.RUNTIME, o.code());
        assertTrue(o.err().contains("corrupt file") && o.err().contains("checksum mismatch in snapshot 1"), o.err());
        assertTrue(!Files.exists(dir.resolve("d.h5")));
    }

    @Test
    void anUnknownCodecBackendIsAUsageError() {
        CliTest.Outcome o = CliTest.eddy("encode", h5.toString(), "-o", dir.resolve("c.eddyc").toString(), "--k", "4",
                "--backend", "cuda");
        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().contains("cpu or vulkan"), o.err());
    }

    /** The same snapshots through both backends: the same codes to rounding, the same decoded files. */
    @Test
    void encodeAndDecodeOnVulkanAgreeWithTheCpuBackend() throws IOException {
        GpuTests.needsDevice();
        Path cpu = dir.resolve("cpu.eddyc");
        Path gpu = dir.resolve("gpu.eddyc");
        assertEquals(ExitCodes.OK, CliTest.eddy("encode", h5.toString(), "-o", cpu.toString(), "--k", "4", "--tile", "8").code());
        CliTest.Outcome o = CliTest.eddy("encode", h5.toString(), "-o", gpu.toString(), "--k", "4", "--tile", "8",
                "--backend", "vulkan", "--device", deviceOrFirst());
        assertEquals(ExitCodes.OK, o.code(), o.err());
        var a = dev.eddy.codec.CodecFile.readAll(cpu);
        var b = dev.eddy.codec.CodecFile.readAll(gpu);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            double[] za = a.get(i).code().z();
            double[] zb = b.get(i).code().z();
            for (int q = 0; q < za.length; q++) {
                assertEquals(za[q], zb[q], 1e-5 * (1 + Math.abs(za[q])), "Z[" + q + "] of snapshot " + i);
            }
        }
        var report = dev.eddy.io.Json.MAPPER.readTree(dir.resolve("gpu.eddyc.report.json").toFile());
        assertTrue(report.get("backend").asText().startsWith("vulkan"), report.get("backend").toString());
        assertTrue(report.get("transfers").size() > 0, "the GPU report carries its transfer ledger");
        Path fromCpu = dir.resolve("from-cpu.h5");
        Path fromGpu = dir.resolve("from-gpu.h5");
        assertEquals(ExitCodes.OK, CliTest.eddy("decode", gpu.toString(), "-o", fromCpu.toString()).code());
        assertEquals(ExitCodes.OK, CliTest.eddy("decode", gpu.toString(), "-o", fromGpu.toString(), "--backend", "vulkan",
                "--device", deviceOrFirst()).code());
        var x = dev.eddy.codec.SnapshotSeries.read(fromCpu);
        var y = dev.eddy.codec.SnapshotSeries.read(fromGpu);
        for (int i = 0; i < x.size(); i++) {
            double rel = dev.eddy.TestConfigs.relL2(y.fields().get(i), x.fields().get(i));
            assertTrue(rel < 1e-5, "decoded snapshot " + i + " differs by " + rel);
        }
    }

    static String deviceOrFirst() {
        String d = System.getenv("EDDY_TEST_DEVICE");
        return d == null || d.isBlank() ? "0" : d;
    }
}
