package dev.eddy.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which engine a stage runs on, as a setting (saved in config.json as "cpu" or "vulkan"). The running
 * engine itself, with its threads or its Vulkan context, is a Backend value made from it (package backend).
 */
public enum BackendKind {
    CPU("cpu"),
    VULKAN("vulkan");

    private final String label;

    BackendKind(String label) {
        this.label = label;
    }

    @JsonValue
    public String label() {
        return label;
    }

    /** "cpu" or "vulkan" (case-insensitive); anything else is refused with the choices. */
    @JsonCreator
    public static BackendKind parse(String s) {
        return parse("backend", s);
    }

    /** As {@link #parse(String)}, naming {@code what} (a flag such as "--sim") in the refusal. */
    public static BackendKind parse(String what, String s) {
        for (BackendKind k : values()) {
            if (k.label.equalsIgnoreCase(s == null ? "" : s.strip())) {
                return k;
            }
        }
        throw new ConfigException(what + " must be " + choices() + ", got " + s);
    }

    public static String choices() {
        return Arrays.stream(values()).map(BackendKind::label).collect(Collectors.joining(" or "));
    }

    @Override
    public String toString() {
        return label.toLowerCase(Locale.ROOT);
    }
}
