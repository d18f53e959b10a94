package dev.eddy.run;

import dev.eddy.config.RunConfig;
import dev.eddy.gpu.BufferSpec;
import dev.eddy.gpu.TransferLedger;
import dev.eddy.gpu.TransferSpec;
import dev.eddy.sim.ResourcePlan;
import dev.eddy.sim.Simulations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code eddy run --explain}: the memory map and every host↔device copy of a run, before it runs. The
 * buffers and the copies of each {@link dev.eddy.sim.Simulation} call come from the backend's
 * {@link ResourcePlan}, which the backend itself allocates and copies from. The events come from the
 * {@link RunSchedule} that {@link LesRun} follows. This class adds only the order in which
 * {@link LesRun} makes its calls at each event: diagnostics, then the snapshot, then the checkpoint.
 * The copies are tallied in a {@link TransferLedger}, so the totals have the shape of the ledger
 * that a real run writes to its metrics.
 */
public final class RunExplanation {
    private final RunConfig config;
    private final ResourcePlan plan;
    private final long startStep;
    private final boolean restart;
    private final TransferLedger ledger = new TransferLedger();
    private final Map<String, Long> events = new LinkedHashMap<>();
    private final boolean exact;
    private long endStep;

    /**
     * @param startStep, startTime where the run starts: 0 for a new run, the checkpoint's for a restart
     */
    public RunExplanation(RunConfig config, boolean restart, long startStep, double startTime) {
        this.config = config;
        this.plan = Simulations.plan(config);
        this.startStep = startStep;
        this.restart = restart;
        // A run of so many steps takes a known sequence of advances. A run to an end time takes as many
        // steps as its dt allows, and the walk assumes that every step takes dt (the largest step).
        this.exact = config.time().steps() > 0;
        long events = estimatedEvents(config, startStep, startTime);
        if (events > MAX_EVENTS) {
            throw new dev.eddy.config.ConfigException(String.format(java.util.Locale.ROOT, "--explain walks the run event by event,"
                    + " and this one has about %.2g events (advances, diagnostics, snapshots, checkpoints): explain a shorter"
                    + " run (--steps or --end-time); every per-event copy scales with the run's length", (double) events));
        }
        walk(startTime);
    }

    /** The most events --explain walks (a second or so). */
    static final long MAX_EVENTS = 10_000_000;

    /** Events of the walk, about: the steps over the shortest output interval (diagnostics are never off). */
    static long estimatedEvents(RunConfig config, long startStep, double startTime) {
        var t = config.time();
        double steps = t.steps() > 0 ? t.steps() - startStep : (t.endTime() - startTime) / t.dt();
        var o = config.output();
        double perEvent = o.diagnosticsDt() > 0 ? Math.min(o.diagnosticsDt() / t.dt(), steps) : o.diagnosticsEvery();
        return (long) Math.min(Long.MAX_VALUE, Math.max(0, steps) / Math.max(1, perEvent));
    }

    /** Follows LesRun.run() event by event, tallying each call's planned copies. */
    private void walk(double startTime) {
        RunSchedule schedule = new RunSchedule(config);
        double dt = config.time().dt();
        long step = startStep;
        double time = startTime;
        double limit = Double.POSITIVE_INFINITY; // a new backend has no dt limit set
        boolean stateOnHost = false; // the Simulation contract: a state crosses to the host at most once
        long lastCheckpoint = restart ? startStep : -1;
        count("create");
        tally(plan.onCreate());
        if (restart) {
            count("restore");
            tally(plan.onRestore());
        } else {
            count("diagnostics");
            tally(plan.onDiagnostics());
            count("snapshot");
            tally(plan.onSnapshot());
            stateOnHost = true;
        }
        while (schedule.continues(step, time)) {
            int steps = schedule.stepsToNextEvent(step, time, plan.maxAdvance());
            double maxDt = schedule.maxDt(steps, time);
            boolean limitChanged = maxDt != limit;
            count("advance");
            if (limitChanged) {
                count("dt limit change");
            }
            tally(plan.onAdvance(limitChanged));
            limit = maxDt;
            stateOnHost = false;
            step += steps;
            time += steps * Math.min(dt, maxDt);
            boolean snap = schedule.snapshotAt(step, time);
            if (schedule.diagnosticsAt(step, time) || snap) {
                count("diagnostics");
                tally(plan.onDiagnostics());
            }
            if (snap) {
                count("snapshot");
                if (!stateOnHost) {
                    tally(plan.onSnapshot());
                    stateOnHost = true;
                }
            }
            if (schedule.checkpointAt(step)) {
                stateOnHost = checkpoint(step, lastCheckpoint, stateOnHost);
                lastCheckpoint = step;
            }
        }
        checkpoint(step, lastCheckpoint, stateOnHost); // LesRun always checkpoints at the end
        endStep = step;
    }

