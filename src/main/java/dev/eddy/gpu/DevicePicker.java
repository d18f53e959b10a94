package dev.eddy.gpu;

import java.util.List;
import java.util.Locale;

/** Chooses one device from the list by {@link ContextOptions#device()}; pure, so testable without Vulkan. */
public final class DevicePicker {
    private DevicePicker() {
    }

    /** The index of the device to use; throws {@link GpuUnavailableException} when none fits. */
    public static int pick(List<DeviceInfo> devices, String selector) {
        if (devices.isEmpty()) {
            throw new GpuUnavailableException(VulkanInstance.noDeviceMessage());
        }
        if (selector == null || selector.isBlank()) {
            for (int i = 0; i < devices.size(); i++) {
                if (devices.get(i).discrete()) {
                    return i;
                }
            }
            return 0;
        }
        String s = selector.strip();
        if (s.chars().allMatch(Character::isDigit)) {
            int i = Integer.parseInt(s);
            if (i < devices.size()) {
                return i;
            }
        } else {
            String want = s.toLowerCase(Locale.ROOT);
            for (int i = 0; i < devices.size(); i++) {
                if (devices.get(i).name().toLowerCase(Locale.ROOT).contains(want)) {
                    return i;
                }
            }
        }
        StringBuilder have = new StringBuilder();
        for (int i = 0; i < devices.size(); i++) {
            have.append(i == 0 ? "" : ", ").append(i).append(": ").append(devices.get(i).name());
        }
        throw new GpuUnavailableException("no Vulkan device matches '" + s + "' (devices: " + have + ")");
    }
}
