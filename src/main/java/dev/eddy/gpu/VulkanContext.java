package dev.eddy.gpu;

import static dev.eddy.gpu.VkCheck.check;
import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.util.vma.Vma.*;
import static org.lwjgl.vulkan.VK10.*;
import static org.lwjgl.vulkan.VK11.VK_API_VERSION_1_1;

import java.nio.IntBuffer;
import java.nio.LongBuffer;
import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.util.vma.VmaAllocatorCreateInfo;
import org.lwjgl.util.vma.VmaVulkanFunctions;
import org.lwjgl.vulkan.VkCommandPoolCreateInfo;
import org.lwjgl.vulkan.VkDevice;
import org.lwjgl.vulkan.VkDeviceCreateInfo;
import org.lwjgl.vulkan.VkDeviceQueueCreateInfo;
import org.lwjgl.vulkan.VkFenceCreateInfo;
import org.lwjgl.vulkan.VkPhysicalDevice;
import org.lwjgl.vulkan.VkPhysicalDeviceFeatures;
import org.lwjgl.vulkan.VkQueue;
import org.lwjgl.vulkan.VkQueueFamilyProperties;

/**
 * The one Vulkan context of a run: instance, one physical device, one compute queue, one command
 * pool, one VMA allocator, the transfer ledger and the staging path. shaderFloat64 is enabled when
 * the device has it and {@link ContextOptions} does not mask it. Closing destroys everything in reverse
 * order of creation; the buffers, kernels, plans and programs made from it must be closed first.
 *
 * <p>Faults: once the device is lost (or a submission outruns its {@link WaitLimit}) the context takes
 * no more submissions; closing still destroys everything (a lost device's waits return at once), except
 * after a timeout whose work has still not finished, when the device's objects are left to the driver
 * (see {@link #drain()}).
 */
public final class VulkanContext implements AutoCloseable {
    private final VulkanInstance instance;
    private final DeviceInfo info;
    private final VkPhysicalDevice physicalDevice;
    private final VkDevice device;
    private final int queueFamily;
    private final int timestampValidBits;
    private final VkQueue queue;
    private final long commandPool;
    private final long planFence;
    private final long allocator;
    private final TransferLedger ledger = new TransferLedger();
    private final java.util.concurrent.atomic.AtomicLong submissions = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.Set<DeviceBuffer> liveBuffers = new java.util.LinkedHashSet<>();
    private final ContextOptions options;
    private final FaultInjection faults = FaultInjection.fromProperty();
    private final WaitLimit waitLimit = WaitLimit.fromProperty();
    private Staging staging;
    /** The first loss seen (or timeout): from then on nothing is submitted. */
    private volatile GpuDeviceLostException lost;
    /** The fence of a submission that timed out and may still be running (close waits for it, bounded). */
    private long hungFence = VK_NULL_HANDLE;
    /** Set when a timed-out submission did not finish even at close: no device object may be destroyed. */
    private volatile boolean abandoned;

