package dev.eddy.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.eddy.TestConfigs;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.numerics.Grid;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The device lanes of {@link MemberGroups}: each lane on its own thread, the lanes at the same time, failures not lost. */
@Tag("fast")
class MemberGroupsTest {

    /** A group that records the thread of its advance and waits there for the other lane's group (a barrier). */
    static class Lane implements Ensemble {
        final EnsembleConfig config;
        final CyclicBarrier together;
        String thread;

        Lane(EnsembleConfig config, CyclicBarrier together) {
            this.config = config;
            this.together = together;
        }

        @Override
        public EnsembleConfig config() {
            return config;
        }

        @Override
        public Grid grid() {
            return new Grid(config.base().n());
        }

        @Override
        public String name() {
            return "lane";
        }

        @Override
        public StepInfo[] advance(int count, double[] maxDt) {
            thread = Thread.currentThread().getName();
            try {
                together.await(60, TimeUnit.SECONDS); // only returns if the other lane advances at the same time
            } catch (InterruptedException | BrokenBarrierException | TimeoutException e) {
                throw new IllegalStateException("the lanes did not advance together", e);
            }
            StepInfo[] out = new StepInfo[config.size()];
            java.util.Arrays.fill(out, new StepInfo(count, 0, 0));
            return out;
        }

        @Override
        public MemberStatus status(int m) {
            return new MemberStatus(0, 0, MemberStatus.Phase.RUNNING, null);
        }

        @Override
        public void stop(int m, MemberStatus.Phase phase, String reason) {
        }

        @Override
        public double[] spectralState(int m) {
            return new double[0];
        }

        @Override
        public double[] vorticity(int m) {
            return new double[0];
        }

        @Override
        public EnsembleSnapshot.Pending requestSnapshot() {
            throw new UnsupportedOperationException("not used here");
        }

        @Override
        public void restore(double[][] states, List<MemberStatus> status) {
        }

        @Override
        public FlowDiagnostics[] diagnostics() {
            return new FlowDiagnostics[config.size()];
        }

        @Override
        public void close() {
        }
    }

    static EnsembleConfig three() {
        return EnsembleConfig.sweep(TestConfigs.les(32, dev.eddy.numerics.Precision.FP64), List.of(1L, 2L, 3L), null, null, null, null, false);
    }

    @Test
    void lanesAdvanceAtTheSameTimeEachOnItsOwnThread() {
        EnsembleConfig c = three();
        CyclicBarrier together = new CyclicBarrier(2);
        Lane a = new Lane(c.slice(0, 1), together);
        Lane b = new Lane(c.slice(1, 3), together);
        try (MemberGroups e = new MemberGroups(c, List.of(a, b), new int[] {0, 1})) {
            StepInfo[] info = e.advance(7, new double[] {1, 1, 1});
            assertEquals(3, info.length);
            assertEquals(7, info[2].dt(), 0.0);
            assertNotEquals(a.thread, b.thread);
            assertEquals(Thread.currentThread().getName().equals(a.thread), false, "the caller waits, the lanes work");
        }
    }

    @Test
    void aFailingLaneFailsTheAdvanceAfterTheOtherLaneFinished() {
        EnsembleConfig c = three();
        CyclicBarrier alone = new CyclicBarrier(1);
        Lane good = new Lane(c.slice(0, 2), alone);
        Lane bad = new Lane(c.slice(2, 3), alone) {
            @Override
            public StepInfo[] advance(int count, double[] maxDt) {
                throw new IllegalStateException("device lost");
            }
        };
        try (MemberGroups e = new MemberGroups(c, List.of(good, bad), new int[] {0, 1})) {
            assertEquals("device lost", assertThrows(IllegalStateException.class, () -> e.advance(1, new double[3])).getMessage());
            assertEquals("eddy-device-0", good.thread);
        }
    }

    @Test
    void lanesMustFollowMemberOrder() {
        EnsembleConfig c = three();
        CyclicBarrier alone = new CyclicBarrier(1);
        List<Ensemble> groups = List.of(new Lane(c.slice(0, 1), alone), new Lane(c.slice(1, 3), alone));
        assertThrows(IllegalArgumentException.class, () -> new MemberGroups(c, groups, new int[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> new MemberGroups(c, groups, new int[] {0, 2}));
    }
}
