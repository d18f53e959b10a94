package dev.eddy.gpu;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One allocation of a memory map, as planned or as allocated: the same record describes a buffer in
 * {@code eddy run --explain} (computed from the settings, no device) and in the metrics of a real run,
 * so the two can be compared entry by entry.
 *
 * @param memory   where it lives: device-local working memory, or host-visible staging
 * @param lifetime what it holds and for how long, in words
 * @param movement how it moves between host and device
 */
public record BufferSpec(String name, long bytes, Memory memory, String lifetime, DeviceBuffer.Movement movement) {
    /** The two kinds of memory Eddy allocates (design §1: working buffers device-local, transfers through staging). */
    public enum Memory { DEVICE_LOCAL, HOST_VISIBLE }

    public BufferSpec {
        if (bytes <= 0) {
            throw new IllegalArgumentException("buffer '" + name + "' needs a positive size, got " + bytes);
        }
    }

    /** One line of the memory map (the metrics JSON key {@code memory_map}). */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("bytes", bytes);
        m.put("memory", memory.name().toLowerCase(Locale.ROOT));
        m.put("lifetime", lifetime);
        m.put("movement", movement.name().toLowerCase(Locale.ROOT));
        return m;
    }
}
