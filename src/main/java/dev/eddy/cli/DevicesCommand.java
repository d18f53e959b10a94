package dev.eddy.cli;

import dev.eddy.gpu.DeviceInfo;
import dev.eddy.gpu.DevicePicker;
import dev.eddy.gpu.GpuUnavailableException;
import dev.eddy.gpu.VulkanInstance;
import dev.eddy.io.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eddy devices}: the Vulkan devices this machine has, and which one Eddy would use. */
@Command(name = "devices", header = "List the Vulkan devices and the one Eddy picks.",
        mixinStandardHelpOptions = true, sortOptions = false,
        description = {"List Vulkan devices (type, ids, driver, memory, compute limits, float64) and the one",
                "Eddy picks: --device if given, else the first discrete GPU, else device 0."})
public final class DevicesCommand implements Callable<Integer> {
    @Option(names = "--device", paramLabel = "INDEX|NAME", description = "show which device this selector picks")
    String device;
    @Option(names = "--json", description = "print JSON") boolean json;

    @Override
    public Integer call() {
        List<DeviceInfo> devices;
        try (VulkanInstance vk = new VulkanInstance("1".equals(System.getenv("EDDY_VK_VALIDATION")))) {
            devices = vk.devices();
        }
        if (devices.isEmpty()) {
            throw new GpuUnavailableException(VulkanInstance.noDeviceMessage());
        }
        int picked = DevicePicker.pick(devices, device);
        if (json) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (DeviceInfo d : devices) {
                Map<String, Object> m = d.toMap();
                m.put("picked", d.index() == picked);
                list.add(m);
            }
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("devices", list);
            doc.put("picked", picked);
            System.out.println(Json.write(doc));
            return ExitCodes.OK;
        }
        for (DeviceInfo d : devices) {
            System.out.printf(Locale.ROOT, "%s[%d] %s%n", d.index() == picked ? "* " : "  ", d.index(), d.name());
            System.out.printf(Locale.ROOT, "      type %s, vendor 0x%04x, device 0x%04x, driver %s, Vulkan %s%n", d.type(),
                    d.vendorId(), d.deviceId(), d.driverVersionText(), d.apiVersion());
            System.out.printf(Locale.ROOT, "      device-local memory %.2f GiB (heaps %s), host heaps %s%n",
                    d.deviceLocalBytes() / (double) (1L << 30), gib(d.deviceLocalHeaps()), gib(d.hostHeaps()));
            System.out.printf(Locale.ROOT, "      compute workgroup max %d×%d×%d, %d invocations; subgroup %d; float64 %s%n",
                    d.maxWorkGroupSize()[0], d.maxWorkGroupSize()[1], d.maxWorkGroupSize()[2], d.maxWorkGroupInvocations(),
                    d.subgroupSize(), d.float64() ? "yes" : "no");
        }
        System.out.printf(Locale.ROOT, "Eddy would use [%d] %s%s%n", picked, devices.get(picked).name(),
                device == null ? " (first discrete GPU, else device 0; choose with --device INDEX|NAME)" : "");
        return ExitCodes.OK;
    }

    private static String gib(List<Long> heaps) {
        return heaps.stream().map(b -> String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30))).toList().toString();
    }
}
