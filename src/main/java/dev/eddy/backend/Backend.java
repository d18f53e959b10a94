package dev.eddy.backend;

import dev.eddy.config.BackendKind;
import dev.eddy.gpu.ContextOptions;
import dev.eddy.gpu.VulkanContext;

/**
 * Where a stage runs, as a value: the CPU with its threads, or Vulkan on one context (one device, one
 * queue, one allocator) that every stage given this value shares. Built once from the command line's
 * backend flags and passed down; the factories ({@code Simulations}, {@code Codecs}, {@code Proxies})
 * take it, so no caller branches on a backend name or tests a concrete class.
 *
 * <p>The Vulkan context is opened on first use ({@link Vulkan#context()}), so a command that only plans
 * ({@code eddy run --explain}) opens no device; {@link #close()} closes it.
 */
public sealed interface Backend extends AutoCloseable permits Backend.Cpu, Backend.Vulkan {

    BackendKind kind();

    /** Host threads for the work done on the CPU (all of it on {@link Cpu}; host-side transforms on {@link Vulkan}); 0 = one per core. */
    int threads();

    /** For logs and metrics: "cpu (all cores)", "vulkan (NVIDIA H200)". */
    String describe();

    /** The device this backend runs on, for the metrics (its {@code DeviceInfo} map), or null on the CPU and before a context is opened. */
    java.util.Map<String, Object> deviceInfo();

    /**
     * A warning when the opened Vulkan device is a CPU driver (lavapipe/llvmpipe: no GPU was found, or one
     * was chosen), else empty: the run is correct there but about a thousand times slower than on a GPU.
     */
    default java.util.Optional<String> softwareDeviceWarning() {
        java.util.Map<String, Object> d = deviceInfo();
        if (d == null || !"cpu".equals(d.get("type"))) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("the Vulkan device is '" + d.get("name") + "', a CPU driver, not a GPU (no GPU found, or one chosen with --device):"
                + " the results are right but the steps are about a thousand times slower; 'eddy devices' lists what there is");
    }

    @Override
    void close();

    /** The backend of {@code kind}; {@code device} (index or name substring, null for the default) only matters for Vulkan. */
    static Backend of(BackendKind kind, String device, int threads) {
        return switch (kind) {
            case CPU -> new Cpu(threads);
            case VULKAN -> new Vulkan(ContextOptions.withDevice(device), threads);
        };
    }

    /** The CPU: plain Java loops over {@code threads} threads (0 = one per core). */
    record Cpu(int threads) implements Backend {
        public Cpu {
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be ≥ 0 (0 = all cores), got " + threads);
            }
        }

        @Override
        public BackendKind kind() {
            return BackendKind.CPU;
        }

        @Override
        public String describe() {
            return "cpu (" + (threads == 0 ? "all cores" : threads + " threads") + ")";
        }

        @Override
        public java.util.Map<String, Object> deviceInfo() {
            return null;
        }

        @Override
        public void close() {
        }
    }

    /** Vulkan: one context, opened on first use and shared by every stage that holds this value. */
    final class Vulkan implements Backend {
        private final ContextOptions options;
        private final int threads;
        private VulkanContext context;
        private boolean closed;

        public Vulkan(ContextOptions options, int threads) {
            this.options = options;
            this.threads = threads;
        }

        /** A backend on a context opened elsewhere; {@link #close()} closes it. */
        public static Vulkan on(VulkanContext context, int threads) {
            Vulkan v = new Vulkan(null, threads);
            v.context = context;
            return v;
        }

        @Override
        public BackendKind kind() {
            return BackendKind.VULKAN;
        }

        @Override
        public int threads() {
            return threads;
        }

        public ContextOptions options() {
            return options;
        }

        /** The shared context, opened on the first call (GpuUnavailableException when there is no usable device). */
        public synchronized VulkanContext context() {
            if (closed) {
                throw new IllegalStateException("the Vulkan backend is closed");
            }
            if (context == null) {
                context = VulkanContext.open(options);
            }
            return context;
        }

        /** Whether the context was opened (and so holds a device). */
        public synchronized boolean opened() {
            return context != null;
        }

        @Override
        public String describe() {
            return "vulkan (" + (context != null ? context.info().name() : options.device() == null ? "default device"
                    : "device " + options.device()) + ")";
        }

        @Override
        public synchronized java.util.Map<String, Object> deviceInfo() {
            return context != null ? context.info().toMap() : null;
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (context != null) {
                context.close();
                context = null;
            }
        }
    }
}
