package dev.eddy.gpu;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Without a usable Vulkan, the GPU path fails with a message saying what is missing; the CLI exits 1. */
@Tag("robustness")
class GpuUnavailableTest {

    /** Runs {@code eddy devices} in a child JVM; returns exit code and output. */
    private static String[] devices(String jvmFlag, String driverFiles) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", jvmFlag, "-cp",
                System.getProperty("java.class.path"), "dev.eddy.cli.Main", "devices");
        if (driverFiles != null) {
            pb.environment().put("VK_DRIVER_FILES", driverFiles);
            pb.environment().put("VK_ICD_FILENAMES", driverFiles);
        }
        pb.redirectErrorStream(true);
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
        return new String[] {String.valueOf(proc.exitValue()), out};
    }

    @Test
    void noDriverGivesClearMessageAndExitCode1() throws Exception {
        String[] r = devices("-Deddy.test=1", "/nonexistent/eddy_icd.json");
        assertEquals("1", r[0], r[1]);
        assertTrue(r[1].contains("eddy: no Vulkan device found (VK_DRIVER_FILES=/nonexistent/eddy_icd.json"), r[1]);
    }

    @Test
    void noLoaderGivesClearMessageAndExitCode1() throws Exception {
        String[] r = devices("-Dorg.lwjgl.vulkan.libname=/nonexistent/libvulkan.so.1", null);
        assertEquals("1", r[0], r[1]);
        assertTrue(r[1].contains("eddy: no Vulkan loader (libvulkan.so.1): install libvulkan1"), r[1]);
    }

    @Test
    void impossibleDeviceNameIsNamedInTheMessage() {
        var dev = new DeviceInfo(0, "llvmpipe", "cpu", 0x10005, 0, 1, "1.0.1", "1.3.0", List.of(), List.of(1L << 30),
                new int[] {1024, 1024, 1024}, 1024, 8, true, 1f, 1L << 27, 32768);
        var e = assertThrows(GpuUnavailableException.class, () -> DevicePicker.pick(List.of(dev), "no-such-gpu-xyz"));
        assertEquals("no Vulkan device matches 'no-such-gpu-xyz' (devices: 0: llvmpipe)", e.getMessage());
    }

    @Test
    void pickerPrefersDiscreteThenFirst() {
        var cpu = new DeviceInfo(0, "llvmpipe", "cpu", 0x10005, 0, 1, "1.0.1", "1.3.0", List.of(), List.of(1L << 30),
                new int[] {1024, 1024, 1024}, 1024, 8, true, 1f, 1L << 27, 32768);
        var gpu = new DeviceInfo(1, "NVIDIA H100 80GB HBM3", "discrete-gpu", 0x10de, 0x2330, 1, "580.0.0", "1.4.0",
                List.of(80L << 30), List.of(), new int[] {1024, 1024, 64}, 1024, 32, true, 1f, 0xFFFFFFFFL, 49152);
        assertEquals(1, DevicePicker.pick(List.of(cpu, gpu), null));
        assertEquals(0, DevicePicker.pick(List.of(cpu), null));
        assertEquals(0, DevicePicker.pick(List.of(cpu, gpu), "0"));
        assertEquals(1, DevicePicker.pick(List.of(cpu, gpu), "h100"));
    }
}
