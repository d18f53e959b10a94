package dev.eddy.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The fence-wait limit and the fault hook's settings (pure: no device needed). */
@Tag("fast")
class WaitLimitTest {

    @Test
    void theLimitIsTheFloorUntilTheDeviceHasShownItsPaceThenScalesWithIt() {
        WaitLimit w = new WaitLimit(2);
        assertEquals(2e9, w.nanos(1000), 1, "before any submission finished: the floor, whatever the batch");
        w.observe(100_000_000L, 10); // 10 replays in 0.1 s: 0.01 s a replay
        assertEquals((2 + 10 * WaitLimit.MARGIN * 0.01) * 1e9, w.nanos(10), 1e3);
        assertEquals((2 + 1000 * WaitLimit.MARGIN * 0.01) * 1e9, w.nanos(1000), 1e3);
        w.observe(1_000_000L, 1); // a faster one does not lower it
        assertEquals((2 + 10 * WaitLimit.MARGIN * 0.01) * 1e9, w.nanos(10), 1e3);
        assertEquals(2e9, w.graceNanos(), 1, "the grace at close is the floor when that is short");
        assertEquals(WaitLimit.CLOSE_GRACE_SECONDS * 1e9, new WaitLimit(WaitLimit.DEFAULT_FLOOR_SECONDS).graceNanos(), 1);
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        for (String bad : new String[] {"0", "-5", "abc", "NaN", "Infinity"}) {
            String before = System.setProperty(WaitLimit.PROPERTY, bad);
            try {
                var e = assertThrows(IllegalArgumentException.class, WaitLimit::fromProperty, bad);
                assertTrue(e.getMessage().contains(WaitLimit.PROPERTY), e.getMessage());
            } finally {
                restore(WaitLimit.PROPERTY, before);
            }
        }
        for (String bad : new String[] {"lost@3", "hang", "hang@0", "hang@x", "device-lost@-1:les-step"}) {
            String before = System.setProperty(FaultInjection.PROPERTY, bad);
            try {
                var e = assertThrows(IllegalArgumentException.class, FaultInjection::fromProperty, bad);
                assertTrue(e.getMessage().contains(FaultInjection.PROPERTY), e.getMessage());
            } finally {
                restore(FaultInjection.PROPERTY, before);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new ContextOptions(null, false, java.util.Set.of("float65")));
    }

    @Test
    void theFaultHitsTheNthSubmissionOfTheNamedProgramOnly() {
        String before = System.setProperty(FaultInjection.PROPERTY, "device-lost@2:les-step");
        try {
            FaultInjection f = FaultInjection.fromProperty();
            assertEquals(FaultInjection.Fault.NONE, f.next("les-step"));
            assertEquals(FaultInjection.Fault.NONE, f.next("upload to 'omega'"));
            assertEquals(0, f.waitResult(0));
            assertEquals(FaultInjection.Fault.DEVICE_LOST, f.next("les-step"));
            assertEquals(org.lwjgl.vulkan.VK10.VK_ERROR_DEVICE_LOST, f.waitResult(0), "every wait after the loss reports it");
            assertEquals(FaultInjection.Fault.NONE, f.next("les-step"));
        } finally {
            restore(FaultInjection.PROPERTY, before);
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
