package dev.eddy.sim;

/** A {@code --strict} run crossed its health bounds (grid-scale noise); the last checkpoint is kept. */
public final class UnhealthyRunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnhealthyRunException(String message) {
        super(message);
    }
}
