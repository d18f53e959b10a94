package dev.eddy.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eddy.sim.PendingSnapshot;
import dev.eddy.sim.Snapshot;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The writer thread of overlapped snapshots: order kept, work off the run thread, a failure thrown once to the run thread. */
@Tag("fast")
class SnapshotWriterTest {
    static PendingSnapshot at(long step) {
        return PendingSnapshot.completed(new Snapshot(step, step * 0.1, new double[0], new double[0]));
    }

    @Test
    void snapshotsAreConsumedInOrderOnTheWriterThread() throws Exception {
        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
        try (SnapshotWriter w = new SnapshotWriter(true, 2, new StageTimes())) {
            for (long s = 0; s < 20; s++) {
                w.submit(at(s), snap -> {
                    threads.add(Thread.currentThread());
                    seen.add(snap.step());
                });
            }
            w.drain();
        }
        assertEquals(java.util.stream.LongStream.range(0, 20).boxed().toList(), seen);
        threads.forEach(t -> assertNotEquals(Thread.currentThread(), t));
    }

    @Test
    void aFailedWriteIsThrownToTheRunThreadOnceAndNotAgainAtClose() throws Exception {
        IOException full = new IOException("No space left on device");
        SnapshotWriter w = new SnapshotWriter(true, 1, new StageTimes());
        w.submit(at(0), snap -> {
            throw full;
        });
        // depth 1: the next hand-over waits for the failed one and throws its error
        IOException e = assertThrows(IOException.class, () -> w.submit(at(1), snap -> { }));
        assertSame(full, e);
        w.drain();
        w.close(); // nothing left to throw
    }

    @Test
    void withoutOverlapTheSnapshotIsConsumedBeforeSubmitReturns() throws Exception {
        List<Thread> threads = new ArrayList<>();
        try (SnapshotWriter w = new SnapshotWriter(false, 1, new StageTimes())) {
            w.submit(at(3), snap -> threads.add(Thread.currentThread()));
            assertEquals(List.of(Thread.currentThread()), threads);
        }
    }
}
