package dev.eddy.gpu;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One planned host↔device copy, in the terms the {@link TransferLedger} records it (stage, direction,
 * buffer, bytes), plus where in the buffer it starts. The code that copies takes its range from the
 * same record that {@code eddy run --explain} prints, so the plan and the ledger cannot disagree on sizes.
 */
public record TransferSpec(String stage, TransferLedger.Direction direction, String buffer, long offset, long bytes) {
    public TransferSpec {
        if (offset < 0 || bytes <= 0) {
            throw new IllegalArgumentException("transfer of " + bytes + " bytes at " + offset + " of '" + buffer + "'");
        }
    }

    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stage", stage);
        m.put("direction", direction.name().toLowerCase(Locale.ROOT));
        m.put("buffer", buffer);
        m.put("bytes", bytes);
        return m;
    }
}
