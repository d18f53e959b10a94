package dev.eddy.sim.cpu;

import dev.eddy.backend.Backend;
import dev.eddy.config.RunConfig;
import dev.eddy.numerics.ButcherTableau;
import dev.eddy.numerics.CpuFft2D_F64;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Parallel;
import dev.eddy.numerics.Reals_F64;
import dev.eddy.sim.Courant;
import dev.eddy.sim.FlowDiagnostics;
import dev.eddy.sim.InitialCondition;
import dev.eddy.sim.LesStep;
import dev.eddy.sim.Simulation;
import dev.eddy.sim.SimulationDivergedException;
import dev.eddy.sim.StepInfo;

/**
 * The CPU LES: runs the operations of {@link LesStep} (the step order the GPU records too) with the
 * kernels of {@link LesKernels_F64} and the batched FFT of {@link CpuFft2D_F64}: a Lawson Runge–Kutta step
 * (see {@link ButcherTableau}). The float32 twin {@code CpuLes_F32} is generated from this file.
 */
public final class CpuLes_F64 implements Simulation {
    private final RunConfig config;
    private final Grid grid;
    private final Parallel parallel;
    private final CpuFft2D_F64 fft;
    private final ButcherTableau tableau;
    private final boolean sgs;
    private final int spectralFields;
    private final int productFields;
    private final double csDelta2;
    private final double scale;
    private final double nu;
    private final double mu;

    private final double[] omega;
    private final double[] stageInput;
    private final double[][] k;
    private final double[] work;
    private final double[] forcing;
    private final double[] rowMax;
    private final double[] diagnosticRows;
    /** Decay tables E(δ·dt) keyed by the distinct delays δ of the tableau; recomputed when dt changes. */
    private final double[] delays; // neutral
    private final double[][] decayTables;
    private double tablesDt = Double.NaN; // neutral

    private final Ops ops = new Ops();
    /** The maxima {max|u|, max|v|, max(u² + v²)} of the last products, and of the current step's first stage. */
    private double[] lastMaxima; // neutral
    private double[] stepMaxima; // neutral
    private double[] diagnosticTotals; // neutral
    private double dtLimit; // neutral
    private double dt; // neutral

    private long step;
    private double time; // neutral

    /** The LES of {@code config} on the CPU backend's threads. */
    public CpuLes_F64(RunConfig config, Backend.Cpu backend) {
        this.config = config;
        this.grid = new Grid(config.n());
        this.parallel = new Parallel(backend.threads());
        this.fft = new CpuFft2D_F64(grid.n(), grid.n(), parallel);
        this.tableau = config.time().tableau();
        this.sgs = config.physics().hasSgs();
        this.spectralFields = sgs ? LesKernels_F64.SPECTRAL_FIELDS_SGS : LesKernels_F64.SPECTRAL_FIELDS_DNS;
        this.productFields = sgs ? LesKernels_F64.PRODUCT_FIELDS_SGS : LesKernels_F64.PRODUCT_FIELDS_DNS;
        double csDelta = config.physics().cs() * grid.spacing(); // neutral
        this.csDelta2 = (double) (csDelta * csDelta);
        this.scale = (double) (1.0 / ((double) grid.n() * grid.n()));
        this.nu = (double) config.physics().nu();
        this.mu = (double) config.physics().mu();

        int len = grid.fieldLength();
        int s = tableau.stages();
        this.omega = new double[len];
        this.stageInput = new double[len];
        this.k = new double[s][len];
        this.work = new double[spectralFields * len];
        this.rowMax = new double[LesKernels_F64.ROW_MAXIMA * grid.n()];
        this.diagnosticRows = new double[LesKernels_F64.DIAGNOSTIC_SUMS * grid.n()];
        ButcherTableau.Combination[] combinations = new ButcherTableau.Combination[s];
        java.util.TreeSet<Double> distinct = new java.util.TreeSet<>(); // neutral
        for (int t = 1; t <= s; t++) {
            combinations[t - 1] = tableau.combination(t);
            distinct.add(combinations[t - 1].omegaDelay());
            for (double d : combinations[t - 1].stageDelay()) { // neutral
                distinct.add(d);
            }
        }
        distinct.remove(0.0);
        this.delays = distinct.stream().mapToDouble(Double::doubleValue).toArray(); // neutral
        this.decayTables = new double[delays.length][grid.modes()];

        double[] f = InitialCondition.forcing(grid, config.forcing()); // neutral
        this.forcing = f == null ? null : Reals_F64.narrow(f);
        System.arraycopy(Reals_F64.narrow(InitialCondition.vorticity(grid, config.initial())), 0, omega, 0, len);
    }

