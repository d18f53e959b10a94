package dev.eddy.cli;

/** Lets tests of other packages run the command line as {@link CliTest} does. */
public final class CliTestAccess {
    private CliTestAccess() {
    }

    public record Outcome(int code, String err) {
    }

    public static Outcome eddy(String... args) {
        CliTest.Outcome o = CliTest.eddy(args);
        return new Outcome(o.code(), o.err());
    }
}
