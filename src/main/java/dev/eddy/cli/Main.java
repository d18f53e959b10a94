package dev.eddy.cli;

import dev.eddy.config.ConfigException;
import dev.eddy.io.CorruptFileException;
import dev.eddy.io.Versions;
import dev.eddy.sim.SimulationDivergedException;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code eddy} command line. */
@Command(name = "eddy", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "2D spectral LES of turbulence, latent + ternary-residual codec, linear proxy — CPU and Vulkan GPU.",
        subcommands = {RunCommand.class, EnsembleCommand.class, PipelineCommand.class, CompareCommand.class, EncodeCommand.class,
                DecodeCommand.class, ReportCommand.class, BenchCommand.class, DevicesCommand.class, PresetsCommand.class,
                CommandLine.HelpCommand.class, picocli.AutoComplete.GenerateCompletion.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is required");
    }

    /** Prints the version of Eddy and of the runtime. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            var s = Versions.software();
            return new String[] {"eddy " + s.get("eddy"), "java " + s.get("java") + " (" + s.get("java_vendor") + ")",
                    "JTransforms " + s.get("jtransforms") + ", jhdf " + s.get("jhdf")};
        }
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        versionEverywhere(cl);
        // picocli's bash/zsh completion script: eddy generate-completion > /etc/bash_completion.d/eddy
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        cl.setExecutionExceptionHandler(Main::handle);
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("eddy: " + ex.getMessage());
            err.println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help' for usage.");
            return ExitCodes.USAGE;
        });
        return cl;
    }

    /** `eddy run --version` and every other subcommand print the same as `eddy --version`. */
    private static void versionEverywhere(CommandLine cl) {
        cl.getCommandSpec().versionProvider(new Version());
        for (CommandLine sub : cl.getSubcommands().values()) {
            versionEverywhere(sub);
        }
    }

    /** Maps failures to a one-line message and an exit code; a stack trace only with EDDY_DEBUG=1. */
    static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        int code;
        if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
            code = ExitCodes.USAGE;
        } else if (e instanceof SimulationDivergedException || e instanceof dev.eddy.sim.UnhealthyRunException) {
            code = ExitCodes.DIVERGED;
        } else if (e instanceof dev.eddy.run.RunInterruptedException) {
            code = ExitCodes.INTERRUPTED;
        } else {
            code = ExitCodes.RUNTIME;
        }
        String what = switch (e) {
            // no Vulkan loader / device: the message says what is missing; exit code RUNTIME (1)
            case dev.eddy.gpu.GpuUnavailableException g -> g.getMessage();
            case CorruptFileException c -> "corrupt file: " + c.getMessage();
            case java.nio.file.NoSuchFileException n -> "no such file: " + n.getMessage();
            case java.nio.file.AccessDeniedException a -> "permission denied: " + a.getMessage();
            case IOException io -> "I/O error: " + io.getMessage()
                    + (String.valueOf(io.getMessage()).contains("No space") ? " (the disk is full; files already written are kept)" : "");
            default -> e.getMessage() != null ? e.getMessage() : e.toString();
        };
        err.println("eddy: " + what);
        if ("1".equals(System.getenv("EDDY_DEBUG"))) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    public static void main(String[] args) {
        dev.eddy.viz.Headless.ensure();
        int code;
        try {
            code = commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            // the CPU paths estimate their memory up front; this is the net under whatever they did not foresee
            System.err.println("eddy: out of memory (" + e.getMessage() + ", heap " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB): raise the heap with EDDY_JAVA_OPTS=-Xmx…, or use a smaller N; files already written are kept");
            code = ExitCodes.RUNTIME;
        }
        System.exit(code);
    }
}
