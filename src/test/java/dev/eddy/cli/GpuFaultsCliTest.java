package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.gpu.ContextOptions;
import dev.eddy.gpu.GpuTests;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.io.Checkpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPU faults met through the command line, on a real (lavapipe) device: a device without float64
 * asked for fp64 (float64 masked through ContextOptions).
 */
class GpuFaultsCliTest {
    /** A small GPU run: 60 steps at N = 32, a checkpoint every 20, one submission of les-step per 10 steps. */
    static final String[] CASE = {"run", "--backend", "vulkan", "--precision", "fp32", "--n", "32", "--kp", "4", "--seed", "5",
        "--steps", "60", "--checkpoint-every", "20", "--diag-every", "10", "--snapshot-every", "20", "--quiet", "--no-report"};

    static String[] args(String[] base, String... more) {
        List<String> a = new ArrayList<>(List.of(base));
        a.addAll(List.of(more));
        String device = System.getenv("EDDY_TEST_DEVICE");
        if (device != null && !device.isBlank()) {
            a.add("--device");
            a.add(device);
        }
        return a.toArray(String[]::new);
    }

    /** Runs the CLI in this JVM with a system property set for the call only. */
    static CliTest.Outcome eddyWith(String property, String value, String... args) {
        String before = System.getProperty(property);
        System.setProperty(property, value);
        try {
            return CliTest.eddy(args);
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }

    static String deviceName() {
        try (VulkanContext ctx = GpuTests.contextOrSkip()) {
            return ctx.info().name();
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void fp64OnADeviceWithoutFloat64IsRefusedAtSetUpWithExitCode1(@TempDir Path tmp) throws Exception {
        String name = deviceName();
        Path dir = tmp.resolve("run");
        String[] fp64 = args(CASE, "--out", dir.toString());
        fp64[java.util.Arrays.asList(fp64).indexOf("fp32")] = "fp64";
        CliTest.Outcome o = eddyWith(ContextOptions.MASK_PROPERTY, ContextOptions.FLOAT64, fp64);
        assertEquals(ExitCodes.RUNTIME, o.code(), o.err());
        assertTrue(o.err().startsWith("eddy: Vulkan device '" + name + "' cannot run fp64 (float64 is masked by -D"
                + ContextOptions.MASK_PROPERTY + "=float64): use --precision fp32, --backend cpu"), o.err());
        assertFalse(o.err().contains("\tat "), "no stack trace: " + o.err());
        // nothing that makes the directory look like a run: the suggested fix works with the same --out
        assertFalse(Files.exists(dir.resolve("config.json")) || Files.exists(dir.resolve(Checkpoint.FILE)));
        CliTest.Outcome fp32 = CliTest.eddy(args(CASE, "--out", dir.toString()));
        assertEquals(0, fp32.code(), fp32.err());
    }
}
