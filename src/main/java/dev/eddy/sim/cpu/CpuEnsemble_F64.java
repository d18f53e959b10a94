package dev.eddy.sim.cpu;

import dev.eddy.backend.Backend;
import dev.eddy.config.EnsembleConfig;
import dev.eddy.config.RunConfig;
import dev.eddy.numerics.ButcherTableau;
import dev.eddy.numerics.CpuFft2D_F64;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Parallel;
import dev.eddy.numerics.Reals_F64;
import dev.eddy.sim.Courant;
import dev.eddy.sim.Ensemble;
import dev.eddy.sim.EnsembleSnapshot;
import dev.eddy.sim.FlowDiagnostics;
import dev.eddy.sim.InitialCondition;
import dev.eddy.sim.LesStep;
import dev.eddy.sim.MemberParams;
import dev.eddy.sim.MemberStatus;
import dev.eddy.sim.StepInfo;
import java.util.List;

/**
 * The CPU LES of a batch of members: runs the operations of {@link LesStep} (the step order the GPU
 * records too) over every member at once with the member-indexed kernels of {@link LesKernels_F64} and
 * the batched FFT of {@link CpuFft2D_F64}. The members are spread over the threads with the rows: a loop
 * runs over the B·N packed rows of all members, and the FFT over the fields of all members. Each member
 * has its own parameters (the {@link MemberParams} table), decay tables, dt, step count and time; a
 * member's numbers do not depend on the others, so a member of a batch is bit for bit the member run
 * alone, and a single run is the batch of one ({@code CpuLes_F64}). The float32 twin
 * {@code CpuEnsemble_F32} is generated from this file.
 */
public final class CpuEnsemble_F64 implements Ensemble {
    private final EnsembleConfig config;
    private final RunConfig[] memberConfigs;
    private final Grid grid;
    private final int members;
    private final Parallel parallel;
    private final CpuFft2D_F64 fft;
    private final ButcherTableau tableau;
    private final boolean sgs;
    private final int spectralFields;
    private final int productFields;
    private final double scale;

    /** The {@link MemberParams} table, in this precision. */
    private final double[] params;
    private final double[] omega;
    private final double[] stageInput;
    /** The explicit terms of the stages: k[s] holds every member's, member m at m·L. */
    private final double[][] k;
    private final double[] work;
    private final double[] forcing;
    private final int forcingStride;
    private final double[] rowMax;
    private final double[] diagnosticRows;
    /** Decay tables E(δ·dt_m) keyed by the distinct delays δ of the tableau, each holding every member's modes; recomputed when a dt changes. */
    private final double[] delays; // neutral
    private final double[][] decayTables;
    private final double[] tablesDt; // neutral
    private final double[] tau;

    private final Ops ops = new Ops();
    private final MemberStatus[] status;
    /** The dt limit of each member's next step, and the dt each member takes in the current step. */
    private final double[] dtLimit; // neutral
    private final double[] dt; // neutral
    /** Whether each member takes the current step (running, and its speed finite). */
    private final boolean[] stepping;
    /** Each member's maxima {max|u|, max|v|, max(u² + v²)} of the last products, and of the current step's first stage. */
    private final double[][] lastMaxima; // neutral
    private final double[][] stepMaxima; // neutral
    private final double[][] diagnosticTotals; // neutral

