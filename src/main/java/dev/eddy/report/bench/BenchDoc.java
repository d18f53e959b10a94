package dev.eddy.report.bench;

import com.fasterxml.jackson.databind.JsonNode;

/** One benchmark file that was recognised: where it comes from, and its JSON (an object, or an array for encode reports). */
public record BenchDoc(BenchSource source, JsonNode root) {
    /** The results of an {@code eddy-bench/1} file, or the entries of an encode report array. */
    public Iterable<JsonNode> rows() {
        return root.isArray() ? root : root.path("results");
    }
}
