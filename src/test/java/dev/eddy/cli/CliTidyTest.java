package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Issue 17's CLI items: --version everywhere, whole one-line summaries, eddy presets, the completion script; one
 * spelling and one default per codec setting in every command that encodes, and --codec meaning the codec's backend.
 */
@Tag("fast")
class CliTidyTest {
    static String out(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(new StringWriter(), true));
        assertEquals(0, cl.execute(args), String.join(" ", args));
        return out.toString();
    }

    @Test
    void everyCommandPrintsTheVersion() {
        String top = out("--version");
        assertTrue(top.startsWith("eddy "), top);
        for (String[] c : new String[][] {{"run"}, {"pipeline"}, {"encode"}, {"decode"}, {"report"}, {"bench"}, {"bench", "report"},
            {"devices"}, {"compare"}, {"presets"}}) {
            String[] args = java.util.Arrays.copyOf(c, c.length + 1);
            args[c.length] = "--version";
            assertEquals(top, out(args), String.join(" ", c));
        }
    }

    @Test
    void everySummaryIsAWholeSentence() {
        CommandLine cl = Main.commandLine();
        for (var e : cl.getSubcommands().entrySet()) {
            var usage = e.getValue().getCommandSpec().usageMessage();
            String summary = usage.header().length > 0 ? usage.header()[0] : usage.description()[0];
            assertTrue(summary.endsWith("."), e.getKey() + ": " + summary);
        }
    }

    @Test
    void presetsAreListedAndTheCompletionScriptIsGenerated() {
        String presets = out("presets");
        assertTrue(presets.contains("kolmogorov-256") && presets.contains("N = 256"), presets);
        String script = out("generate-completion");
        assertTrue(script.contains("complete") && script.contains("pipeline") && script.contains("--snapshot-dt"), script.substring(0, 200));
    }

    static CommandLine.Model.CommandSpec spec(String... path) {
        CommandLine cl = Main.commandLine();
        for (String name : path) {
            cl = cl.getSubcommands().get(name);
        }
        return cl.getCommandSpec();
    }

    /**
     * Every command that encodes spells each codec setting the same way, with the same default, label and help
     * (introspected from picocli's model, so a command that grows its own --k or --theta fails here).
     */
    @Test
    void codecSettingsHaveOneSpellingAndOneDefaultInEveryCommand() {
        var reference = spec("encode");
        var commands = java.util.Map.of("run", spec("run"), "pipeline", spec("pipeline"), "bench codec", spec("bench", "codec"),
                "ensemble score", spec("ensemble", "score"));
        java.util.Map<String, String> defaults = java.util.Map.of("--k", dev.eddy.codec.CodecSettings.DEFAULT_K,
                "--tile", dev.eddy.codec.CodecSettings.DEFAULT_TILE, "--theta", "0.7", "--smooth", "0");
        for (String name : CodecFlags.NAMES) {
            var want = reference.findOption(name);
            assertTrue(want != null && !want.hidden(), "encode " + name);
            if (defaults.containsKey(name)) {
                assertEquals(defaults.get(name), want.defaultValue(), "encode " + name);
                assertTrue(String.join(" ", want.description()).contains("(default " + defaults.get(name) + ")"), name);
            }
            for (var e : commands.entrySet()) {
                var got = e.getValue().findOption(name);
                assertTrue(got != null && !got.hidden(), e.getKey() + " lacks " + name);
                assertEquals(want.defaultValue(), got.defaultValue(), e.getKey() + " " + name + " default");
                assertEquals(want.paramLabel(), got.paramLabel(), e.getKey() + " " + name + " label");
                assertEquals(java.util.List.of(want.description()), java.util.List.of(got.description()), e.getKey() + " " + name);
                assertEquals(want.type(), got.type(), e.getKey() + " " + name + " type");
            }
        }
        assertEquals(Double.parseDouble(defaults.get("--theta")), dev.eddy.codec.CodecSettings.DEFAULT_THETA);
    }

    /** --codec is the codec's backend (pipeline) and nothing else: bench's mode is a subcommand, its old flag hidden. */
    @Test
    void codecMeansTheCodecsBackendWhereverItIsVisible() {
        CommandLine cl = Main.commandLine();
        java.util.List<String> visible = new java.util.ArrayList<>();
        java.util.ArrayDeque<CommandLine> todo = new java.util.ArrayDeque<>(java.util.List.of(cl));
        while (!todo.isEmpty()) {
            CommandLine c = todo.pop();
            todo.addAll(c.getSubcommands().values());
            var o = c.getCommandSpec().findOption("--codec");
            if (o != null && !o.hidden()) {
                visible.add(c.getCommandSpec().qualifiedName());
                assertTrue(String.join(" ", o.description()).contains("backend of the codec"), c.getCommandSpec().qualifiedName());
            }
            for (var opt : c.getCommandSpec().options()) {
                assertFalse(!opt.hidden() && opt.longestName().startsWith("--encode-"), c.getCommandSpec().qualifiedName()
                        + " shows the deprecated " + opt.longestName());
            }
        }
        assertEquals(java.util.List.of("eddy pipeline"), visible);
        assertTrue(spec("bench").subcommands().containsKey("codec"));
        assertTrue(spec("bench").findOption("--codec").hidden());
    }
}
