package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.codec.CodecFile;
import dev.eddy.codec.CodecSettings;
import dev.eddy.codec.Codecs;
import dev.eddy.codec.SnapshotCodec;
import dev.eddy.codec.SnapshotSource;
import dev.eddy.gpu.GpuTests;
import dev.eddy.io.Json;
import dev.eddy.run.SnapshotEncoding;
import dev.eddy.store.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code eddy run --encode} (or any of --k --tile --theta --smooth --majority): codes.eddyc beside the snapshots, codec
 * reports in the metrics, usage errors up front; the spelling before issue 17, {@code --encode K,T[,θ]}, still works
 * with a deprecation warning.
 */
@Tag("gpu-parity")
class RunEncodeTest {
    @TempDir
    Path tmp;

    static String[] run(Path out, String... extra) {
        String[] base = {"run", "--out", out.toString(), "--n", "32", "--kp", "6", "--seed", "3", "--steps", "20",
                "--snapshot-every", "10", "--checkpoint-every", "10", "--quiet", "--no-report", "--log-metrics"};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "--k 11 --tile 8;K ≤ 10",
            "--encode;K ≤ 10", // the default K = 12 does not fit N = 32: said, not silently changed
            "--k 4 --tile 5;divide N",
            "--k 4 --theta -1;--theta must be a finite number > 0",
            "--k 4 --smooth -1;--smooth σ must be a finite number ≥ 0",
            "--k zero;Invalid value",
            "--encode 11,8;K ≤ 10",
            "--encode 4,5;divide N",
            "--encode 4;K,T or K,T,θ",
            "--encode 4,8,zero;integers K,T and a number θ",
            "--encode 4,8,-1;--theta must be a finite number > 0",
            "--encode=11,8;K ≤ 10",
            "--encode 4,8 --k 4;not both",
            "--encode-smooth 1 --smooth 1 --k 4;not both"})
    void badEncodeValuesAreUsageErrorsBeforeTheRunStarts(String flags, String expected) {
        Path out = tmp.resolve("bad");
        CliTest.Outcome o = CliTest.eddy(run(out, flags.split(" ")));
        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().contains(expected), "expected '" + expected + "' in: " + o.err());
        assertFalse(Files.exists(out), "nothing is written before the settings are checked");
    }

    /**
     * The spelling before issue 17 still works for a release: the same codes as the new spelling, one warning line
     * per old flag naming the new one; and a run made with it restarts with the new flags (its saved settings read).
     */
    @Test
    void theOldSpellingStillEncodesWithAWarningAndItsRunRestartsWithTheNewFlags() throws Exception {
        Path old = tmp.resolve("old");
        CliTest.Outcome o = CliTest.eddy(run(old, "--encode", "6,8", "--encode-majority", "--encode-smooth", "0.1"));
        assertEquals(ExitCodes.OK, o.code(), o.err());
        List<String> warnings = o.err().lines().filter(l -> l.contains("deprecated")).toList();
        assertEquals(3, warnings.size(), o.err());
        assertTrue(warnings.get(0).contains("--encode 6,8 is deprecated") && warnings.get(0).contains("write --k 6 --tile 8"), o.err());
        assertTrue(o.err().contains("write --majority") && o.err().contains("write --smooth"), o.err());
        CodecSettings s = new CodecSettings(32, 6, 8, 0.7, 0.1, true, dev.eddy.numerics.Precision.FP64);
        try (CodecFile.Reader r = CodecFile.open(old.resolve(RunFiles.CODES))) {
            assertEquals(s, r.header().settings());
        }
        Path now = tmp.resolve("new");
        CliTest.Outcome n = CliTest.eddy(run(now, "--k", "6", "--tile", "8", "--majority", "--smooth", "0.1"));
        assertEquals(ExitCodes.OK, n.code(), n.err());
        assertFalse(n.err().contains("deprecated"), n.err());
        List<CodecFile.Snapshot> a = CodecFile.readAll(old.resolve(RunFiles.CODES));
        List<CodecFile.Snapshot> b = CodecFile.readAll(now.resolve(RunFiles.CODES));
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(0, java.util.Arrays.compare(a.get(i).code().packed(), b.get(i).code().packed()), "snapshot " + i);
        }
        // the old run's saved settings are read back: a new flag that agrees continues it, one that differs is refused
        CliTest.Outcome differs = CliTest.eddy("run", "--restart", old.toString(), "--steps", "30", "--quiet", "--no-report", "--k", "5");
        assertEquals(ExitCodes.USAGE, differs.code(), differs.err());
        assertTrue(differs.err().contains("differs from the settings saved with the run"), differs.err());
        CliTest.Outcome agrees = CliTest.eddy("run", "--restart", old.toString(), "--steps", "30", "--quiet", "--no-report", "--k", "6",
                "--encode");
        assertEquals(ExitCodes.OK, agrees.code(), agrees.err());
        assertEquals(List.of(0L, 10L, 20L, 30L), CodecFile.readAll(old.resolve(RunFiles.CODES)).stream()
                .map(CodecFile.Snapshot::step).toList());
    }

    /** On the CPU: the codes are the CPU codec's of the snapshots; a restart keeps the codes its checkpoint covers. */
    @Test
    void aCpuRunEncodesEverySnapshotAndARestartContinuesTheCodeFile() throws Exception {
        Path a = tmp.resolve("a");
        CliTest.Outcome o = CliTest.eddy(run(a, "--precision", "fp64", "--k", "6", "--tile", "8", "--theta", "0.7", "--majority"));
        assertEquals(ExitCodes.OK, o.code(), o.err());
        List<CodecFile.Snapshot> codes = CodecFile.readAll(a.resolve(RunFiles.CODES));
        assertEquals(List.of(0L, 10L, 20L), codes.stream().map(CodecFile.Snapshot::step).toList());
        CodecSettings s = new CodecSettings(32, 6, 8, 0.7, 0, true, dev.eddy.numerics.Precision.FP64);
        try (CodecFile.Reader r = CodecFile.open(a.resolve(RunFiles.CODES))) {
            assertEquals(s, r.header().settings());
        }
        try (SnapshotSource frames = SnapshotSource.open(a); SnapshotCodec cpu = dev.eddy.TestConfigs.cpuCodec(s, 1)) {
            for (int i = 0; i < frames.size(); i++) {
                SnapshotCodec.Code want = cpu.encode(frames.omega(i));
                assertEquals(0, java.util.Arrays.compare(want.packed(), codes.get(i).code().packed()), "t of snapshot " + i);
                assertTrue(java.util.Arrays.equals(want.z(), codes.get(i).code().z()), "Z of snapshot " + i);
            }
        }
        JsonNode m = Json.MAPPER.readTree(a.resolve("metrics.json").toFile());
        JsonNode codec = m.get("codec");
        assertEquals("cpu", codec.get("backend").asText());
        assertEquals(3, codec.get("snapshots").size());
        JsonNode row = codec.get("snapshots").get(2);
        assertTrue(row.get("latent_residual").get("relL2").asDouble() < row.get("latent_only").get("relL2").asDouble(), row.toString());
        assertTrue(row.get("compression_ratio").asDouble() > 1, row.toString());
        assertTrue(m.get("stage_seconds").has("encode") && m.get("stage_seconds").has("codec-report"), m.get("stage_seconds").toString());

        // a restart with different settings is refused; with the same ones it continues the file
        CliTest.Outcome other = CliTest.eddy("run", "--restart", a.toString(), "--steps", "30", "--quiet", "--no-report",
                "--k", "5");
        assertEquals(ExitCodes.USAGE, other.code(), other.err());
        assertTrue(other.err().contains("differs from the settings saved with the run"), other.err());
        assertEquals(ExitCodes.OK, CliTest.eddy("run", "--restart", a.toString(), "--steps", "30", "--quiet", "--no-report",
                "--k", "6", "--tile", "8", "--majority").code());
        assertEquals(List.of(0L, 10L, 20L, 30L), CodecFile.readAll(a.resolve(RunFiles.CODES)).stream()
                .map(CodecFile.Snapshot::step).toList());
        // issue 18.1: the encoding is saved with the run, so a restart without it keeps encoding
        CliTest.Outcome kept = CliTest.eddy("run", "--restart", a.toString(), "--steps", "40", "--no-report");
        assertEquals(ExitCodes.OK, kept.code(), kept.err());
        assertEquals(List.of(0L, 10L, 20L, 30L, 40L), CodecFile.readAll(a.resolve(RunFiles.CODES)).stream()
                .map(CodecFile.Snapshot::step).toList());
    }

    /**
     * On the GPU: each snapshot is encoded from the LES's device state; the encode crosses to the host as
     * codes only (Z, α, t), and the codes are those of the CPU codec of the snapshot frames, to rounding.
     */
    @Test
    void aVulkanRunEncodesOnTheDeviceAndOnlyTheCodesCross() throws Exception {
        GpuTests.needsDevice();
        Path g = tmp.resolve("g");
        CliTest.Outcome o = CliTest.eddy(run(g, "--precision", "fp64", "--backend", "vulkan", "--device",
                CodecCliTest.deviceOrFirst(), "--k", "6", "--tile", "8"));
        assertEquals(ExitCodes.OK, o.code(), o.err());
        CodecSettings s = new CodecSettings(32, 6, 8, 0.7, 0, false, dev.eddy.numerics.Precision.FP64);
        List<CodecFile.Snapshot> codes = CodecFile.readAll(g.resolve(RunFiles.CODES));
        assertEquals(3, codes.size());
        try (SnapshotSource frames = SnapshotSource.open(g); SnapshotCodec cpu = dev.eddy.TestConfigs.cpuCodec(s, 1)) {
            for (int i = 0; i < frames.size(); i++) {
                double[] want = cpu.encode(frames.omega(i)).z();
                double[] got = codes.get(i).code().z();
                double err = 0;
                double scale = 0;
                for (int q = 0; q < want.length; q++) {
                    err = Math.max(err, Math.abs(want[q] - got[q]));
                    scale = Math.max(scale, Math.abs(want[q]));
                }
                assertTrue(err <= 1e-10 * scale, "Z of snapshot " + i + ": " + err + " of " + scale);
            }
        }
        JsonNode m = Json.MAPPER.readTree(g.resolve("metrics.json").toFile());
        assertTrue(m.get("codec").get("backend").asText().startsWith("vulkan"));
        long codeBytes = (long) s.latentDimension() * 8 + (long) s.tiles() * 8 + s.packedBytes();
        long encodeDown = 0;
        for (JsonNode e : m.get("transfers")) {
            if (e.get("stage").asText().equals("encode")) {
                assertEquals("device_to_host", e.get("direction").asText(), "the encode uploads nothing: " + e);
                encodeDown += e.get("bytes").asLong();
            }
        }
        assertEquals(3 * codeBytes, encodeDown, "three snapshots, each Z + α + t: " + m.get("transfers"));
        assertTrue(m.get("codec").get("memory_map").toString().contains("codec.latents"));
    }
}
