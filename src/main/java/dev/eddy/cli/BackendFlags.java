package dev.eddy.cli;

import dev.eddy.backend.Backend;
import dev.eddy.config.BackendKind;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The flags that say where a command's work runs: the backend kind, with the Vulkan device and the CPU
 * threads of {@link DeviceFlags}. {@link #backend} makes the one {@link Backend} value the command passes
 * down (no system property, no backend names past this point).
 */
public final class BackendFlags {
    @Option(names = "--backend", paramLabel = "cpu|vulkan", description = "where it runs: cpu or vulkan (see 'eddy devices')")
    String backend;
    @Mixin
    DeviceFlags device;

    /** The kind the flags name, or {@code fallback} when --backend is not given. */
    BackendKind kind(BackendKind fallback) {
        return backend != null ? BackendKind.parse("--backend", backend) : fallback;
    }

    /** The threads the flags name, or {@code fallback} when --threads is not given. */
    int threads(int fallback) {
        return device.threads(fallback);
    }

    /** The --threads value as given (null when absent). */
    Integer threads() {
        return device.threads;
    }

    /** The backend of {@code kind} on these flags' device, with {@code threads} CPU threads. The caller closes it. */
    Backend backend(BackendKind kind, int threads) {
        return Backend.of(kind, device.device, threads);
    }

    /** The backend the flags name (CPU when --backend is not given); the caller closes it. */
    Backend backend() {
        return backend(kind(BackendKind.CPU), threads(0));
    }
}
