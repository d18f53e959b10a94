package dev.eddy.gpu;

import static org.lwjgl.vulkan.VK10.VK_ERROR_DEVICE_LOST;

import java.util.Locale;

/**
 * A test hook for GPU faults that cannot be caused on demand: it makes the Nth submission of a
 * context fail as a faulty GPU would, so that what Eddy does next is tried on a real device and a
 * real run. Off unless the system property {@value #PROPERTY} is set when the context opens, to
 * {@code KIND@N} (the Nth submission of any kind, counted from 1) or {@code KIND@N:NAME} (the Nth
 * run of the program or copy named NAME, e.g. {@code les-step}), where KIND is
 * <ul>
 * <li>{@code device-lost}: the submission runs, then its fence wait reports VK_ERROR_DEVICE_LOST,
 *     and so does every wait after it, as on a lost device (the work itself has finished, so nothing
 *     is left in flight that the teardown could trip on);</li>
 * <li>{@code hang}: the submission is withheld, so its fence never signals and the real
 *     vkWaitForFences runs into its limit, as it would on a hung GPU.</li>
 * </ul>
 */
final class FaultInjection {
    static final String PROPERTY = "eddy.gpu.injectFault";

    enum Fault { NONE, DEVICE_LOST, HANG }

    private final Fault fault;
    private final long at;
    private final String name;
    private long count;
    private volatile boolean lost;

    private FaultInjection(Fault fault, long at, String name) {
        this.fault = fault;
        this.at = at;
        this.name = name;
    }

    static FaultInjection fromProperty() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return new FaultInjection(Fault.NONE, 0, null);
        }
        String bad = PROPERTY + " must be device-lost@N, hang@N, device-lost@N:NAME or hang@N:NAME with N ≥ 1, got '" + v + "'";
        String[] kindAndRest = v.strip().split("@", 2);
        Fault f = switch (kindAndRest[0].toLowerCase(Locale.ROOT)) {
            case "device-lost" -> Fault.DEVICE_LOST;
            case "hang" -> Fault.HANG;
            default -> throw new IllegalArgumentException(bad);
        };
        if (kindAndRest.length != 2) {
            throw new IllegalArgumentException(bad);
        }
        String[] countAndName = kindAndRest[1].split(":", 2);
        long n;
        try {
            n = Long.parseLong(countAndName[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(bad, e);
        }
        if (n < 1) {
            throw new IllegalArgumentException(bad);
        }
        return new FaultInjection(f, n, countAndName.length == 2 ? countAndName[1] : null);
    }

    /** Counts one submission of {@code what} and says which fault, if any, it is to suffer. */
    synchronized Fault next(String what) {
        if (fault == Fault.NONE || (name != null && !name.equals(what))) {
            return Fault.NONE;
        }
        count++;
        if (count != at) {
            return Fault.NONE;
        }
        lost = fault == Fault.DEVICE_LOST;
        return fault;
    }

    /** What a wait reports, given what the real one returned: VK_ERROR_DEVICE_LOST from the injected loss on. */
    int waitResult(int real) {
        return lost ? VK_ERROR_DEVICE_LOST : real;
    }
}
