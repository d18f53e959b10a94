package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.run.Checkpoint;
import dev.eddy.store.RunFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The command line as users meet it: exit codes and messages. */
@Tag("fast")
class CliTest {
    record Outcome(int code, String err) {
    }

    static Outcome eddy(String... args) {
        StringWriter err = new StringWriter();
        var cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        int code = cl.execute(args);
        return new Outcome(code, err.toString());
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of(new String[] {"run", "--bogus"}, "Unknown option"),
                Arguments.of(new String[] {"run", "--n", "97", "--out", "X"}, "odd"),
                Arguments.of(new String[] {"run", "--n", "22", "--out", "X"}, "prime factor 11: the FFT takes only sizes whose prime factors are 2, 3, 5 and 7 (nearest: 24)"),
                Arguments.of(new String[] {"run", "--n", "18", "--out", "X"}, "kp = 6.0 must be below the dealiasing cutoff K = ⌊(N−1)/3⌋ = 5"),
                Arguments.of(new String[] {"run", "--n", "4", "--out", "X"}, "out of range"),
                Arguments.of(new String[] {"run", "--dt", "-1", "--out", "X"}, "dt must be > 0"),
                Arguments.of(new String[] {"run", "--stepper", "ssprk3", "--cfl", "5", "--out", "X"}, "beyond the stable limit of ssprk3, 1.7321"),
                Arguments.of(new String[] {"run", "--stepper", "rk4", "--cfl", "2.9", "--out", "X"}, "choose --cfl ≤ 2.8284"),
                Arguments.of(new String[] {"run", "--cfl", "-1", "--out", "X"}, "CFL number must be ≥ 0"),
                Arguments.of(new String[] {"run", "--stepper", "euler", "--out", "X"}, "stepper must be heun, ssprk3 or rk4"),
                Arguments.of(new String[] {"run", "--health-band", "0", "--out", "X"}, "outer-band enstrophy fraction must be in (0, 1]"),
                Arguments.of(new String[] {"run", "--n", "96", "--kp", "31", "--out", "X"}, "below the dealiasing cutoff K = ⌊(N−1)/3⌋ = 31"),
                Arguments.of(new String[] {"run", "--nu", "-1e-3", "--out", "X"}, "viscosity nu must be ≥ 0"),
                Arguments.of(new String[] {"run", "--nu", "NaN", "--out", "X"}, "finite"),
                Arguments.of(new String[] {"run", "--precision", "fp16", "--out", "X"}, "fp32 or fp64"),
                Arguments.of(new String[] {"run", "--forcing", "kolmogorov", "--kf", "60", "--out", "X"}, "dealiasing"),
                Arguments.of(new String[] {"run", "--steps", "10", "--end-time", "1", "--out", "X"}, "not both"),
                Arguments.of(new String[] {"run", "--preset", "nope", "--out", "X"}, "no preset named"),
                Arguments.of(new String[] {"run", "--steps", "10"}, "--out"),
                Arguments.of(new String[] {"run", "--n", "abc", "--out", "X"}, "Invalid value"),
                Arguments.of(new String[] {}, "subcommand"));
    }

    @ParameterizedTest
    @MethodSource("badInput")
    void badInputExitsTwoWithAMessage(String[] args, String expected) {
        Outcome o = eddy(args);
        assertEquals(ExitCodes.USAGE, o.code(), o.err());
        assertTrue(o.err().contains(expected), "expected '" + expected + "' in: " + o.err());
        assertTrue(!o.err().contains("\tat "), "no stack trace: " + o.err());
    }

    @Test
    void runThenRestartFromTheCommandLine(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        String[] common = {"--n", "32", "--kp", "4", "--seed", "3", "--precision", "fp32", "--checkpoint-every", "10", "--snapshot-every", "10", "--quiet",
            "--no-report"}; // the checkpoints are what is compared; ReportTest covers the report
        assertEquals(0, eddy(concat(new String[] {"run", "--out", a.toString(), "--steps", "30"}, common)).code());
        assertEquals(0, eddy(concat(new String[] {"run", "--out", b.toString(), "--steps", "20"}, common)).code());
        Outcome again = eddy("run", "--restart", b.toString(), "--nu", "1");
        assertEquals(ExitCodes.USAGE, again.code(), "a restart must not change the physics");
        assertEquals(0, eddy("run", "--restart", b.toString(), "--steps", "30", "--quiet", "--no-report").code());
        assertArrayEquals(Checkpoint.read(a).state(), Checkpoint.read(b).state(), 0.0);
        // rerun from the saved settings reproduces the run
        Path c = tmp.resolve("c");
        assertEquals(0, eddy("run", "--config", a.resolve("config.json").toString(), "--out", c.toString(), "--quiet", "--no-report").code());
        assertArrayEquals(Checkpoint.read(a).state(), Checkpoint.read(c).state(), 0.0);
    }

    @Test
    void corruptCheckpointIsARuntimeErrorThatSaysSo(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a");
        assertEquals(0, eddy("run", "--out", a.toString(), "--n", "32", "--kp", "4", "--steps", "10", "--quiet").code());
        Path cp = a.resolve(RunFiles.CHECKPOINT);
        byte[] bytes = Files.readAllBytes(cp);
        bytes[bytes.length / 2] ^= 0x10;
        Files.write(cp, bytes);
        Outcome o = eddy("run", "--restart", a.toString(), "--steps", "20");
        assertEquals(ExitCodes.RUNTIME, o.code(), o.err());
        assertTrue(o.err().contains("checksum mismatch"), o.err());
    }

    @Test
    void presetsLoadAndFlagsOverrideThem() {
        var c = new dev.eddy.config.ConfigLoader().preset("kolmogorov-256").set("n", 64).build();
        assertEquals(64, c.n());
        assertEquals(dev.eddy.config.Forcing.Kind.KOLMOGOROV, c.forcing().kind());
        for (String name : dev.eddy.config.Presets.names()) {
            new dev.eddy.config.ConfigLoader().preset(name).build(); // every shipped preset is valid
        }
        assertTrue(dev.eddy.config.Presets.names().contains("default"));
    }

    @Test
    void versionAndHelpExitZero() {
        assertEquals(0, eddy("--version").code());
        assertEquals(0, eddy("run", "--help").code());
    }

    private static String[] concat(String[] a, String[] b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }
}
