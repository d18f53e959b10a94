package dev.eddy.gpu;

import static org.lwjgl.vulkan.VK10.*;
import static org.lwjgl.vulkan.VK11.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VkPhysicalDevice;
import org.lwjgl.vulkan.VkPhysicalDeviceFeatures;
import org.lwjgl.vulkan.VkPhysicalDeviceMemoryProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceProperties2;
import org.lwjgl.vulkan.VkPhysicalDeviceProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceSubgroupProperties;

/**
 * What Eddy needs to know about one physical device (also what {@code eddy devices} prints).
 *
 * @param maxSharedMemory       bytes of shared memory one compute workgroup may use (the fused LES step's row stage needs 32 KB)
 * @param maxStorageBufferRange the largest range one storage-buffer binding may have: no buffer a shader
 *                              binds whole may be larger (an ensemble splits its members into groups below it)
 */
public record DeviceInfo(int index, String name, String type, int vendorId, int deviceId, int driverVersion,
                         String driverVersionText, String apiVersion, List<Long> deviceLocalHeaps, List<Long> hostHeaps,
                         int[] maxWorkGroupSize, int maxWorkGroupInvocations, int subgroupSize, boolean float64,
                         float timestampPeriodNs, long maxStorageBufferRange, int maxSharedMemory) {

    public boolean discrete() {
        return "discrete-gpu".equals(type);
    }

    public long deviceLocalBytes() {
        return deviceLocalHeaps.stream().mapToLong(Long::longValue).sum();
    }

    /**
     * This device as Eddy may use it with {@code masked} features turned off (see
     * {@link ContextOptions#maskedFeatures()}): what it reports is what the logical device enables.
     */
    DeviceInfo masking(java.util.Set<String> masked) {
        if (!masked.contains(ContextOptions.FLOAT64) || !float64) {
            return this;
        }
        return new DeviceInfo(index, name, type, vendorId, deviceId, driverVersion, driverVersionText, apiVersion,
                deviceLocalHeaps, hostHeaps, maxWorkGroupSize, maxWorkGroupInvocations, subgroupSize, false, timestampPeriodNs,
                maxStorageBufferRange, maxSharedMemory);
    }

    static DeviceInfo describe(int index, VkPhysicalDevice pd) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            VkPhysicalDeviceProperties p = VkPhysicalDeviceProperties.calloc(stack);
            vkGetPhysicalDeviceProperties(pd, p);
            int subgroup = 0;
            if (p.apiVersion() >= VK_API_VERSION_1_1) {
                VkPhysicalDeviceSubgroupProperties sg = VkPhysicalDeviceSubgroupProperties.calloc(stack)
                        .sType$Default();
                VkPhysicalDeviceProperties2 p2 = VkPhysicalDeviceProperties2.calloc(stack).sType$Default().pNext(sg);
                vkGetPhysicalDeviceProperties2(pd, p2);
                subgroup = sg.subgroupSize();
            }
            VkPhysicalDeviceFeatures f = VkPhysicalDeviceFeatures.calloc(stack);
            vkGetPhysicalDeviceFeatures(pd, f);
            VkPhysicalDeviceMemoryProperties m = VkPhysicalDeviceMemoryProperties.calloc(stack);
            vkGetPhysicalDeviceMemoryProperties(pd, m);
            List<Long> local = new ArrayList<>();
            List<Long> host = new ArrayList<>();
            for (int h = 0; h < m.memoryHeapCount(); h++) {
                boolean isLocal = (m.memoryHeaps(h).flags() & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0;
                (isLocal ? local : host).add(m.memoryHeaps(h).size());
            }
            var lim = p.limits();
            int[] wg = {lim.maxComputeWorkGroupSize(0), lim.maxComputeWorkGroupSize(1), lim.maxComputeWorkGroupSize(2)};
            return new DeviceInfo(index, p.deviceNameString(), typeName(p.deviceType()), p.vendorID(), p.deviceID(),
                    p.driverVersion(), driverVersionText(p.vendorID(), p.driverVersion()), versionText(p.apiVersion()),
                    List.copyOf(local), List.copyOf(host), wg, lim.maxComputeWorkGroupInvocations(), subgroup,
                    f.shaderFloat64(), lim.timestampPeriod(), Integer.toUnsignedLong(lim.maxStorageBufferRange()),
                    lim.maxComputeSharedMemorySize());
        }
    }

    static String typeName(int t) {
        return switch (t) {
            case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU -> "discrete-gpu";
            case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU -> "integrated-gpu";
            case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU -> "virtual-gpu";
            case VK_PHYSICAL_DEVICE_TYPE_CPU -> "cpu";
            default -> "other";
        };
    }

    static String versionText(int v) {
        return VK_API_VERSION_MAJOR(v) + "." + VK_API_VERSION_MINOR(v) + "." + VK_API_VERSION_PATCH(v);
    }

    /** NVIDIA packs its driver version as 10.8.8.6 bits; everyone else (Mesa included) uses VK_MAKE_VERSION. */
    static String driverVersionText(int vendor, int v) {
        if (vendor == 0x10DE) {
            return String.format(Locale.ROOT, "%d.%d.%d", v >>> 22, (v >>> 14) & 0xff, (v >>> 6) & 0xff);
        }
        return VK_VERSION_MAJOR(v) + "." + VK_VERSION_MINOR(v) + "." + VK_VERSION_PATCH(v);
    }

    /** A JSON-ready view. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", index);
        m.put("name", name);
        m.put("type", type);
        m.put("vendor_id", String.format(Locale.ROOT, "0x%04x", vendorId));
        m.put("device_id", String.format(Locale.ROOT, "0x%04x", deviceId));
        m.put("driver_version", driverVersionText);
        m.put("driver_version_raw", Integer.toUnsignedLong(driverVersion));
        m.put("api_version", apiVersion);
        m.put("device_local_heap_bytes", deviceLocalHeaps);
        m.put("host_heap_bytes", hostHeaps);
        m.put("max_compute_workgroup_size", List.of(maxWorkGroupSize[0], maxWorkGroupSize[1], maxWorkGroupSize[2]));
        m.put("max_compute_workgroup_invocations", maxWorkGroupInvocations);
        m.put("subgroup_size", subgroupSize);
        m.put("float64", float64);
        m.put("timestamp_period_ns", timestampPeriodNs);
        m.put("max_storage_buffer_range", maxStorageBufferRange);
        m.put("max_compute_shared_memory", maxSharedMemory);
        return m;
    }
}
