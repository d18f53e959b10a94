package dev.eddy.cli;

import dev.eddy.config.ConfigLoader;
import dev.eddy.config.Presets;
import dev.eddy.config.RunConfig;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code eddy presets}: the named presets and what each sets. */
@Command(name = "presets", mixinStandardHelpOptions = true, header = "List the named presets (config/) and what they set.",
        description = {"Each preset is a JSON file of config/, packed in the jar; give it to run or pipeline with --preset NAME.",
                "Shown: N, precision, forcing, viscosity, C_s and the length of the run, as the preset resolves on the defaults."})
public final class PresetsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        for (String name : Presets.names()) {
            RunConfig c = new ConfigLoader().preset(name).build();
            var t = c.time();
            String length = t.steps() > 0 ? t.steps() + " steps" : "to t = " + t.endTime();
            out.printf(Locale.ROOT, "%-18s N = %d, %s, forcing %s, ν = %g, C_s = %g, %s%n", name, c.n(), c.precision().label(),
                    c.forcing().kind().label(), c.physics().nu(), c.physics().cs(), length);
        }
        out.flush();
        return ExitCodes.OK;
    }

}
