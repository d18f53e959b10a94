package dev.eddy.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON mapper: records in, records out, pretty-printed, unknown keys rejected. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private Json() {
    }

    /**
     * Reads a JSON file into a record; an unreadable or invalid file is a {@link CorruptFileException} that
     * names {@code what} it should hold (never a parser's internal text).
     */
    public static <T> T read(java.nio.file.Path file, Class<T> type, String what) throws java.io.IOException {
        if (!java.nio.file.Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        try {
            return MAPPER.readValue(file.toFile(), type);
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new CorruptFileException(file, "invalid " + what + ": " + c.getMessage());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CorruptFileException(file, "unreadable " + what + ": " + e.getOriginalMessage());
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }
}
