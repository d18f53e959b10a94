package dev.eddy.gpu;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Without a usable Vulkan, the GPU path fails with a message saying what is missing; the CLI exits 1. */
class GpuUnavailableTest {

    @Test
    void noDriverGivesClearMessageAndExitCode1() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "dev.eddy.cli.Main", "devices");
        pb.environment().put("VK_DRIVER_FILES", "/nonexistent/eddy_icd.json");
        pb.environment().put("VK_ICD_FILENAMES", "/nonexistent/eddy_icd.json");
        pb.redirectErrorStream(true);
        Process proc = pb.start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(proc.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, proc.exitValue(), out);
        assertTrue(out.contains("eddy: no Vulkan device found (VK_DRIVER_FILES=/nonexistent/eddy_icd.json"), out);
    }

    @Test
    void impossibleDeviceNameIsNamedInTheMessage() {
        var dev = new DeviceInfo(0, "llvmpipe", "cpu", 0x10005, 0, 1, "1.0.1", "1.3.0", List.of(), List.of(1L << 30),
                new int[] {1024, 1024, 1024}, 1024, 8, true, 1f);
        var e = assertThrows(GpuUnavailableException.class, () -> DevicePicker.pick(List.of(dev), "no-such-gpu-xyz"));
        assertEquals("no Vulkan device matches 'no-such-gpu-xyz' (devices: 0: llvmpipe)", e.getMessage());
    }

    @Test
    void pickerPrefersDiscreteThenFirst() {
        var cpu = new DeviceInfo(0, "llvmpipe", "cpu", 0x10005, 0, 1, "1.0.1", "1.3.0", List.of(), List.of(1L << 30),
                new int[] {1024, 1024, 1024}, 1024, 8, true, 1f);
        var gpu = new DeviceInfo(1, "NVIDIA H100 80GB HBM3", "discrete-gpu", 0x10de, 0x2330, 1, "580.0.0", "1.4.0",
                List.of(80L << 30), List.of(), new int[] {1024, 1024, 64}, 1024, 32, true, 1f);
        assertEquals(1, DevicePicker.pick(List.of(cpu, gpu), null));
        assertEquals(0, DevicePicker.pick(List.of(cpu), null));
        assertEquals(0, DevicePicker.pick(List.of(cpu, gpu), "0"));
        assertEquals(1, DevicePicker.pick(List.of(cpu, gpu), "h100"));
    }
}
