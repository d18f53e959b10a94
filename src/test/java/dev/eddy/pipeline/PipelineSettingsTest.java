package dev.eddy.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.cli.CliTestAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad pipeline settings are usage errors (exit 2) with a message that says what to change, before anything runs. */
@Tag("fast")
class PipelineSettingsTest {

    static Stream<Arguments> badSettings() {
        return Stream.of(
                Arguments.of(new String[] {"--horizon", "0"}, "--horizon must be ≥ 1 step"),
                Arguments.of(new String[] {"--stride", "500", "--window", "400"}, "--stride 500 is larger than the training window"),
                Arguments.of(new String[] {"--k", "43"}, "--k 43 is out of range for N = 128"),
                Arguments.of(new String[] {"--n", "64", "--k", "30"}, "--k 30 is out of range for N = 64"),
                Arguments.of(new String[] {"--horizon", "25"}, "--horizon 25 is not a multiple of --stride 10"),
                Arguments.of(new String[] {"--window", "45"}, "--window 45 is not a multiple of --stride 10"),
                Arguments.of(new String[] {"--stride", "0"}, "--stride must be ≥ 1"),
                Arguments.of(new String[] {"--tile", "7"}, "--tile 7 does not fit N = 128"),
                Arguments.of(new String[] {"--lambda", "lots"}, "--lambda must be a number ≥ 0 or auto"),
                Arguments.of(new String[] {"--lambda", "-1"}, "lambda must be a finite number ≥ 0"),
                Arguments.of(new String[] {"--sim", "gpu"}, "--sim must be cpu or vulkan"),
                Arguments.of(new String[] {"--rank", "100000"}, "--rank 100000 exceeds the latent dimension"),
                Arguments.of(new String[] {"--compare-every", "0"}, "--compare-every must be ≥ 1"),
                Arguments.of(new String[] {"--window", "10", "--stride", "10"}, "choosing λ by validation needs at least 2 training pairs"),
                Arguments.of(new String[] {"--spinup", "-5"}, "--spinup must be ≥ 0"));
    }

    @ParameterizedTest
    @MethodSource("badSettings")
    void badSettingsAreUsageErrorsThatSayWhatIsWrong(String[] flags, String message, @TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        String[] args = Stream.concat(Stream.of("pipeline", "--out", out.toString(), "--quiet"), Stream.of(flags)).toArray(String[]::new);
        var o = CliTestAccess.eddy(args);
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains(message), "message should contain '" + message + "': " + o.err());
        assertFalse(Files.exists(out), "nothing is written for a refused setting");
    }

    @ParameterizedTest
    @MethodSource("outputs")
    void anOutputPathThatIsAFileOrHoldsFilesIsRefused(String what, @TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        if (what.equals("file")) {
            Files.writeString(out, "precious");
        } else {
            Files.createDirectories(out);
            Files.writeString(out.resolve("keep.txt"), "precious");
        }
        var o = CliTestAccess.eddy("pipeline", "--out", out.toString(), "--quiet");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains(what.equals("file") ? "is a file" : "is not empty"), o.err());
        assertEquals("precious", Files.readString(what.equals("file") ? out : out.resolve("keep.txt")));
    }

    static Stream<String> outputs() {
        return Stream.of("file", "non-empty directory");
    }
}
