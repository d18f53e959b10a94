package dev.eddy.config;

/** A setting that cannot be run: the message says which and why; the CLI maps it to exit code 2. */
public final class ConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public static void require(boolean ok, String message) {
        if (!ok) {
            throw new ConfigException(message);
        }
    }

    static void finite(double value, String name) {
        require(Double.isFinite(value), name + " must be a finite number, got " + value);
    }
}
