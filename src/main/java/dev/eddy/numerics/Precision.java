package dev.eddy.numerics;

/** Floating-point precision of a run's fields; every backend offers both. */
public enum Precision {
    FP32(4), FP64(8);

    private final int bytes;

    Precision(int bytes) {
        this.bytes = bytes;
    }

    /** Bytes of one real value. */
    public int bytes() {
        return bytes;
    }

    /** The name users type and read: {@code fp32} or {@code fp64}. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @com.fasterxml.jackson.annotation.JsonCreator
    public static Precision parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "fp32", "float32", "float", "f32" -> FP32;
            case "fp64", "float64", "double", "f64" -> FP64;
            default -> throw new IllegalArgumentException("precision must be fp32 or fp64, got '" + s + "'");
        };
    }
}
