package dev.eddy.sim;

import dev.eddy.config.EnsembleConfig;
import dev.eddy.numerics.Grid;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * An ensemble split into groups of consecutive members, each group one batched state of its own (one set
 * of device buffers, one recorded step): what an ensemble larger than one device state runs as, and how
 * members spread over several devices. Each group sits on a device lane (one context); the groups of
 * one lane advance one after the other, the lanes at the same time, one host thread per lane, so that
 * each context is driven by one thread at a time. Each member keeps its own dt; members are independent,
 * so the split changes no member's bits. A shared dt needs every member in one state: {@link Ensembles}
 * refuses it across groups.
 */
public final class MemberGroups implements Ensemble {
    private final EnsembleConfig config;
    private final List<Ensemble> groups;
    /** The first member of each group, and the member count after the last. */
    private final int[] first;
    /** The device lane of each group: groups of one lane share one backend (one context, one ledger). */
    private final int[] lane;
    /** The first group of each lane. */
    private final int[] laneFirstGroup;
    /** One thread per lane when there are several (null with one lane: the caller's thread drives its context). */
    private final ExecutorService[] workers;

    /** Groups that share one backend (one context), advanced one after the other on the caller's thread. */
    public MemberGroups(EnsembleConfig config, List<Ensemble> groups) {
        this(config, groups, new int[groups.size()]);
    }

    /**
     * @param groups the groups of consecutive members, in member order; closed with this ensemble
     * @param lane   each group's device lane, 0, 1, …, in member order (a lane's groups share one backend)
     */
    public MemberGroups(EnsembleConfig config, List<Ensemble> groups, int[] lane) {
        if (config.sharedDt() && groups.size() > 1) {
            throw new IllegalArgumentException("a shared dt needs every member in one state, got " + groups.size() + " groups");
        }
        if (lane.length != groups.size() || lane[0] != 0) {
            throw new IllegalArgumentException("each group needs its lane, from lane 0: " + java.util.Arrays.toString(lane));
        }
        for (int g = 1; g < lane.length; g++) {
            if (lane[g] != lane[g - 1] && lane[g] != lane[g - 1] + 1) {
                throw new IllegalArgumentException("the lanes must follow member order: " + java.util.Arrays.toString(lane));
            }
        }
        this.config = config;
        this.groups = List.copyOf(groups);
        this.lane = lane.clone();
        int lanes = lane[lane.length - 1] + 1;
        this.laneFirstGroup = new int[lanes];
        for (int g = groups.size() - 1; g >= 0; g--) {
            laneFirstGroup[lane[g]] = g;
        }
        this.workers = lanes == 1 ? null : new ExecutorService[lanes];
        for (int l = 0; workers != null && l < lanes; l++) {
            String name = "eddy-device-" + l;
            workers[l] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
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

    /** The number of device lanes (contexts). */
    public int lanes() {
        return laneFirstGroup.length;
    }

    /**
     * Runs {@code work} on every group, each lane's groups in order on that lane's thread and the lanes at
     * the same time (on the caller's thread when there is one lane), and returns the groups' results.
     */
    private <T> List<T> onEveryGroup(Function<Integer, T> work) {
        List<T> out = new ArrayList<>(java.util.Collections.nCopies(groups.size(), null));
        if (workers == null) {
            for (int g = 0; g < groups.size(); g++) {
                out.set(g, work.apply(g));
            }
            return out;
        }
        List<Future<?>> running = new ArrayList<>();
        for (int l = 0; l < workers.length; l++) {
            int from = laneFirstGroup[l];
            int to = l + 1 < workers.length ? laneFirstGroup[l + 1] : groups.size();
            running.add(workers[l].submit(() -> {
                for (int g = from; g < to; g++) {
                    out.set(g, work.apply(g));
                }
            }));
        }
        Throwable failure = null;
        for (Future<?> f : running) { // wait for every lane, even after one failed: no context may be left running
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                } else {
                    failure.addSuppressed(e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure == null ? e : failure;
            }
        }
        switch (failure) {
            case null -> {
                return out;
            }
            case RuntimeException r -> throw r;
            case Error e -> throw e;
            default -> throw new IllegalStateException("a device lane failed", failure);
        }
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
        return groups.getFirst().name() + (lanes() > 1 ? " on " + lanes() + " devices" : "");
    }

    @Override
    public StepInfo[] advance(int count, double[] maxDt) {
        List<StepInfo[]> parts = onEveryGroup(g -> groups.get(g).advance(count, java.util.Arrays.copyOfRange(maxDt, first[g], first[g + 1])));
        StepInfo[] out = new StepInfo[config.size()];
        for (int g = 0; g < groups.size(); g++) {
            System.arraycopy(parts.get(g), 0, out, first[g], parts.get(g).length);
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
        List<FlowDiagnostics[]> parts = onEveryGroup(g -> groups.get(g).diagnostics());
        FlowDiagnostics[] out = new FlowDiagnostics[config.size()];
        for (int g = 0; g < groups.size(); g++) {
            System.arraycopy(parts.get(g), 0, out, first[g], parts.get(g).length);
        }
        return out;
    }

    /** The transfer ledger of each lane's context (a lane's groups share it), tagged with the lane when there are several. */
    @Override
    public List<Map<String, Object>> transfers() {
        if (lanes() == 1) {
            return groups.getFirst().transfers();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (int l = 0; l < lanes(); l++) {
            out.addAll(tagged(List.of("device", l), groups.get(laneFirstGroup[l]).transfers()));
        }
        return out;
    }

    @Override
    public List<Map<String, Object>> memoryMap() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            List<Object> tags = lanes() > 1 ? List.of("device", lane[g], "group", g) : List.of("group", g);
            out.addAll(tagged(tags, groups.get(g).memoryMap()));
        }
        return out;
    }

    /** {@code rows}, each with the {@code tags} (name, value, name, value, …) in front. */
    private static List<Map<String, Object>> tagged(List<Object> tags, List<Map<String, Object>> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Map<String, Object> r = new LinkedHashMap<>();
            for (int i = 0; i < tags.size(); i += 2) {
                r.put((String) tags.get(i), tags.get(i + 1));
            }
            r.putAll(row);
            out.add(r);
        }
        return out;
    }

    @Override
    public Map<String, Double> profileStep() {
        return groups.getFirst().profileStep();
    }

    @Override
    public String transforms() {
        return groups.getFirst().transforms();
    }

    @Override
    public void close() {
        if (workers != null) {
            for (ExecutorService w : workers) {
                w.shutdown(); // idle between calls: every lane's work was waited for
            }
        }
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
