package dev.eddy.gpu;

import dev.eddy.numerics.Precision;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.opentest4j.AssertionFailedError;

/**
 * The one way a test reaches the Vulkan device. Where the device is missing (or lacks float64 for a
 * float64 test), the test is skipped with the reason, so a developer without Vulkan still runs
 * everything else; with {@code EDDY_REQUIRE_GPU=1} (what {@code .ci/run} sets) it fails instead, so a CI
 * machine that lost its driver cannot turn the GPU tests green by skipping them.
 */
public final class GpuTests {
    /** The environment variable that turns a missing device from a skip into a failure. */
    public static final String REQUIRE_GPU = "EDDY_REQUIRE_GPU";
    /** The environment variable naming the device to test (index or name, as {@code --device}); the default pick if unset. */
    public static final String TEST_DEVICE = "EDDY_TEST_DEVICE";

    private static final AtomicBoolean told = new AtomicBoolean();

    private GpuTests() {
    }

    /** Whether this run must have a device ({@code EDDY_REQUIRE_GPU} is 1 or true). */
    public static boolean deviceRequired() {
        String v = System.getenv(REQUIRE_GPU);
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }

    /** The context options of the test device. */
    public static ContextOptions options() {
        return ContextOptions.withDevice(System.getenv(TEST_DEVICE));
    }

    /** Opens a context on the test device (skips, or fails under EDDY_REQUIRE_GPU=1, without one); the caller closes it. */
    public static VulkanContext context() {
        return open(() -> VulkanContext.open(options()));
    }

    /** For tests that reach the device through a command or a run: checks that there is one, as {@link #context()} does. */
    public static void needsDevice() {
        context().close();
    }

    /**
     * Whatever {@code opener} opens on the device (a context, a GPU LES); a {@link GpuUnavailableException}
     * from it skips the test, or fails it under EDDY_REQUIRE_GPU=1.
     */
    public static <T> T open(Supplier<T> opener) {
        try {
            return opener.get();
        } catch (GpuUnavailableException e) {
            throw skipOrFail("no usable Vulkan device: " + e.getMessage(), e);
        }
    }

    /** Skips the test (fails it under EDDY_REQUIRE_GPU=1) when the device cannot run precision {@code p}. */
    public static void needs(VulkanContext ctx, Precision p) {
        if (!ctx.supports(p)) {
            throw skipOrFail("Vulkan device '" + ctx.info().name() + "' has no " + p.label(), null);
        }
    }

    /** Skips the test, or fails it under EDDY_REQUIRE_GPU=1; never returns (the return type lets callers write {@code throw}). */
    private static RuntimeException skipOrFail(String why, Throwable cause) {
        if (deviceRequired()) {
            throw new AssertionFailedError(REQUIRE_GPU + "=1, so this GPU test fails rather than skip: " + why, cause);
        }
        String message = why + "; GPU test skipped (with " + REQUIRE_GPU + "=1, as in CI, it fails)";
        if (!told.getAndSet(true)) { // Maven lists skips without their reason: say it once on the console
            System.err.println("eddy tests: " + message);
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable: Assumptions.abort throws");
    }

    /** A plan cache shared by the test runs of this checkout (kept under target/, so mvn clean empties it). */
    public static FftPlans plans(VulkanContext ctx) {
        return new FftPlans(ctx, Path.of("target", "vkfft-test-cache"));
    }
}
