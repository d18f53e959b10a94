package dev.eddy.cli;

/** Eddy's exit codes (the README has the table). */
public final class ExitCodes {
    public static final int OK = 0;
    /** A runtime failure: I/O, a corrupt file, a missing or failing GPU. */
    public static final int RUNTIME = 1;
    /** Bad usage: an unknown flag, a setting that cannot be run. */
    public static final int USAGE = 2;
    /** The simulation blew up (NaN/Inf), or a --strict run failed its health check; the last checkpoint is kept. */
    public static final int DIVERGED = 3;
    /** Interrupted (SIGINT/SIGTERM) after saving a checkpoint. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {
    }
}
