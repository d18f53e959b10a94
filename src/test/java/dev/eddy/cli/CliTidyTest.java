package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Issue 17's CLI items: --version everywhere, whole one-line summaries, eddy presets, the completion script. */
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
}
