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

    /**
     * The devices of {@code --devices}: "all" (every device, in order), or indices "0,2,…" into
     * {@code devices}. A device named twice is refused unless {@code allowRepeat} (several contexts on one
     * device: how a test runs two devices on a machine with one).
     */
    public static List<Integer> pickAll(List<DeviceInfo> devices, String spec, boolean allowRepeat) {
        if (devices.isEmpty()) {
            throw new GpuUnavailableException(VulkanInstance.noDeviceMessage());
        }
        String s = spec.strip();
        List<Integer> out = new java.util.ArrayList<>();
        if (s.equalsIgnoreCase("all")) {
            for (int i = 0; i < devices.size(); i++) {
                out.add(i);
            }
            return out;
        }
        for (String item : s.split(",")) {
            String t = item.strip();
            if (t.isEmpty() || !t.chars().allMatch(Character::isDigit) || t.length() > 9) {
                throw new IllegalArgumentException("--devices takes all or device indices I,I,… (see 'eddy devices'), got '" + spec + "'");
            }
            int i = pick(devices, t); // an index beyond the list: "no Vulkan device matches", with the list
            if (out.contains(i) && !allowRepeat) {
                throw new IllegalArgumentException("--devices " + spec + " names device " + i + " twice (add --allow-device-repeat to open"
                        + " several contexts on one device, a test aid that is no faster)");
            }
            out.add(i);
        }
        return out;
    }
}
