package dev.eddy.gpu;

import static dev.eddy.gpu.VkCheck.check;
import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.EXTDebugUtils.*;
import static org.lwjgl.vulkan.VK10.*;
import static org.lwjgl.vulkan.VK11.VK_API_VERSION_1_1;

import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.List;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VK;
import org.lwjgl.vulkan.VkApplicationInfo;
import org.lwjgl.vulkan.VkDebugUtilsMessengerCallbackDataEXT;
import org.lwjgl.vulkan.VkDebugUtilsMessengerCallbackEXT;
import org.lwjgl.vulkan.VkDebugUtilsMessengerCreateInfoEXT;
import org.lwjgl.vulkan.VkInstance;
import org.lwjgl.vulkan.VkInstanceCreateInfo;
import org.lwjgl.vulkan.VkLayerProperties;
import org.lwjgl.vulkan.VkPhysicalDevice;

/**
 * The Vulkan instance (API 1.1) and its physical devices. Loading the Vulkan loader and finding no
 * device are reported as {@link GpuUnavailableException}s that say what is missing.
 */
public final class VulkanInstance implements AutoCloseable {
    static final String VALIDATION_LAYER = "VK_LAYER_KHRONOS_validation";

    private final VkInstance instance;
    /** Host allocation callbacks (a {@link HostAllocationCounter}'s) or null; destroy must get the same ones. */
    private final org.lwjgl.vulkan.VkAllocationCallbacks allocator = HostAllocationCounter.current();
    private final long messenger;
    private VkDebugUtilsMessengerCallbackEXT callback;
    private final List<VkPhysicalDevice> physicalDevices;
    private final List<DeviceInfo> devices;

    /** An instance whose devices are masked as the system property {@value ContextOptions#MASK_PROPERTY} says. */
    public VulkanInstance(boolean validation) {
        this(validation, ContextOptions.maskedFromProperty());
    }

    /** An instance whose device list reports the {@code masked} features as absent (ContextOptions#maskedFeatures). */
    public VulkanInstance(boolean validation, java.util.Set<String> masked) {
        loadLoader();
        try (MemoryStack stack = stackPush()) {
            boolean layer = validation && hasLayer(stack, VALIDATION_LAYER);
            if (validation && !layer) {
                System.err.println("eddy: EDDY_VK_VALIDATION=1 but " + VALIDATION_LAYER
                        + " is not installed (Debian: vulkan-validationlayers); running without it");
            }
            VkApplicationInfo app = VkApplicationInfo.calloc(stack).sType$Default()
                    .pApplicationName(stack.UTF8("eddy")).pEngineName(stack.UTF8("eddy")).apiVersion(VK_API_VERSION_1_1);
            VkInstanceCreateInfo ci = VkInstanceCreateInfo.calloc(stack).sType$Default().pApplicationInfo(app);
            if (layer) {
                ci.ppEnabledLayerNames(stack.pointers(stack.UTF8(VALIDATION_LAYER)));
                ci.ppEnabledExtensionNames(stack.pointers(stack.UTF8(VK_EXT_DEBUG_UTILS_EXTENSION_NAME)));
            }
            PointerBuffer pi = stack.mallocPointer(1);
            int r = vkCreateInstance(ci, allocator, pi);
            if (r == VK_ERROR_INCOMPATIBLE_DRIVER || r == VK_ERROR_INITIALIZATION_FAILED) {
                throw new GpuUnavailableException(noDeviceMessage() + " [vkCreateInstance: " + VkCheck.name(r) + "]");
            }
            check(r, "vkCreateInstance");
            instance = new VkInstance(pi.get(0), ci);
            messenger = layer ? createMessenger(stack) : VK_NULL_HANDLE;

            IntBuffer count = stack.mallocInt(1);
            check(vkEnumeratePhysicalDevices(instance, count, null), "vkEnumeratePhysicalDevices");
            PointerBuffer pds = stack.mallocPointer(count.get(0));
            check(vkEnumeratePhysicalDevices(instance, count, pds), "vkEnumeratePhysicalDevices");
            List<VkPhysicalDevice> pdl = new ArrayList<>();
            List<DeviceInfo> infos = new ArrayList<>();
            for (int i = 0; i < count.get(0); i++) {
                VkPhysicalDevice pd = new VkPhysicalDevice(pds.get(i), instance);
                pdl.add(pd);
                infos.add(DeviceInfo.describe(i, pd).masking(masked));
            }
            physicalDevices = List.copyOf(pdl);
            devices = List.copyOf(infos);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public VkInstance handle() {
        return instance;
    }

    public List<DeviceInfo> devices() {
        return devices;
    }

    VkPhysicalDevice physicalDevice(int index) {
        return physicalDevices.get(index);
    }

    /** Loads libvulkan.so.1 (through LWJGL); a missing loader becomes a message saying what to install. */
    static void loadLoader() {
        try {
            VK.getFunctionProvider(); // VK's class initialiser loads libvulkan.so.1
        } catch (LinkageError | RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new GpuUnavailableException("no Vulkan loader (libvulkan.so.1): install libvulkan1 (Debian/Ubuntu) "
                    + "or the GPU vendor's driver [" + root + "]", e);
        }
    }

    public static String noDeviceMessage() {
        return "no Vulkan device found (VK_DRIVER_FILES=" + env("VK_DRIVER_FILES") + ", VK_ICD_FILENAMES="
                + env("VK_ICD_FILENAMES") + "): install a GPU driver, or mesa-vulkan-drivers for the lavapipe CPU device";
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null ? "unset" : v;
    }

    private static boolean hasLayer(MemoryStack stack, String name) {
        IntBuffer n = stack.mallocInt(1);
        check(vkEnumerateInstanceLayerProperties(n, null), "vkEnumerateInstanceLayerProperties");
        VkLayerProperties.Buffer props = VkLayerProperties.malloc(n.get(0), stack);
        check(vkEnumerateInstanceLayerProperties(n, props), "vkEnumerateInstanceLayerProperties");
        for (VkLayerProperties p : props) {
            if (p.layerNameString().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private long createMessenger(MemoryStack stack) {
        VkDebugUtilsMessengerCreateInfoEXT ci = VkDebugUtilsMessengerCreateInfoEXT.calloc(stack).sType$Default()
                .messageSeverity(VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT)
                .messageType(VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT
                        | VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT)
                .pfnUserCallback(callback = VkDebugUtilsMessengerCallbackEXT.create((severity, types, data, user) -> {
                    System.err.println("vulkan validation: " + VkDebugUtilsMessengerCallbackDataEXT.create(data).pMessageString());
                    return VK_FALSE;
                }));
        var pm = stack.mallocLong(1);
        check(vkCreateDebugUtilsMessengerEXT(instance, ci, null, pm), "vkCreateDebugUtilsMessengerEXT");
        return pm.get(0);
    }

    @Override
    public void close() {
        if (instance == null) {
            return;
        }
        if (messenger != VK_NULL_HANDLE) {
            vkDestroyDebugUtilsMessengerEXT(instance, messenger, null);
        }
        vkDestroyInstance(instance, allocator);
        if (callback != null) {
            callback.free();
        }
    }
}
