package dev.eddy.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eddy.gpu.ContextOptions;
import dev.eddy.gpu.GpuTests;
import dev.eddy.gpu.HostAllocationCounter;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.io.Json;
import dev.eddy.run.Checkpoint;
import dev.eddy.store.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPU faults met through the command line, on a real (lavapipe) device: a device without float64
 * asked for fp64, a device lost mid-run, a submission that never finishes. The faults that cannot be
 * caused on demand are injected by the engine's test hook (system property eddy.gpu.injectFault).
 */
@Tag("robustness")
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
        try (VulkanContext ctx = GpuTests.context()) {
            return ctx.info().name();
        }
    }

    /** Issue 17: a Vulkan run names its device in metrics.json and says so when that device is a CPU driver. */
    @Test
    void aVulkanRunNamesItsDeviceAndWarnsWhenItIsACpuDriver(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        java.io.PrintStream stderr = System.err; // the run's warnings go to the process's stderr
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        CliTest.Outcome o;
        System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            o = CliTest.eddy(args(CASE, "--out", dir.toString(), "--log-metrics"));
        } finally {
            System.setErr(stderr);
        }
        String said = o.err() + warnings.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, o.code(), said);
        JsonNode device = Json.MAPPER.readTree(dir.resolve(RunFiles.METRICS).toFile()).path("device");
        assertEquals(deviceName(), device.path("name").asText(), device.toString());
        boolean cpuDriver = "cpu".equals(device.path("type").asText());
        assertEquals(cpuDriver, said.contains("a CPU driver, not a GPU"), said);
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
        assertFalse(Files.exists(dir.resolve("config.json")) || Files.exists(dir.resolve(RunFiles.CHECKPOINT)));
        CliTest.Outcome fp32 = CliTest.eddy(args(CASE, "--out", dir.toString()));
        assertEquals(0, fp32.code(), fp32.err());
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aDeviceLostMidRunExitsOneKeepsTheLastCheckpointAndRestartsBitForBit(@TempDir Path tmp) throws Exception {
        deviceName(); // skips where there is no Vulkan
        Path reference = tmp.resolve("reference");
        assertEquals(0, CliTest.eddy(args(CASE, "--out", reference.toString())).code());

        Path victim = tmp.resolve("victim");
        CliTest.Outcome lost;
        long live;
        try (HostAllocationCounter counter = HostAllocationCounter.install()) {
            // the 3rd step submission (steps 21..30): after the checkpoint of step 20, before the one of step 40
            lost = eddyWith("eddy.gpu.injectFault", "device-lost@3:les-step", args(CASE, "--out", victim.toString(), "--log-metrics"));
            live = counter.live();
        }
        assertEquals(ExitCodes.RUNTIME, lost.code(), lost.err());
        assertTrue(lost.err().contains("the GPU '") && lost.err().contains("was lost during vkWaitForFences(les-step)"), lost.err());
        assertTrue(lost.err().contains("the checkpoint of step 20 is kept: continue with eddy run --restart " + victim), lost.err());
        assertFalse(lost.err().contains("\tat "), "no stack trace: " + lost.err());
        assertEquals(0, live, "closing after the loss released every Vulkan object of the run");
        assertEquals(20, Checkpoint.read(victim).step());
        assertTrue(Files.readString(victim.resolve("metrics.json")).contains("\"status\" : \"device_lost\""));

        CliTest.Outcome restarted = CliTest.eddy("run", "--restart", victim.toString(), "--quiet", "--no-report");
        assertEquals(0, restarted.code(), restarted.err());
        Checkpoint a = Checkpoint.read(reference);
        Checkpoint b = Checkpoint.read(victim);
        assertEquals(60, b.step());
        assertArrayEquals(a.state(), b.state(), 0.0, "the restarted run equals the uninterrupted one bit for bit");
        assertEquals(dev.eddy.store.SnapshotStore.open(reference).diagnostics(), dev.eddy.store.SnapshotStore.open(victim).diagnostics());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aDeviceLostAtSetUpSaysNoCheckpointExistsAndReleasesEverything(@TempDir Path tmp) throws Exception {
        deviceName();
        Path dir = tmp.resolve("run");
        CliTest.Outcome lost;
        long live;
        try (HostAllocationCounter counter = HostAllocationCounter.install()) {
            // the first submission of the run: the upload of the initial state, inside the LES's constructor
            lost = eddyWith("eddy.gpu.injectFault", "device-lost@1", args(CASE, "--out", dir.toString()));
            live = counter.live();
        }
        assertEquals(ExitCodes.RUNTIME, lost.code(), lost.err());
        assertTrue(lost.err().contains("was lost during vkWaitForFences(upload to '") && lost.err().contains(
                "no checkpoint was written yet: start it again in place with eddy run --restart " + dir), lost.err());
        assertEquals(0, live, "a half-built LES on a lost device releases what it made");
        assertFalse(Files.exists(dir.resolve(RunFiles.CHECKPOINT)));
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aSubmissionThatNeverFinishesEndsInAClearErrorNotAHang(@TempDir Path tmp) throws Exception {
        deviceName();
        Path dir = tmp.resolve("run");
        // A child JVM: the context whose work never finished is left to the driver, which is freed at exit.
        // The 3rd read of the step ring (after steps 21..30): one replay, so its limit is about 1 s plus
        // 50× the slowest replay seen, where a 10-step submission would wait 50× ten of them.
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-Deddy.gpu.injectFault=hang@3:les-ring", "-Deddy.gpu.waitTimeoutSeconds=1",
                "-cp", System.getProperty("java.class.path"), "dev.eddy.cli.Main"));
        cmd.addAll(List.of(args(CASE, "--out", dir.toString())));
        Path log = tmp.resolve("run.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // the run ends by itself, on its own wait limit; this wait only keeps a hung child from hanging the suite
        assertTrue(p.waitFor(100, TimeUnit.SECONDS), "the run hung: " + Files.readString(log));
        String out = Files.readString(log);
        assertEquals(ExitCodes.RUNTIME, p.exitValue(), out);
        assertTrue(out.contains("did not finish les-ring in ") && out.contains("-Deddy.gpu.waitTimeoutSeconds="), out);
        assertTrue(out.contains("the checkpoint of step 20 is kept: continue with eddy run --restart " + dir), out);
        assertTrue(out.contains("still has not finished after a further 1.0 s; its objects are left to the driver"), out);
        assertEquals(20, Checkpoint.read(dir).step());
    }
}
