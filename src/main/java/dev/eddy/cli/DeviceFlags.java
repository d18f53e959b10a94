package dev.eddy.cli;

import picocli.CommandLine.Option;

/** The Vulkan device and the CPU threads: for commands that run on every backend (benchmarks) and, through {@link BackendFlags}, on one. */
public final class DeviceFlags {
    @Option(names = "--device", paramLabel = "INDEX|NAME", description = "Vulkan device (default: the first discrete GPU; see 'eddy devices')")
    String device;
    @Option(names = "--threads", paramLabel = "N", description = "CPU threads (0 = all cores)")
    Integer threads;

    /** The threads the flags name, or {@code fallback} when --threads is not given. */
    int threads(int fallback) {
        return threads != null ? threads : fallback;
    }
}