    /** The batch of {@code config}'s members on the CPU backend's threads. */
    public CpuEnsemble_F64(EnsembleConfig config, Backend.Cpu backend) {
        this.config = config;
        this.members = config.size();
        this.memberConfigs = new RunConfig[members];
        for (int m = 0; m < members; m++) {
            memberConfigs[m] = config.member(m);
        }
        RunConfig base = config.base();
        this.grid = new Grid(base.n());
        this.parallel = new Parallel(backend.threads());
        this.fft = new CpuFft2D_F64(grid.n(), grid.n(), parallel);
        this.tableau = base.time().tableau();
        this.sgs = config.sgs();
        this.spectralFields = sgs ? LesKernels_F64.SPECTRAL_FIELDS_SGS : LesKernels_F64.SPECTRAL_FIELDS_DNS;
        this.productFields = sgs ? LesKernels_F64.PRODUCT_FIELDS_SGS : LesKernels_F64.PRODUCT_FIELDS_DNS;
        this.scale = (double) (1.0 / ((double) grid.n() * grid.n()));
        this.params = Reals_F64.narrow(MemberParams.table(config));

        int len = grid.fieldLength();
        long batched = (long) spectralFields * members * len;
        if (batched > Integer.MAX_VALUE - 8) {
            throw new dev.eddy.config.ConfigException(members + " members of N = " + grid.n() + " need a work array of " + batched
                    + " reals, more than one Java array holds: run fewer members per batch");
        }
        int s = tableau.stages();
        this.omega = new double[members * len];
        this.stageInput = new double[members * len];
        this.k = new double[s][members * len];
        this.work = new double[spectralFields * members * len];
        this.rowMax = new double[LesKernels_F64.ROW_MAXIMA * members * grid.n()];
        this.diagnosticRows = new double[LesKernels_F64.DIAGNOSTIC_SUMS * members * grid.n()];
        java.util.TreeSet<Double> distinct = new java.util.TreeSet<>(); // neutral
        for (int t = 1; t <= s; t++) {
            ButcherTableau.Combination c = tableau.combination(t);
            distinct.add(c.omegaDelay());
            for (double d : c.stageDelay()) { // neutral
                distinct.add(d);
            }
        }
        distinct.remove(0.0);
        this.delays = distinct.stream().mapToDouble(Double::doubleValue).toArray(); // neutral
        this.decayTables = new double[delays.length][members * grid.modes()];
        this.tablesDt = new double[members]; // neutral
        java.util.Arrays.fill(tablesDt, Double.NaN);
        this.tau = new double[members];

        this.forcingStride = config.forcingPerMember() ? len : 0;
        if (!config.forced()) {
            this.forcing = null;
        } else {
            this.forcing = new double[config.forcingPerMember() ? members * len : len];
            for (int m = 0; m < (config.forcingPerMember() ? members : 1); m++) {
                double[] f = InitialCondition.forcing(grid, memberConfigs[m].forcing()); // neutral
                if (f != null) {
                    System.arraycopy(Reals_F64.narrow(f), 0, forcing, m * len, len);
                }
            }
        }
        // the members in parallel: each field comes from its own seed alone
        java.util.stream.IntStream.range(0, members).parallel().forEach(m ->
                System.arraycopy(Reals_F64.narrow(InitialCondition.vorticity(grid, memberConfigs[m].initial())), 0, omega, m * len, len));
        this.status = new MemberStatus[members];
        java.util.Arrays.fill(status, MemberStatus.start());
        this.dtLimit = new double[members]; // neutral
        this.dt = new double[members]; // neutral
        this.stepping = new boolean[members];
        this.lastMaxima = new double[members][]; // neutral
        this.stepMaxima = new double[members][]; // neutral
        this.diagnosticTotals = new double[members][]; // neutral
    }

    @Override
    public EnsembleConfig config() {
        return config;
    }

    @Override
    public Grid grid() {
        return grid;
    }

    @Override
    public String name() {
        return "cpu-" + dev.eddy.numerics.Precision.FP64.label();
    }

    @Override
    public StepInfo[] advance(int count, double[] maxDt) { // neutral
        if (maxDt.length != members) {
            throw new IllegalArgumentException("one dt limit per member: " + members + ", got " + maxDt.length);
        }
        StepInfo[] last = new StepInfo[members];
        for (int i = 0; i < count && anyRunning(); i++) {
            System.arraycopy(maxDt, 0, dtLimit, 0, members);
            LesStep.step(tableau, ops);
            for (int m = 0; m < members; m++) {
                if (stepping[m]) {
                    status[m] = status[m].stepped(dt[m]);
                    double[] x = stepMaxima[m]; // neutral
                    last[m] = new StepInfo(dt[m], Math.sqrt(x[2]), Courant.number(grid, dt[m], x[0], x[1]));
                }
            }
        }
        return last;
    }

