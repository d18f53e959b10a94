package dev.eddy.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.TestConfigs;
import dev.eddy.config.ConfigException;
import dev.eddy.config.OutputSchedule;
import dev.eddy.config.RunConfig;
import dev.eddy.config.TimeControl;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.SimulationDivergedException;
import dev.eddy.store.RunFiles;
import dev.eddy.store.SnapshotStore;
import io.jhdf.HdfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The run driver: outputs, restart bit for bit, refusal to overwrite, blow-up handling. */
@Tag("fast")
class LesRunTest {
    static RunConfig config(Precision p, long steps, double cfl) {
        RunConfig c = TestConfigs.les(32, p, 1e-3, 0.17, 0.02, "heun");
        return TestConfigs.withOutput(c, new OutputSchedule(10, 5, 20), new TimeControl(steps, 0, 0.02, cfl, "heun"));
    }

    static LesRun.Options options(Path dir, boolean restart) {
        return new LesRun.Options(dir, restart, dir.resolve("metrics.json"), s -> { });
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void restartContinuesBitForBit(Precision p, @TempDir Path tmp) throws Exception {
        Path straight = tmp.resolve("straight");
        Path split = tmp.resolve("split");
        new LesRun(config(p, 60, 0.5), options(straight, false)).run();
        new LesRun(config(p, 40, 0.5), options(split, false)).run();
        var result = new LesRun(config(p, 60, 0.5), options(split, true)).run();
        assertEquals(60, result.steps());
        Checkpoint a = Checkpoint.read(straight);
        Checkpoint b = Checkpoint.read(split);
        assertEquals(a.step(), b.step());
        assertEquals(a.time(), b.time(), 0.0);
        assertArrayEquals(a.state(), b.state(), 0.0);
        assertEquals(SnapshotStore.open(straight).diagnostics(), SnapshotStore.open(split).diagnostics());
        // the stored snapshots are the same too
        var ha = SnapshotStore.open(straight);
        var hb = SnapshotStore.open(split);
        assertEquals(ha.steps(), hb.steps());
        for (int i = 0; i < ha.size(); i++) {
            assertArrayEquals(ha.omega(i), hb.omega(i), 0.0, "omega of snapshot " + i);
        }
        assertEquals(p.label(), ha.attributes().get("precision"));
    }

    @Test
    void outputsAreCompleteAndSelfDescribing(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        new LesRun(config(Precision.FP32, 30, 0.5), options(dir, false)).run();
        for (String f : new String[] {"config.json", "checkpoint.bin", "metrics.json"}) {
            assertTrue(Files.isRegularFile(dir.resolve(f)), f);
        }
        assertTrue(Files.isDirectory(dir.resolve(RunFiles.SNAPSHOTS)));
        assertTrue(!Files.exists(dir.resolve(RunFiles.INCOMPLETE)), "a checkpointed run is not marked incomplete");
        var store = SnapshotStore.open(dir);
        assertEquals(4, store.size()); // steps 0, 10, 20, 30
        assertEquals(32, store.n());
        assertEquals(dev.eddy.numerics.Precision.FP32, store.precision());
        var diag = store.diagnostics();
        assertEquals(7, diag.size()); // every 5 steps from 0 to 30
        assertEquals(0.5, diag.getFirst().energy(), 1e-6);
        String json = (String) store.attributes().get("config_json");
        assertTrue(json.contains("\"precision\" : \"fp32\""), json);
        String metrics = Files.readString(dir.resolve("metrics.json"));
        assertTrue(metrics.contains("\"status\" : \"completed\""));
        assertTrue(metrics.contains("\"stage_seconds\""));
        // no temporary files are left behind
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void refusesToOverwriteARunOrWriteIntoAFile(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        new LesRun(config(Precision.FP64, 10, 0.5), options(dir, false)).run();
        var e = assertThrows(ConfigException.class, () -> new LesRun(config(Precision.FP64, 10, 0.5), options(dir, false)).run());
        assertTrue(e.getMessage().contains("already holds a run"), e.getMessage());
        Path file = Files.writeString(tmp.resolve("file"), "x");
        var f = assertThrows(ConfigException.class, () -> new LesRun(config(Precision.FP64, 10, 0.5), options(file, false)).run());
        assertTrue(f.getMessage().contains("is a file"), f.getMessage());
    }

    @Test
    void blowUpStopsWithTheStepAndKeepsTheLastCheckpoint(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        // inviscid, no SGS, a fixed step 40× the CFL limit: the field must blow up within a few dozen steps
        RunConfig c = TestConfigs.les(32, Precision.FP64, 0, 0, 2.0, "heun");
        RunConfig unstable = TestConfigs.withOutput(c, new OutputSchedule(0, 1, 1), new TimeControl(500, 0, 2.0, 0, "heun"));
        var e = assertThrows(SimulationDivergedException.class, () -> new LesRun(unstable, options(dir, false)).run());
        assertTrue(e.getMessage().contains("step " + e.step()) && e.getMessage().contains("smaller dt"), e.getMessage());
        Checkpoint kept = Checkpoint.read(dir);
        assertTrue(kept.step() < e.step() && dev.eddy.sim.Diagnostics.allFinite(kept.state()),
                "checkpoint of step " + kept.step() + " must predate the blow-up at " + e.step());
        assertTrue(Files.readString(dir.resolve("metrics.json")).contains("\"status\" : \"diverged\""));
    }

    /** Issue 17: outputs in simulated time land exactly on kΔ (the step before is clipped), whatever the CFL step. */
    @Test
    void outputsInSimulatedTimeLandExactly(@TempDir Path tmp) throws Exception {
        RunConfig c = config(Precision.FP64, 1, 0.5);
        RunConfig timed = TestConfigs.withOutput(c, new OutputSchedule(0, 1, 0, 0, 0.05, 0.02),
                new TimeControl(0, 0.2, 0.02, 0.5, "heun"));
        Path dir = tmp.resolve("dt");
        new LesRun(timed, options(dir, false)).run();
        var store = SnapshotStore.open(dir);
        assertEquals(5, store.size());
        for (int i = 0; i < store.size(); i++) {
            assertEquals(0.05 * i, store.time(i), 1e-12, "snapshot " + i);
        }
        var diag = store.diagnostics();
        assertEquals(11, diag.size());
        for (int i = 0; i < diag.size(); i++) {
            assertEquals(0.02 * i, diag.get(i).time(), 1e-12, "diagnostics sample " + i);
        }
        // the CFL step is not a divisor of the intervals: steps were clipped, not just counted
        assertTrue(store.step(4) != 4 * store.step(1) || store.step(1) * 0.02 != 0.05, "steps " + store.steps());
    }

    @Test
    void endTimeIsHitExactly(@TempDir Path tmp) throws Exception {
        RunConfig c = config(Precision.FP64, 1, 0.5);
        RunConfig timed = TestConfigs.withOutput(c, c.output(), new TimeControl(0, 0.333, 0.02, 0.5, "heun"));
        var r = new LesRun(timed, options(tmp.resolve("t"), false)).run();
        assertEquals(0.333, r.time(), 1e-12);
    }
}