    /** A checkpoint reads the state unless this step is already checkpointed; returns whether the state is then on the host. */
    private boolean checkpoint(long step, long lastCheckpoint, boolean stateOnHost) {
        if (step == lastCheckpoint) {
            return stateOnHost;
        }
        count("checkpoint");
        if (!stateOnHost) {
            count("checkpoint reading the state");
            tally(plan.onStateRead());
        }
        return true;
    }

    private void count(String event) {
        events.merge(event, 1L, Long::sum);
    }

    private void tally(List<TransferSpec> copies) {
        for (TransferSpec t : copies) {
            ledger.record(t.stage(), t.direction(), t.buffer(), t.bytes());
        }
    }

    /** The buffers of the plan, as the memory map of a run lists them. */
    public List<Map<String, Object>> buffers() {
        return plan.buffers().stream().map(BufferSpec::describe).toList();
    }

    /** The run's copies, tallied as its transfer ledger will be (stage, direction, buffer, copies, bytes). */
    public List<Map<String, Object>> transfers() {
        return ledger.snapshot();
    }

    /** The copies each kind of call makes, by the event that makes it. */
    public Map<String, List<Map<String, Object>>> perEvent() {
        Map<String, List<Map<String, Object>>> m = new LinkedHashMap<>();
        m.put(restart ? "start (+ restore)" : "start", describe(restart ? concat(plan.onCreate(), plan.onRestore()) : plan.onCreate()));
        m.put("each advance()", describe(plan.onAdvance(false)));
        List<TransferSpec> limitExtra = new ArrayList<>(plan.onAdvance(true));
        limitExtra.removeAll(plan.onAdvance(false));
        m.put("+ new dt limit", describe(limitExtra));
        m.put("each diagnostics", describe(plan.onDiagnostics()));
        m.put("each snapshot", describe(plan.onSnapshot()));
        m.put("checkpoint off snapshot", describe(plan.onStateRead()));
        return m;
    }

    private static List<TransferSpec> concat(List<TransferSpec> a, List<TransferSpec> b) {
        List<TransferSpec> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static List<Map<String, Object>> describe(List<TransferSpec> ts) {
        return ts.stream().map(TransferSpec::describe).toList();
    }

    private long bytes(BufferSpec.Memory memory) {
        return plan.buffers().stream().filter(b -> b.memory() == memory).mapToLong(BufferSpec::bytes).sum();
    }

    /** The explanation for machines: {@code --explain-json}. */
    public Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", "eddy-explain/1");
        m.put("backend", config.backend().label());
        m.put("precision", config.precision().label());
        m.put("n", config.n());
        m.put("start_step", startStep);
        m.put("end_step", endStep);
        m.put("exact", exact);
        m.put("buffers", buffers());
        m.put("device_local_bytes", bytes(BufferSpec.Memory.DEVICE_LOCAL));
        m.put("host_visible_bytes", bytes(BufferSpec.Memory.HOST_VISIBLE));
        m.put("per_event", perEvent());
        m.put("events", events);
        m.put("transfers", transfers());
        Map<String, Object> totals = new LinkedHashMap<>();
        totals.put("host_to_device_bytes", ledger.totalBytes(TransferLedger.Direction.HOST_TO_DEVICE));
        totals.put("device_to_host_bytes", ledger.totalBytes(TransferLedger.Direction.DEVICE_TO_HOST));
        totals.put("copies", ledger.totalCopies());
        m.put("totals", totals);
        m.put("settings", config);
        return m;
    }

