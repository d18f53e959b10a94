package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.codec.CodecFieldsForTests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eddy encode} / {@code eddy decode}: exit codes, outputs and reports. */
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
}
