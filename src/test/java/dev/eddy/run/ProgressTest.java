package dev.eddy.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("fast")
class ProgressTest {
    private long now;

    @Test
    void terminalRewritesOneLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream term = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        List<String> log = new ArrayList<>();
        Progress p = new Progress(Progress.Mode.TERMINAL, term, log::add, 1000, 0, () -> now);
        p.update(0, 0, 0, 0);
        for (int s = 1; s <= 100; s++) {
            now += 10_000_000L; // 10 ms a step: 100 steps/s
            p.update(s, s * 0.01, 0.01, 1.5);
        }
        p.finish();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(log.isEmpty(), "nothing goes to the log in terminal mode");
        assertEquals(-1, out.indexOf('\n'), "one line, rewritten with \\r, never a new line");
        assertTrue(out.startsWith("\r"), out);
        assertTrue(out.contains("step 100/1000"), out);
        assertTrue(out.contains("100.0 steps/s"), out);
        assertTrue(out.contains("ETA 0:00:09"), out); // 900 steps left at 100 steps/s
        assertTrue(out.endsWith("\r"), "finish() clears the line");
    }

    @Test
    void linesEveryFiveSecondsWhenNotATerminal() {
        List<String> log = new ArrayList<>();
        Progress p = new Progress(Progress.Mode.LINES, System.err, log::add, 0, 10.0, () -> now);
        p.update(0, 0, 0, 0);
        for (int s = 1; s <= 1200; s++) {
            now += 10_000_000L; // 12 s in all
            p.update(s, s * 0.001, 0.001, 1);
        }
        assertEquals(2, log.size(), log.toString()); // at 5 s and 10 s
        assertTrue(log.getFirst().contains("(t → 10.00)"), log.getFirst());
        assertTrue(log.getFirst().contains("ETA 0:01:35"), log.getFirst()); // 9.5 time units left at 0.1 per s
    }

    /** An ensemble's line: its step, the members' time range, the members running and the throughput in member-steps/s. */
    @Test
    void anEnsembleShowsMemberStepsPerSecond() {
        List<String> log = new ArrayList<>();
        Progress p = new Progress(Progress.Mode.LINES, System.err, log::add, 1000, 0, () -> now);
        p.update(0, 0, 0, 0, 64, 64);
        for (int s = 1; s <= 600; s++) {
            now += 10_000_000L; // 10 ms an ensemble step of 64 members: 6400 member-steps/s
            p.update(s, s * 0.01, s * 0.012, 64L * s, s < 300 ? 64 : 63, 64);
        }
        assertEquals(1, log.size(), log.toString()); // at 5 s
        String line = log.getFirst();
        assertTrue(line.startsWith("step 500/1000  t = 5.000–6.000  running 63/64  6400 member-steps/s  ETA 0:00:05"), line);
    }

    @Test
    void durations() {
        assertEquals("?", Progress.duration(Double.NaN));
        assertEquals("1:01:01", Progress.duration(3661));
    }
}
