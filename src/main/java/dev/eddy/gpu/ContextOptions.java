package dev.eddy.gpu;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * How to open a {@link VulkanContext}.
 *
 * @param device         null or blank: prefer a discrete GPU, else the first device; a number: that index
 *                       in {@code eddy devices}; otherwise a case-insensitive substring of the device name
 * @param validation     enable the Khronos validation layer (debug only; slow)
 * @param maskedFeatures device features to treat as absent even where the device has them (a test and
 *                       diagnosis aid: it is how a device without float64 is tried on one that has it).
 *                       A masked feature is reported absent by {@link DeviceInfo} and is not enabled in
 *                       the logical device, so shaders that need it cannot run. Known: {@value #FLOAT64}.
 */
public record ContextOptions(String device, boolean validation, Set<String> maskedFeatures) {
    /** The system property read by {@link #defaults()} and {@link #withDevice}: a comma-separated list of features to mask. */
    public static final String MASK_PROPERTY = "eddy.gpu.maskFeatures";
    /** shaderFloat64: double-precision arithmetic in shaders. */
    public static final String FLOAT64 = "float64";
    private static final Set<String> KNOWN = Set.of(FLOAT64);

    public ContextOptions {
        maskedFeatures = Set.copyOf(maskedFeatures);
        for (String f : maskedFeatures) {
            if (!KNOWN.contains(f)) {
                // a typo in a diagnosis flag must not silently test nothing
                throw new IllegalArgumentException("unknown device feature '" + f + "' in " + MASK_PROPERTY + " (known: "
                        + new TreeSet<>(KNOWN) + ")");
            }
        }
    }

    /** No features masked beyond what {@link #MASK_PROPERTY} says. */
    public ContextOptions(String device, boolean validation) {
        this(device, validation, maskedFromProperty());
    }

    /** The defaults, with validation switched on by the environment variable EDDY_VK_VALIDATION=1. */
    public static ContextOptions defaults() {
        return withDevice(null);
    }

    public static ContextOptions withDevice(String device) {
        return new ContextOptions(device, "1".equals(System.getenv("EDDY_VK_VALIDATION")));
    }

    /** The features named by the system property {@value #MASK_PROPERTY} (e.g. {@code -Deddy.gpu.maskFeatures=float64}). */
    public static Set<String> maskedFromProperty() {
        String v = System.getProperty(MASK_PROPERTY, "");
        Set<String> out = new TreeSet<>();
        Arrays.stream(v.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(out::add);
        return out;
    }

    public boolean masks(String feature) {
        return maskedFeatures.contains(feature);
    }
}
