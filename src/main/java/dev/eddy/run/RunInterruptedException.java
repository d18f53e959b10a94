package dev.eddy.run;

/** The run was stopped by SIGINT/SIGTERM after saving a checkpoint; it can be continued with --restart. */
public final class RunInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunInterruptedException(long step, java.nio.file.Path dir) {
        super("interrupted at step " + step + ", checkpoint saved: continue with eddy run --restart " + dir);
    }
}