    /** The explanation for people: plain-text tables. */
    public String text() {
        StringBuilder o = new StringBuilder();
        var t = config.time();
        o.append(String.format(Locale.ROOT, "eddy run --explain: backend %s, %s, N = %d, %s, steps %d → %d%s%n",
                config.backend(), config.precision().label(), config.n(), t.stepper(), startStep, endStep,
                exact ? "" : String.format(Locale.ROOT, " (estimated: end time %s with every step at dt = %s; an adaptive dt takes more)",
                        t.endTime(), t.dt())));
        o.append(String.format(Locale.ROOT, "schedule: snapshot every %d, diagnostics every %d, checkpoint every %d (0 = off)%n",
                config.output().snapshotEvery(), config.output().diagnosticsEvery(), config.output().checkpointEvery()));
        o.append("Nothing was run; the buffers and copies are the backend's own plan, the one it allocates and copies from.\n\n");
        if (plan.buffers().isEmpty()) {
            o.append("Backend ").append(config.backend()).append(" has no device buffers: the state and every work field live in host "
                    + "memory, and nothing crosses between host and device.\n");
            o.append(eventLine());
            return o.toString();
        }
        o.append("Buffers\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"name", "bytes", "MiB", "memory", "moves", "lifetime"});
        for (BufferSpec b : plan.buffers()) {
            rows.add(new String[] {b.name(), Long.toString(b.bytes()), mib(b.bytes()), lower(b.memory()), lower(b.movement()), b.lifetime()});
        }
        table(o, rows);
        o.append(String.format(Locale.ROOT, "total: %d bytes (%s MiB) device-local, %d bytes (%s MiB) host-visible%n",
                bytes(BufferSpec.Memory.DEVICE_LOCAL), mib(bytes(BufferSpec.Memory.DEVICE_LOCAL)),
                bytes(BufferSpec.Memory.HOST_VISIBLE), mib(bytes(BufferSpec.Memory.HOST_VISIBLE))));
        o.append("(VkFFT's own allocations inside its plans, such as twiddle tables, are not visible to Eddy and not listed.)\n\n");

        o.append("Copies per event\n");
        rows = new ArrayList<>();
        rows.add(new String[] {"event", "stage", "direction", "buffer", "bytes"});
        for (var e : perEvent().entrySet()) {
            if (e.getValue().isEmpty()) {
                rows.add(new String[] {e.getKey(), "-", "-", "-", "0"});
            }
            for (var c : e.getValue()) {
                rows.add(new String[] {e.getKey(), str(c.get("stage")), str(c.get("direction")), str(c.get("buffer")), str(c.get("bytes"))});
            }
        }
        table(o, rows);
        o.append("advance(): one per chunk of steps up to the next output event (the host waits only there); "
                + "+ new dt limit: an advance()\nwhose dt limit changed (the clipped last steps of an end-time run); "
                + "a snapshot's copy overlaps the steps after it;\na checkpoint at a snapshot's step reuses that "
                + "snapshot's copy (a state crosses at most once).\n\n");
        o.append(eventLine()).append('\n');

        o.append(exact ? "Copies of the whole run (what its transfer ledger will record)\n"
                : "Copies of the whole run (estimated: see the first line)\n");
        rows = new ArrayList<>();
        rows.add(new String[] {"stage", "direction", "buffer", "copies", "bytes"});
        for (var c : transfers()) {
            rows.add(new String[] {str(c.get("stage")), str(c.get("direction")), str(c.get("buffer")), str(c.get("copies")), str(c.get("bytes"))});
        }
        table(o, rows);
        long up = ledger.totalBytes(TransferLedger.Direction.HOST_TO_DEVICE);
        long down = ledger.totalBytes(TransferLedger.Direction.DEVICE_TO_HOST);
        o.append(String.format(Locale.ROOT, "total: host→device %d bytes (%s MiB), device→host %d bytes (%s MiB), %d copies%n",
                up, mib(up), down, mib(down), ledger.totalCopies()));
        return o.toString();
    }

    private String eventLine() {
        StringBuilder o = new StringBuilder("events of the run:");
        events.forEach((k, v) -> o.append(' ').append(k).append(" ×").append(v).append(','));
        o.setLength(o.length() - 1);
        return o.append('\n').toString();
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.2f", bytes / 1048576.0);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static String str(Object o) {
        return String.valueOf(o);
    }

    /** Left-aligned columns, numbers right-aligned, two spaces apart. */
    private static void table(StringBuilder o, List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int c = 0; c < cols; c++) {
                w[c] = Math.max(w[c], r[c].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                boolean number = r[c].matches("[0-9.]+") && r != rows.get(0);
                String cell = number ? " ".repeat(w[c] - r[c].length()) + r[c] : r[c] + " ".repeat(w[c] - r[c].length());
                line.append(cell).append(c + 1 < cols ? "  " : "");
            }
            o.append(line.toString().stripTrailing()).append('\n');
        }
    }
}
