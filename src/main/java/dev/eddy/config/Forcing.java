package dev.eddy.config;

/**
 * Body forcing. {@code none}: decaying turbulence. {@code kolmogorov}: the body force
 * f = (A sin(k_f y), 0), i.e. the vorticity source F = −A k_f cos(k_f y).
 */
public record Forcing(Kind kind, int kf, double amplitude) {
    public enum Kind {
        NONE, KOLMOGOROV;

        @com.fasterxml.jackson.annotation.JsonValue
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        @com.fasterxml.jackson.annotation.JsonCreator
        public static Kind parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "none" -> NONE;
                case "kolmogorov" -> KOLMOGOROV;
                default -> throw new ConfigException("forcing must be none or kolmogorov, got '" + s + "'");
            };
        }
    }

    public static final Forcing NONE = new Forcing(Kind.NONE, 4, 0);

    public Forcing {
        ConfigException.require(kind != null, "forcing kind must be none or kolmogorov");
        ConfigException.finite(amplitude, "forcing amplitude");
        if (kind == Kind.KOLMOGOROV) {
            ConfigException.require(kf >= 1, "Kolmogorov forcing wavenumber kf must be ≥ 1, got " + kf);
        }
    }
}
