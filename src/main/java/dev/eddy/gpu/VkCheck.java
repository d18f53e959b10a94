package dev.eddy.gpu;

import static org.lwjgl.vulkan.VK10.*;

/** The one helper that turns a {@code VkResult} into an exception saying what failed. */
public final class VkCheck {
    private VkCheck() {
    }

    /**
     * Throws a {@link GpuException} "{@code what} failed: VK_ERROR_…" unless {@code result} is VK_SUCCESS;
     * VK_ERROR_DEVICE_LOST becomes a {@link GpuDeviceLostException}, which callers must not retry.
     */
    public static void check(int result, String what) {
        if (result == VK_ERROR_DEVICE_LOST) {
            throw new GpuDeviceLostException(lostMessage(null, what));
        }
        if (result != VK_SUCCESS) {
            throw new GpuException(what + " failed: " + name(result) + " (" + result + ")");
        }
    }

    /** What a lost device ({@code device}: its name, or null) means for the user; the run adds where its last checkpoint is. */
    static String lostMessage(String device, String what) {
        return "the GPU" + (device == null ? "" : " '" + device + "'") + " was lost during " + what + " (VK_ERROR_DEVICE_LOST: a driver reset, a GPU fault such as an"
                + " NVIDIA Xid in the kernel log, or another process brought the device down); no further GPU work is attempted";
    }

    static String name(int result) {
        return switch (result) {
            case VK_SUCCESS -> "VK_SUCCESS";
            case VK_NOT_READY -> "VK_NOT_READY";
            case VK_TIMEOUT -> "VK_TIMEOUT";
            case VK_INCOMPLETE -> "VK_INCOMPLETE";
            case VK_ERROR_OUT_OF_HOST_MEMORY -> "VK_ERROR_OUT_OF_HOST_MEMORY";
            case VK_ERROR_OUT_OF_DEVICE_MEMORY -> "VK_ERROR_OUT_OF_DEVICE_MEMORY";
            case VK_ERROR_INITIALIZATION_FAILED -> "VK_ERROR_INITIALIZATION_FAILED";
            case VK_ERROR_DEVICE_LOST -> "VK_ERROR_DEVICE_LOST";
            case VK_ERROR_MEMORY_MAP_FAILED -> "VK_ERROR_MEMORY_MAP_FAILED";
            case VK_ERROR_LAYER_NOT_PRESENT -> "VK_ERROR_LAYER_NOT_PRESENT";
            case VK_ERROR_EXTENSION_NOT_PRESENT -> "VK_ERROR_EXTENSION_NOT_PRESENT";
            case VK_ERROR_FEATURE_NOT_PRESENT -> "VK_ERROR_FEATURE_NOT_PRESENT";
            case VK_ERROR_INCOMPATIBLE_DRIVER -> "VK_ERROR_INCOMPATIBLE_DRIVER";
            case VK_ERROR_TOO_MANY_OBJECTS -> "VK_ERROR_TOO_MANY_OBJECTS";
            case VK_ERROR_FORMAT_NOT_SUPPORTED -> "VK_ERROR_FORMAT_NOT_SUPPORTED";
            default -> "VkResult " + result;
        };
    }
}
