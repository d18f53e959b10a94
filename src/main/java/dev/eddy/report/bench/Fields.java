package dev.eddy.report.bench;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Optional reads from benchmark JSON. Files written by older versions lack keys later versions add, so
 * every read says what to do when a key is missing (null, or the first of several names present).
 */
final class Fields {
    private Fields() {
    }

    /** The first of {@code keys} that holds a finite number, or null. */
    static Double number(JsonNode node, String... keys) {
        for (String k : keys) {
            JsonNode v = node.path(k);
            if (v.isNumber() && Double.isFinite(v.asDouble())) {
                return v.asDouble();
            }
        }
        return null;
    }

    /** The first of {@code keys} that holds an integral number, or null. */
    static Integer integer(JsonNode node, String... keys) {
        for (String k : keys) {
            JsonNode v = node.path(k);
            if (v.isIntegralNumber()) {
                return v.asInt();
            }
        }
        return null;
    }

    /** The first of {@code keys} that holds text, or null. */
    static String text(JsonNode node, String... keys) {
        for (String k : keys) {
            JsonNode v = node.path(k);
            if (v.isTextual() && !v.asText().isBlank()) {
                return v.asText();
            }
        }
        return null;
    }
}
