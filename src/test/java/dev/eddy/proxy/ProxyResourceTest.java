package dev.eddy.proxy;

import static org.junit.jupiter.api.Assertions.*;

import dev.eddy.gpu.GpuContextTest;
import dev.eddy.numerics.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The proxy's device objects are released: nothing left in the memory map, no growth over many cycles. */
@Tag("robustness")
class ProxyResourceTest extends GpuContextTest {
    static long rssKiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }

    /** One full use: Grams with a split and a read-back, a rollout with a start, a run and a read-back. */
    static void cycle(int d) {
        double[] z = new double[d];
        java.util.Arrays.fill(z, 1);
        try (GpuGram g = new GpuGram(ctx, d, Precision.FP32)) {
            g.add(z);
            g.add(z);
            g.split();
            g.add(z);
            assertEquals(2, g.blocks().size());
        }
        try (GpuRollout r = new GpuRollout(ctx, d, 2, 3, Precision.FP32)) {
            r.setOperator(new LinearProxy(d, new double[d * d], 0, d, Map.of()));
            r.start(r.trajectory(), 1);
            r.run(3);
            r.readColumn(2);
        }
    }

    /** Live VMA allocations of the context over all heaps (device buffers and host-visible staging alike). */
    static long vmaAllocations() {
        try (org.lwjgl.system.MemoryStack stack = org.lwjgl.system.MemoryStack.stackPush()) {
            var budgets = org.lwjgl.util.vma.VmaBudget.calloc(org.lwjgl.vulkan.VK10.VK_MAX_MEMORY_HEAPS, stack);
            org.lwjgl.util.vma.Vma.vmaGetHeapBudgets(ctx.allocator(), budgets);
            long count = 0;
            for (int h = 0; h < budgets.capacity(); h++) {
                count += budgets.get(h).statistics().allocationCount();
            }
            return count;
        }
    }

    @Test
    void manyGramAndRolloutCyclesLeaveNothingBehind() throws Exception {
        int d = 256;
        for (int i = 0; i < 10; i++) { // warm-up: lavapipe's and the JIT's memory settles after a few cycles
            cycle(d);
        }
        assertEquals(java.util.List.of(), ctx.memoryMap(), "every proxy buffer is closed");
        long allocations = vmaAllocations();
        System.gc();
        long before = rssKiB();
        for (int i = 0; i < 40; i++) {
            cycle(d);
        }
        System.gc();
        long grown = rssKiB() - before;
        assertEquals(java.util.List.of(), ctx.memoryMap(), "every proxy buffer is closed");
        assertEquals(allocations, vmaAllocations(), "every device buffer and every read-back staging buffer is freed");
        // Pipelines, descriptor pools and command buffers are outside VMA; only the resident size sees them, and
        // on lavapipe it swings by ±50 MiB between cycles without any trend (measured over 200 cycles: 200–290
        // MiB, no growth). The bound catches a native leak of ≥ 2.4 MiB per cycle only.
        assertTrue(grown < 96 * 1024, "resident memory grew by " + grown + " KiB over 40 cycles");
    }
}
