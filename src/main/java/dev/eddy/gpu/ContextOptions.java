package dev.eddy.gpu;

/**
 * How to open a {@link VulkanContext}.
 *
 * @param device     null or blank: prefer a discrete GPU, else the first device; a number: that index
 *                   in {@code eddy devices}; otherwise a case-insensitive substring of the device name
 * @param validation enable the Khronos validation layer (debug only; slow)
 */
public record ContextOptions(String device, boolean validation) {

    /** The defaults, with validation switched on by the environment variable EDDY_VK_VALIDATION=1. */
    public static ContextOptions defaults() {
        return withDevice(null);
    }

    public static ContextOptions withDevice(String device) {
        return new ContextOptions(device, "1".equals(System.getenv("EDDY_VK_VALIDATION")));
    }
}
