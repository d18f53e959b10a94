package dev.eddy.sim;

import dev.eddy.config.EnsembleConfig;
import dev.eddy.numerics.Grid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ensemble split into groups of consecutive members, each group one batched state of its own (one set
 * of device buffers, one recorded step): what an ensemble larger than one device state runs as, and the
 * seam along which members spread over several devices (one group per context). The groups advance one
 * after the other, each with its own dt per member; members are independent, so the split changes no
 * member's bits. A shared dt needs every member in one state: {@link Ensembles} refuses it across groups.
 */
public final class MemberGroups implements Ensemble {
    private final EnsembleConfig config;
    private final List<Ensemble> groups;
    /** The first member of each group, and the member count after the last. */
    private final int[] first;
    /** Whether the groups share one backend (one context, one ledger): then the first group's ledger is the ensemble's. */
    private final boolean sharedBackend;

    /** @param groups the groups of consecutive members, in member order; closed with this ensemble */
    public MemberGroups(EnsembleConfig config, List<Ensemble> groups, boolean sharedBackend) {
        if (config.sharedDt() && groups.size() > 1) {
            throw new IllegalArgumentException("a shared dt needs every member in one state, got " + groups.size() + " groups");
        }
        this.config = config;
        this.groups = List.copyOf(groups);
        this.sharedBackend = sharedBackend;
        this.first = new int[groups.size() + 1];
        for (int g = 0; g < groups.size(); g++) {
            first[g + 1] = first[g] + groups.get(g).members();
        }
        if (first[groups.size()] != config.size()) {
            throw new IllegalArgumentException("the groups hold " + first[groups.size()] + " members, the ensemble " + config.size());
        }
    }

    /** The number of groups (device states). */
    public int groups() {
        return groups.size();
    }

    /** The group of member {@code m}. */
    private int groupOf(int m) {
        for (int g = 0; g < groups.size(); g++) {
            if (m < first[g + 1]) {
                return g;
            }
        }
        throw new IndexOutOfBoundsException("member " + m + " of " + config.size());
    }

    @Override
    public EnsembleConfig config() {
        return config;
    }

    @Override
    public Grid grid() {
        return groups.getFirst().grid();
    }

    @Override
    public String name() {
        return groups.getFirst().name();
    }

    @Override
    public StepInfo[] advance(int count, double[] maxDt) {
        StepInfo[] out = new StepInfo[config.size()];
        for (int g = 0; g < groups.size(); g++) {
            StepInfo[] s = groups.get(g).advance(count, java.util.Arrays.copyOfRange(maxDt, first[g], first[g + 1]));
            System.arraycopy(s, 0, out, first[g], s.length);
        }
        return out;
    }

    @Override
    public int maxAdvance() {
        return groups.stream().mapToInt(Ensemble::maxAdvance).min().orElseThrow();
    }

    @Override
    public MemberStatus status(int m) {
        int g = groupOf(m);
        return groups.get(g).status(m - first[g]);
    }

    @Override
    public void stop(int m, MemberStatus.Phase phase, String reason) {
        int g = groupOf(m);
        groups.get(g).stop(m - first[g], phase, reason);
    }

    @Override
    public double[] spectralState(int m) {
        int g = groupOf(m);
        return groups.get(g).spectralState(m - first[g]);
    }

    @Override
    public double[] vorticity(int m) {
        int g = groupOf(m);
        return groups.get(g).vorticity(m - first[g]);
    }

    @Override
    public EnsembleSnapshot.Pending requestSnapshot() {
        List<EnsembleSnapshot.Pending> parts = groups.stream().map(Ensemble::requestSnapshot).toList();
        return new EnsembleSnapshot.Pending() {
            private EnsembleSnapshot done;

            @Override
            public synchronized EnsembleSnapshot get() {
                if (done == null) {
                    int b = config.size();
                    long[] steps = new long[b];
                    double[] times = new double[b];
                    double[][] states = new double[b][];
                    EnsembleSnapshot firstPart = null;
                    for (int g = 0; g < parts.size(); g++) {
                        EnsembleSnapshot s = parts.get(g).get();
                        firstPart = firstPart == null ? s : firstPart;
                        System.arraycopy(s.steps(), 0, steps, first[g], s.members());
                        System.arraycopy(s.times(), 0, times, first[g], s.members());
                        System.arraycopy(s.spectralStates(), 0, states, first[g], s.members());
                    }
                    done = new EnsembleSnapshot(steps, times, states, firstPart.toVorticity());
                }
                return done;
            }
        };
    }

    @Override
    public void restore(double[][] states, List<MemberStatus> status) {
        for (int g = 0; g < groups.size(); g++) {
            groups.get(g).restore(java.util.Arrays.copyOfRange(states, first[g], first[g + 1]), status.subList(first[g], first[g + 1]));
        }
    }

    @Override
    public FlowDiagnostics[] diagnostics() {
        FlowDiagnostics[] out = new FlowDiagnostics[config.size()];
        for (int g = 0; g < groups.size(); g++) {
            FlowDiagnostics[] d = groups.get(g).diagnostics();
            System.arraycopy(d, 0, out, first[g], d.length);
        }
        return out;
    }

    @Override
    public List<Map<String, Object>> transfers() {
        if (sharedBackend) {
            return groups.getFirst().transfers();
        }
        return tagged(Ensemble::transfers);
    }

    @Override
    public List<Map<String, Object>> memoryMap() {
        return tagged(Ensemble::memoryMap);
    }

    /** Each group's rows, with the group's index in front. */
    private List<Map<String, Object>> tagged(java.util.function.Function<Ensemble, List<Map<String, Object>>> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            for (Map<String, Object> row : rows.apply(groups.get(g))) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("group", g);
                r.putAll(row);
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public Map<String, Double> profileStep() {
        return groups.getFirst().profileStep();
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (int g = groups.size() - 1; g >= 0; g--) {
            try {
                groups.get(g).close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