    private boolean anyRunning() {
        for (MemberStatus s : status) {
            if (s.running()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The explicit tendency N̂(ω̂) of a state under member 0's settings (precision-neutral in and out):
     * what the nonlinear, SGS and forcing terms do to it, for diagnostics and for conservation tests.
     */
    public double[] tendency(double[] state) { // neutral
        System.arraycopy(Reals_F64.narrow(state), 0, stageInput, 0, grid.fieldLength());
        LesStep.products(LesStep.Field.STAGE_INPUT, ops);
        ops.explicitTerm(0);
        return Reals_F64.widen(java.util.Arrays.copyOf(k[0], grid.fieldLength()));
    }

    /** Diagnostics of every member's state: the products of ω̂ and the sums of {@link LesKernels_F64#diagnosticSums}. */
    @Override
    public FlowDiagnostics[] diagnostics() {
        LesStep.diagnostics(ops);
        FlowDiagnostics[] out = new FlowDiagnostics[members];
        for (int m = 0; m < members; m++) {
            out[m] = FlowDiagnostics.of(grid, memberConfigs[m].physics(), diagnosticTotals[m], lastMaxima[m]);
        }
        return out;
    }

    /** The operations of {@link LesStep}, run as they come over every member with the kernels of {@link LesKernels_F64}. */
    private final class Ops implements LesStep.Ops {
        /** The packed rows of every member, the range of each loop. */
        private int rows() {
            return members * grid.n();
        }

        @Override
        public void spectralFields(LesStep.Field field) {
            double[] in = field == LesStep.Field.OMEGA ? omega : stageInput;
            parallel.forRange(rows(), (r0, r1) -> LesKernels_F64.spectralFields(grid, members, in, work, sgs, scale, r0, r1));
        }

        @Override
        public void inverseFft() {
            fft.inverse(work, spectralFields * members);
        }

        @Override
        public void physicalProducts() {
            parallel.forRange(rows(), (r0, r1) -> LesKernels_F64.physicalProducts(grid, members, work, sgs, params, rowMax, r0, r1));
            for (int m = 0; m < members; m++) {
                lastMaxima[m] = LesKernels_F64.gridMaxima(rowMax, grid.n(), m);
            }
        }

        @Override
        public void forwardFft() {
            fft.forward(work, productFields * members);
        }

        @Override
        public void explicitTerm(int stage) {
            double[] out = k[stage];
            parallel.forRange(rows(), (r0, r1) -> LesKernels_F64.explicitTerm(grid, members, work, sgs, forcing, forcingStride, out,
                    r0, r1));
        }

        /**
         * Each running member's dt from its first stage's maxima (the shared dt: their minimum); a member
         * whose speed is not finite is dropped here, before its state is overwritten.
         */
        @Override
        public void courantStep() {
            double shared = Double.POSITIVE_INFINITY; // neutral
            for (int m = 0; m < members; m++) {
                stepMaxima[m] = lastMaxima[m];
                stepping[m] = false;
                if (!status[m].running()) {
                    continue;
                }
                double[] x = stepMaxima[m]; // neutral
                double maxSpeed = Math.sqrt(x[2]); // neutral
                if (!Double.isFinite(maxSpeed) || !Double.isFinite(x[0] + x[1])) { // neutral
                    stop(m, MemberStatus.Phase.DROPPED, "max|u| = " + maxSpeed);
                    continue;
                }
                dt[m] = Math.min(Courant.step(config.base().time(), grid, x[0], x[1]), dtLimit[m]);
                shared = Math.min(shared, dt[m]);
                stepping[m] = true;
            }
            if (config.sharedDt()) {
                for (int m = 0; m < members; m++) {
                    dt[m] = shared;
                }
            }
            updateDecayTables();
        }

        @Override
        public void combine(ButcherTableau.Combination c, LesStep.Field target) {
            CpuEnsemble_F64.this.combine(c, target == LesStep.Field.OMEGA ? omega : stageInput);
        }

        @Override
        public void diagnosticSums() {
            parallel.forRange(rows(), (r0, r1) -> LesKernels_F64.diagnosticSums(grid, members, omega, work, sgs, forcing, forcingStride,
                    diagnosticRows, r0, r1));
            for (int m = 0; m < members; m++) {
                diagnosticTotals[m] = LesKernels_F64.diagnosticTotals(diagnosticRows, grid.n(), m);
            }
        }
    }

    private void combine(ButcherTableau.Combination c, double[] target) {
        int used = c.stage().length;
        double[][] stages = new double[used][];
        double[][] stageDecay = new double[used][];
        double[] weights = new double[members * used];
        for (int u = 0; u < used; u++) {
            stages[u] = k[c.stage()[u]];
            stageDecay[u] = table(c.stageDelay()[u]);
            for (int m = 0; m < members; m++) {
                weights[m * used + u] = (double) (dt[m] * c.coef()[u]);
            }
        }
        double[] omegaDecay = table(c.omegaDelay());
        parallel.forRange(members * grid.n(), (r0, r1) ->
                LesKernels_F64.lawsonCombine(grid, params, target, omega, omegaDecay, stages, weights, stageDecay, r0, r1));
    }

    private double[] table(
            double delay) { // neutral
        if (delay == 0) {
            return null;
        }
        return decayTables[java.util.Arrays.binarySearch(delays, delay)];
    }

    /** Recomputes the decay tables when a stepping member's dt changed (every member's rows: a member's table depends only on its own dt, ν and μ). */
    private void updateDecayTables() {
        boolean changed = false;
        for (int m = 0; m < members; m++) {
            changed |= stepping[m] && dt[m] != tablesDt[m];
        }
        if (!changed) {
            return;
        }
        for (int d = 0; d < delays.length; d++) {
            double[] t = decayTables[d];
            for (int m = 0; m < members; m++) {
                tau[m] = (double) (delays[d] * dt[m]);
            }
            parallel.forRange(members * grid.n(), (r0, r1) -> LesKernels_F64.decayTable(grid, params, tau, t, r0, r1));
        }
        System.arraycopy(dt, 0, tablesDt, 0, members);
    }

    @Override
    public MemberStatus status(int m) {
        return status[m];
    }

    @Override
    public void stop(int m, MemberStatus.Phase phase, String reason) {
        status[m] = status[m].stopped(phase, reason);
        params[m * MemberParams.COUNT + MemberParams.ACTIVE] = (double) 0;
    }

    @Override
    public double[] spectralState(int m) { // neutral
        int len = grid.fieldLength();
        double[] out = new double[len]; // neutral
        for (int p = 0; p < len; p++) {
            out[p] = omega[m * len + p];
        }
        return out;
    }

    @Override
    public EnsembleSnapshot.Pending requestSnapshot() {
        long[] steps = new long[members];
        double[] times = new double[members]; // neutral
        double[][] states = new double[members][]; // neutral
        for (int m = 0; m < members; m++) {
            steps[m] = status[m].step();
            times[m] = status[m].time();
            states[m] = spectralState(m);
        }
        // transformed on the writer's thread with a transform of its own (this one's pool steps on meanwhile)
        return EnsembleSnapshot.Pending.completed(new EnsembleSnapshot(steps, times, states, s -> {
            try (Parallel one = new Parallel(1)) {
                return vorticity(Reals_F64.narrow(s), 0, new CpuFft2D_F64(grid.n(), grid.n(), one));
            }
        }));
    }

    @Override
    public void restore(double[][] states, List<MemberStatus> restored) { // neutral
        int len = grid.fieldLength();
        if (states.length != members || restored.size() != members) {
            throw new IllegalArgumentException(members + " members, got " + states.length + " states and " + restored.size() + " statuses");
        }
        for (int m = 0; m < members; m++) {
            if (states[m].length != len) {
                throw new IllegalArgumentException("state of " + states[m].length + " reals does not fit N = " + grid.n());
            }
            System.arraycopy(Reals_F64.narrow(states[m]), 0, omega, m * len, len);
            status[m] = restored.get(m);
            params[m * MemberParams.COUNT + MemberParams.ACTIVE] = (double) (status[m].running() ? 1 : 0);
        }
    }

    @Override
    public double[] vorticity(int m) { // neutral
        return vorticity(omega, m * grid.fieldLength(), fft);
    }

    /** ω of the state at {@code from} in {@code state}, with the transform {@code transform}: N×N, unpadded, widened. */
    private double[] vorticity( // neutral
            double[] state, int from, CpuFft2D_F64 transform) {
        int n = grid.n();
        int stride = grid.rowStride();
        double[] field = new double[grid.fieldLength()];
        for (int p = 0; p < field.length; p++) {
            field[p] = state[from + p] * scale;
        }
        transform.inverse(field, 1);
        double[] out = new double[n * n]; // neutral
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                out[y * n + x] = field[y * stride + x];
            }
        }
        return out;
    }

    @Override
    public void close() {
        parallel.close();
    }
}
