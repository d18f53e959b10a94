package dev.eddy.gpu;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class TransferLedgerTest {
    @Test
    void mergesByStageDirectionAndBuffer() {
        TransferLedger l = new TransferLedger();
        l.record("init", TransferLedger.Direction.HOST_TO_DEVICE, "omega_hat", 100);
        l.record("snapshot", TransferLedger.Direction.DEVICE_TO_HOST, "omega", 40);
        l.record("snapshot", TransferLedger.Direction.DEVICE_TO_HOST, "omega", 40);
        assertEquals(100, l.totalBytes(TransferLedger.Direction.HOST_TO_DEVICE));
        assertEquals(80, l.totalBytes(TransferLedger.Direction.DEVICE_TO_HOST));
        assertEquals(3, l.totalCopies());
        List<Map<String, Object>> s = l.snapshot();
        assertEquals(2, s.size());
        assertEquals(Map.of("stage", "snapshot", "direction", "device_to_host", "buffer", "omega", "copies", 2L, "bytes", 80L), s.get(1));
    }
}