    private VulkanContext(VulkanInstance instance, int index, ContextOptions options) {
        this.instance = instance;
        this.options = options;
        this.info = instance.devices().get(index);
        this.physicalDevice = instance.physicalDevice(index);
        if (info.apiVersion().startsWith("1.0.")) {
            throw new GpuUnavailableException("Vulkan device '" + info.name() + "' supports only API " + info.apiVersion()
                    + "; Eddy needs Vulkan 1.1");
        }
        try (MemoryStack stack = stackPush()) {
            IntBuffer n = stack.mallocInt(1);
            vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice, n, null);
            VkQueueFamilyProperties.Buffer families = VkQueueFamilyProperties.malloc(n.get(0), stack);
            vkGetPhysicalDeviceQueueFamilyProperties(physicalDevice, n, families);
            int family = -1;
            for (int i = 0; i < families.capacity() && family < 0; i++) {
                if ((families.get(i).queueFlags() & VK_QUEUE_COMPUTE_BIT) != 0) {
                    family = i;
                }
            }
            if (family < 0) {
                throw new GpuUnavailableException("Vulkan device '" + info.name() + "' has no compute queue");
            }
            queueFamily = family;
            timestampValidBits = families.get(family).timestampValidBits();

            VkDeviceQueueCreateInfo.Buffer qci = VkDeviceQueueCreateInfo.calloc(1, stack).sType$Default()
                    .queueFamilyIndex(family).pQueuePriorities(stack.floats(1f));
            VkPhysicalDeviceFeatures features = VkPhysicalDeviceFeatures.calloc(stack).shaderFloat64(info.float64());
            VkDeviceCreateInfo dci = VkDeviceCreateInfo.calloc(stack).sType$Default().pQueueCreateInfos(qci)
                    .pEnabledFeatures(features);
            PointerBuffer pd = stack.mallocPointer(1);
            check(vkCreateDevice(physicalDevice, dci, null, pd), "vkCreateDevice(" + info.name() + ")");
            device = new VkDevice(pd.get(0), physicalDevice, dci, VK_API_VERSION_1_1);
            PointerBuffer pq = stack.mallocPointer(1);
            vkGetDeviceQueue(device, family, 0, pq);
            queue = new VkQueue(pq.get(0), device);

            LongBuffer pl = stack.mallocLong(1);
            check(vkCreateCommandPool(device, VkCommandPoolCreateInfo.calloc(stack).sType$Default()
                    .flags(VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT).queueFamilyIndex(family), null, pl),
                    "vkCreateCommandPool");
            commandPool = pl.get(0);
            check(vkCreateFence(device, VkFenceCreateInfo.calloc(stack).sType$Default(), null, pl), "vkCreateFence(plan)");
            planFence = pl.get(0);

            VmaVulkanFunctions fns = VmaVulkanFunctions.calloc(stack).set(instance.handle(), device);
            VmaAllocatorCreateInfo aci = VmaAllocatorCreateInfo.calloc(stack).physicalDevice(physicalDevice).device(device)
                    .instance(instance.handle()).pVulkanFunctions(fns).vulkanApiVersion(VK_API_VERSION_1_1);
            PointerBuffer pa = stack.mallocPointer(1);
            check(vmaCreateAllocator(aci, pa), "vmaCreateAllocator");
            allocator = pa.get(0);
        }
    }

    /** Opens the context on the device chosen by {@code options}. */
    public static VulkanContext open(ContextOptions options) {
        VulkanInstance instance = new VulkanInstance(options.validation(), options.maskedFeatures());
        try {
            return new VulkanContext(instance, DevicePicker.pick(instance.devices(), options.device()), options);
        } catch (RuntimeException e) {
            instance.close();
            throw e;
        }
    }

    public DeviceInfo info() {
        return info;
    }

    public VkDevice device() {
        return device;
    }

    public VkPhysicalDevice physicalDevice() {
        return physicalDevice;
    }

    public VkQueue queue() {
        return queue;
    }

    public long commandPool() {
        return commandPool;
    }

    /** An unsignalled fence lent to FFT plan creation only (VkFFT may submit uploads and wait on it). */
    long planFence() {
        return planFence;
    }

    public long allocator() {
        return allocator;
    }

    public int queueFamily() {
        return queueFamily;
    }

    /** Valid bits of the compute queue's timestamps (0: no timestamps). */
    public int timestampValidBits() {
        return timestampValidBits;
    }

    synchronized void register(DeviceBuffer b) {
        liveBuffers.add(b);
    }

    synchronized void unregister(DeviceBuffer b) {
        liveBuffers.remove(b);
    }

    /** The memory map: every live device buffer with its name, size, lifetime and movement. */
    public synchronized java.util.List<java.util.Map<String, Object>> memoryMap() {
        return liveBuffers.stream().map(DeviceBuffer::describe).toList();
    }

    public TransferLedger ledger() {
        return ledger;
    }

    /** vkQueueSubmit calls on this context so far (each program run and staging copy is one; every one of them is waited for). */
    public long submissions() {
        return submissions.get();
    }

    /** Counts one vkQueueSubmit. */
    void submitted() {
        submissions.incrementAndGet();
    }

    /** The host↔device copy path (created on first use). */
    public Staging staging() {
        if (staging == null) {
            staging = new Staging(this);
        }
        return staging;
    }

    public boolean supports(dev.eddy.numerics.Precision p) {
        return p == dev.eddy.numerics.Precision.FP32 || info.float64();
    }

    /**
     * Refuses a precision this device cannot run, with what to do instead. Callers check it once,
     * before allocating anything; kernels and FFT plans check it again for direct users.
     */
    public void requirePrecision(dev.eddy.numerics.Precision p) {
        if (!supports(p)) {
            String why = options.masks(ContextOptions.FLOAT64) ? "float64 is masked by -D" + ContextOptions.MASK_PROPERTY + "="
                    + String.join(",", options.maskedFeatures()) : "it has no shaderFloat64";
            throw new GpuUnavailableException("Vulkan device '" + info.name() + "' cannot run " + p.label() + " (" + why
                    + "): use --precision fp32, --backend cpu (which runs fp64), or a device with float64 ('eddy devices' lists them)");
        }
    }

    /** Waits until the queue is idle (used before destroying objects a pending command might use). */
    public void waitIdle() {
        requireUsable("vkQueueWaitIdle");
        int r = vkQueueWaitIdle(queue);
        if (r == VK_ERROR_DEVICE_LOST) {
            throw deviceLost("vkQueueWaitIdle");
        }
        check(r, "vkQueueWaitIdle");
    }

    FaultInjection faults() {
        return faults;
    }

    WaitLimit waitLimit() {
        return waitLimit;
    }

    /** Whether the device was lost (or stopped answering); nothing more is submitted then. */
    public boolean lost() {
        return lost != null;
    }

    /** Whether the device's objects must be left alone (see {@link #drain()}); every close() checks it. */
    boolean abandoned() {
        return abandoned;
    }

    /** Throws if the device was lost earlier: no further work is submitted to it. */
    void requireUsable(String what) {
        GpuDeviceLostException e = lost;
        if (e != null) {
            throw new GpuDeviceLostException("not attempting " + what + ": " + e.getMessage(), e);
        }
    }

    /** Records that {@code what} found the device lost; returns the exception to throw. */
    GpuDeviceLostException deviceLost(String what) {
        GpuDeviceLostException e = new GpuDeviceLostException(VkCheck.lostMessage(info.name(), what));
        if (lost == null) {
            lost = e;
        }
        return e;
    }

    /** Records that a wait on {@code fence} ran past its limit; returns the exception to throw. */
    synchronized GpuTimeoutException timedOut(String what, int replays, long fence, long limitNanos) {
        GpuTimeoutException e = new GpuTimeoutException("the GPU '" + info.name() + "' did not finish " + what
                + (replays > 1 ? " (" + replays + " replays)" : "") + " in " + WaitLimit.seconds(limitNanos)
                + "; Eddy treats it as hung and attempts no further GPU work. If the GPU is only slow for this size,"
                + " raise the limit: EDDY_JAVA_OPTS=-D" + WaitLimit.PROPERTY + "=SECONDS (now "
                + WaitLimit.seconds((long) (waitLimit.floorSeconds() * 1e9)) + " plus " + (int) WaitLimit.MARGIN
                + "× the longest replay seen)");
        if (lost == null) {
            lost = e;
        }
        hungFence = fence;
        return e;
    }

    /**
     * Waits for the device before its objects are destroyed, and says whether they may be. A lost device
     * answers at once (VK_ERROR_DEVICE_LOST, which is expected here and not an error: Vulkan allows
     * destroying objects of a lost device). After a timeout, the submission that timed out gets a
     * bounded grace period; if it still has not finished, destroying what the GPU may be using would be
     * undefined behaviour, so every device object is left to the driver (freed when the process exits)
     * and this returns false.
     */
    public synchronized boolean drain() {
        if (abandoned) {
            return false;
        }
        if (hungFence != VK_NULL_HANDLE) {
            int r = vkWaitForFences(device, hungFence, true, waitLimit.graceNanos());
            if (r != VK_SUCCESS && r != VK_ERROR_DEVICE_LOST) {
                abandoned = true;
                System.err.println("eddy: the GPU '" + info.name() + "' still has not finished after a further "
                        + WaitLimit.seconds(waitLimit.graceNanos()) + "; its objects are left to the driver, which frees them"
                        + " when this process exits");
                return false;
            }
            hungFence = VK_NULL_HANDLE;
        }
        int r = faults.waitResult(vkDeviceWaitIdle(device));
        if (r == VK_ERROR_DEVICE_LOST) {
            deviceLost("vkDeviceWaitIdle");
        } else {
            check(r, "vkDeviceWaitIdle");
        }
        return true;
    }

    @Override
    public void close() {
        if (!drain()) {
            return;
        }
        if (staging != null) {
            staging.close();
        }
        vmaDestroyAllocator(allocator);
        vkDestroyFence(device, planFence, null);
        vkDestroyCommandPool(device, commandPool, null);
        vkDestroyDevice(device, null);
        instance.close();
    }
}
