package dev.eddy.run;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.TestConfigs;
import dev.eddy.config.OutputSchedule;
import dev.eddy.config.TimeControl;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.DiagnosticSample;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 20,000 CPU steps at N = 64: diagnostics stay finite and the heap stays flat (no per-step growth). */
@Tag("robustness")
class SoakTest {
    @Test
    void twentyThousandStepsStayFiniteWithFlatMemory(@TempDir Path tmp) throws Exception {
        var base = TestConfigs.les(64, Precision.FP64, 1e-3, 0.17, 0.01, "ssprk3");
        var config = TestConfigs.withOutput(base, new OutputSchedule(5000, 100, 5000), new TimeControl(20_000, 0, 0.01, 1.0, "ssprk3"));
        long[] usedAfter = new long[2];
        var memory = ManagementFactory.getMemoryMXBean();
        var result = new LesRun(config, new LesRun.Options(tmp.resolve("soak"), false, null, s -> { })).run();
        assertTrue(result.steps() == 20_000);
        for (DiagnosticSample d : result.diagnostics()) {
            assertTrue(Double.isFinite(d.energy()) && Double.isFinite(d.enstrophy()) && Double.isFinite(d.maxSpeed()), d.toString());
        }
        // Memory: run the same length again in the same JVM; after GC the heap must not have grown by
        // more than the diagnostics list itself (201 samples) plus slack.
        System.gc();
        usedAfter[0] = memory.getHeapMemoryUsage().getUsed();
        new LesRun(config, new LesRun.Options(tmp.resolve("soak2"), false, null, s -> { })).run();
        System.gc();
        usedAfter[1] = memory.getHeapMemoryUsage().getUsed();
        assertTrue(usedAfter[1] - usedAfter[0] < 16 << 20, "heap grew by " + (usedAfter[1] - usedAfter[0]) + " bytes");
    }
}
