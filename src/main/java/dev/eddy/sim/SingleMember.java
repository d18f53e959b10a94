package dev.eddy.sim;

import dev.eddy.config.RunConfig;
import dev.eddy.numerics.Grid;
import java.util.List;
import java.util.Map;

/**
 * A single run as the {@link Ensemble} of one member: every backend runs one LES with the same batched
 * engine it runs an ensemble with (member 0 of a batch of one), so the single run and a member of an
 * ensemble are one code path. A blow-up drops the member in the ensemble; here it is the run's end,
 * {@link SimulationDivergedException}, with the state left as it was at the start of the step that found it.
 */
public class SingleMember implements Simulation {
    private final Ensemble ensemble;
    private final RunConfig config;
    /** The last snapshot handed out and the ensemble's snapshot it reads: the same state's second request gets the same one. */
    private PendingSnapshot lastSnapshot;
    private EnsembleSnapshot.Pending lastSource;

    protected SingleMember(Ensemble ensemble) {
        if (ensemble.members() != 1) {
            throw new IllegalArgumentException("a single run is an ensemble of one member, got " + ensemble.members());
        }
        this.ensemble = ensemble;
        this.config = ensemble.config().member(0);
    }

    @Override
    public RunConfig config() {
        return config;
    }

    @Override
    public Grid grid() {
        return ensemble.grid();
    }

    @Override
    public String name() {
        return ensemble.name();
    }

    @Override
    public StepInfo step(double maxDt) {
        return advance(1, maxDt);
    }

    @Override
    public StepInfo advance(int count, double maxDt) {
        StepInfo[] last = ensemble.advance(count, new double[] {maxDt});
        MemberStatus s = ensemble.status(0);
        if (s.phase() == MemberStatus.Phase.DROPPED) {
            throw new SimulationDivergedException(s.step(), s.time(), s.reason());
        }
        return last[0];
    }

    @Override
    public int maxAdvance() {
        return ensemble.maxAdvance();
    }

    @Override
    public long stepCount() {
        return ensemble.status(0).step();
    }

    @Override
    public double time() {
        return ensemble.status(0).time();
    }

    @Override
    public double[] spectralState() {
        return ensemble.spectralState(0);
    }

    @Override
    public PendingSnapshot requestSnapshot() {
        long step = stepCount();
        double time = time();
        EnsembleSnapshot.Pending pending = ensemble.requestSnapshot();
        if (pending != lastSource) {
            lastSource = pending;
            lastSnapshot = member0(pending, step, time);
        }
        return lastSnapshot;
    }

    private static PendingSnapshot member0(EnsembleSnapshot.Pending pending, long step, double time) {
        return new PendingSnapshot() {
            private Snapshot snapshot;

            @Override
            public long step() {
                return step;
            }

            @Override
            public double time() {
                return time;
            }

            @Override
            public synchronized Snapshot get() {
                if (snapshot == null) {
                    snapshot = pending.get().member(0);
                }
                return snapshot;
            }
        };
    }

    @Override
    public void restore(double[] state, long step, double time) {
        ensemble.restore(new double[][] {state}, List.of(new MemberStatus(step, time, MemberStatus.Phase.RUNNING, null)));
    }

    @Override
    public double[] vorticity() {
        return ensemble.vorticity(0);
    }

    @Override
    public FlowDiagnostics diagnostics() {
        return ensemble.diagnostics()[0];
    }

    @Override
    public List<Map<String, Object>> transfers() {
        return ensemble.transfers();
    }

    @Override
    public Map<String, Double> profileStep() {
        return ensemble.profileStep();
    }

    @Override
    public String transforms() {
        return ensemble.transforms();
    }

    @Override
    public List<Map<String, Object>> memoryMap() {
        return ensemble.memoryMap();
    }

    @Override
    public void close() {
        ensemble.close();
    }
}