    @Override
    public RunConfig config() {
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
    public StepInfo step(double maxDt) { // neutral
        dtLimit = maxDt;
        LesStep.step(tableau, ops);
        step++;
        time += dt;
        return new StepInfo(dt, Math.sqrt(stepMaxima[2]), Courant.number(grid, dt, stepMaxima[0], stepMaxima[1]));
    }

    /**
     * The explicit tendency N̂(ω̂) of a state (precision-neutral in and out): what the nonlinear,
     * SGS and forcing terms do to it, for diagnostics and for conservation tests.
     */
    public double[] tendency(double[] state) { // neutral
        System.arraycopy(Reals_F64.narrow(state), 0, stageInput, 0, stageInput.length);
        LesStep.products(LesStep.Field.STAGE_INPUT, ops);
        ops.explicitTerm(0);
        return Reals_F64.widen(k[0]);
    }

    /** Diagnostics of the current state: the products of ω̂ and the sums of {@link LesKernels_F64#diagnosticSums}. */
    @Override
    public FlowDiagnostics diagnostics() {
        LesStep.diagnostics(ops);
        return FlowDiagnostics.of(grid, config.physics(), diagnosticTotals, lastMaxima);
    }

    /** The operations of {@link LesStep}, run as they come with the kernels of {@link LesKernels_F64}. */
    private final class Ops implements LesStep.Ops {
        private double[] source;

        @Override
        public void spectralFields(LesStep.Field field) {
            source = field == LesStep.Field.OMEGA ? omega : stageInput;
            double[] in = source;
            parallel.forRange(grid.n(), (j0, j1) -> LesKernels_F64.spectralFields(grid, in, work, sgs, scale, j0, j1));
        }

        @Override
        public void inverseFft() {
            fft.inverse(work, spectralFields);
        }

        @Override
        public void physicalProducts() {
            parallel.forRange(grid.n(), (j0, j1) -> LesKernels_F64.physicalProducts(grid, work, sgs, csDelta2, rowMax, j0, j1));
            lastMaxima = LesKernels_F64.gridMaxima(rowMax, grid.n());
        }

        @Override
        public void forwardFft() {
            fft.forward(work, productFields);
        }

        @Override
        public void explicitTerm(int stage) {
            double[] out = k[stage];
            parallel.forRange(grid.n(), (j0, j1) -> LesKernels_F64.explicitTerm(grid, work, sgs, forcing, out, j0, j1));
        }

        /** dt from the first stage's maxima; a state whose speed is not finite stops here, before it is overwritten. */
        @Override
        public void courantStep() {
            stepMaxima = lastMaxima;
            double maxSpeed = Math.sqrt(stepMaxima[2]); // neutral
            if (!Double.isFinite(maxSpeed) || !Double.isFinite(stepMaxima[0] + stepMaxima[1])) { // neutral
                throw new SimulationDivergedException(step, time, "max|u| = " + maxSpeed);
            }
            dt = Math.min(Courant.step(config.time(), grid, stepMaxima[0], stepMaxima[1]), dtLimit);
            updateDecayTables(dt);
        }

        @Override
        public void combine(ButcherTableau.Combination c, LesStep.Field target) {
            CpuLes_F64.this.combine(c, target == LesStep.Field.OMEGA ? omega : stageInput, dt);
        }

        @Override
        public void diagnosticSums() {
            parallel.forRange(grid.n(), (j0, j1) -> LesKernels_F64.diagnosticSums(grid, omega, work, sgs, forcing, diagnosticRows,
                    j0, j1));
            diagnosticTotals = LesKernels_F64.diagnosticTotals(diagnosticRows, grid.n());
        }
    }

    private void combine(ButcherTableau.Combination c, double[] target,
            double dt) { // neutral
        int used = c.stage().length;
        double[][] stages = new double[used][];
        double[] weights = new double[used];
        double[][] stageDecay = new double[used][];
        for (int u = 0; u < used; u++) {
            stages[u] = k[c.stage()[u]];
            weights[u] = (double) (dt * c.coef()[u]);
            stageDecay[u] = table(c.stageDelay()[u]);
        }
        double[] omegaDecay = table(c.omegaDelay());
        parallel.forRange(grid.n(), (j0, j1) ->
                LesKernels_F64.lawsonCombine(grid, target, omega, omegaDecay, stages, weights, stageDecay, j0, j1));
    }

    private double[] table(
            double delay) { // neutral
        if (delay == 0) {
            return null;
        }
        return decayTables[java.util.Arrays.binarySearch(delays, delay)];
    }

    private void updateDecayTables(double dt) { // neutral
        if (dt == tablesDt) {
            return;
        }
        for (int d = 0; d < delays.length; d++) {
            double[] t = decayTables[d];
            double tau = (double) (delays[d] * dt);
            parallel.forRange(grid.n(), (j0, j1) -> LesKernels_F64.decayTable(grid, nu, mu, tau, t, j0, j1));
        }
        tablesDt = dt;
    }

    @Override
    public long stepCount() {
        return step;
    }

    @Override
    public double time() { // neutral
        return time;
    }

    @Override
    public double[] spectralState() { // neutral
        double[] out = new double[omega.length]; // neutral
        for (int p = 0; p < omega.length; p++) {
            out[p] = omega[p];
        }
        return out;
    }

    @Override
    public void restore(double[] state, long step, double time) { // neutral
        if (state.length != omega.length) {
            throw new IllegalArgumentException("state of " + state.length + " reals does not fit N = " + grid.n());
        }
        System.arraycopy(Reals_F64.narrow(state), 0, omega, 0, omega.length);
        this.step = step;
        this.time = time;
    }

    @Override
    public double[] vorticity() { // neutral
        int n = grid.n();
        int stride = grid.rowStride();
        double[] field = new double[grid.fieldLength()];
        for (int p = 0; p < field.length; p++) {
            field[p] = omega[p] * scale;
        }
        fft.inverse(field, 1);
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
