package dev.eddy.codec;

import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.Push;
import dev.eddy.gpu.StepProgram;
import dev.eddy.gpu.VkFftPlan;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Precision;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The GPU side of {@link CodecSteps}: records its operations into a {@link StepProgram} with the GLSL
 * twins of {@link CodecKernels_F64} and {@link TernaryKernels} around one VkFFT plan. Records, never
 * submits; {@link GpuCodec} freezes and replays the programs. Before recording, the codec names the
 * spectrum being encoded ({@link #source}) and the latent matrix read or written ({@link #latents}).
 */
final class GpuCodecRecorder implements CodecSteps.Ops {
    private static final int WORD_GROUP = 256;

    /** The kernels, the plan and the codec's own buffers. */
    record Parts(ComputeKernel gatherLatent, ComputeKernel spectralResidual, ComputeKernel scatterLatent,
                 ComputeKernel tileMeanAbs, ComputeKernel tileMask, ComputeKernel majority3x3, ComputeKernel ternaryScale,
                 ComputeKernel pack, ComputeKernel synthesize, VkFftPlan fft, DeviceBuffer filter, DeviceBuffer field,
                 DeviceBuffer meanAbs, DeviceBuffer mask, DeviceBuffer smoothed, DeviceBuffer alpha, DeviceBuffer packed) {
    }

    private final CodecSettings settings;
    private final Grid grid;
    private final Precision precision;
    private final int d;
    private final Parts p;
    private final Map<List<Object>, ComputeKernel.Binding> bindings = new HashMap<>();
    private StepProgram.Builder b;
    private DeviceBuffer source;
    private DeviceBuffer latents;

    GpuCodecRecorder(CodecSettings settings, Parts parts) {
        this.settings = settings;
        this.grid = new Grid(settings.n());
        this.precision = settings.precision();
        this.d = settings.latentDimension();
        this.p = parts;
    }

    /** The plan of the work field (both directions). */
    VkFftPlan fft() {
        return p.fft();
    }

    /** Records the encode of the spectrum in {@code spectrum} (or, {@code fromHost}, of the field uploaded into the work field) into column {@code column} of {@code into}. */
    void encode(StepProgram.Builder builder, DeviceBuffer spectrum, DeviceBuffer into, int column, boolean fromHost) {
        this.b = builder;
        this.source = spectrum;
        this.latents = into;
        CodecSteps.encode(settings, fromHost, column, this);
    }

    /** Records the decode of column {@code column} of {@code from} into the work field, with {@code residual} (or none). */
    void decode(StepProgram.Builder builder, DeviceBuffer from, int column, SnapshotCodec.Residual residual) {
        this.b = builder;
        this.latents = from;
        CodecSteps.decode(residual, column, this);
    }

    @Override
    public void forwardFft() {
        b.fft(p.fft(), VkFftPlan.FORWARD);
    }

    /**
     * Records {@code out} = {@code spectrum}/N² through spectral_residual with the all-zero latent
     * {@code zero} (r̂ = ω̂/N² − 0): a scaled copy of a spectrum, ready for an inverse FFT of {@code out}.
     */
    void scaledCopy(StepProgram.Builder builder, DeviceBuffer spectrum, DeviceBuffer zero, DeviceBuffer out) {
        int n = grid.n();
        builder.dispatch(bind(p.spectralResidual(), spectrum, zero, p.filter(), out),
                Push.of(precision).real(scale()).i(n).i(settings.k()).i(0).build(), groups(grid.halfX(), 16), groups(n, 16), 1);
    }

    @Override
    public void gatherLatent(int column) {
        int n = grid.n();
        int k = settings.k();
        b.dispatch(bind(p.gatherLatent(), source, latents), Push.of(precision).real(scale()).i(n).i(k).i(zOffset(column)).build(),
                groups(k + 1, 16), groups(2 * k + 1, 16), 1);
        b.barrier();
    }

    @Override
    public void spectralResidual(int column) {
        int n = grid.n();
        b.dispatch(bind(p.spectralResidual(), source, latents, p.filter(), p.field()),
                Push.of(precision).real(scale()).i(n).i(settings.k()).i(zOffset(column)).build(), groups(grid.halfX(), 16),
                groups(n, 16), 1);
    }

    @Override
    public void inverseFft() {
        b.fft(p.fft(), VkFftPlan.INVERSE);
    }

    @Override
    public void tileMeanAbs() {
        int tps = settings.tilesPerSide();
        b.dispatch(bind(p.tileMeanAbs(), p.field(), p.meanAbs()), Push.of(precision).i(grid.n()).i(settings.tile()).build(), tps, tps, 1);
        b.barrier();
    }

    @Override
    public void tileMask() {
        wordDispatch(bind(p.tileMask(), p.field(), p.meanAbs(), p.mask()),
                Push.of(precision).real(settings.theta()).i(grid.n()).i(settings.tile()).build(), maskWords());
        b.barrier();
    }

    @Override
    public void majority3x3() {
        wordDispatch(bind(p.majority3x3(), p.mask(), p.smoothed()), Push.of(precision).i(grid.n()).build(), maskWords());
        b.barrier();
    }

    /** α, reading r and the final mask; the packed code reads the same two, so no barrier between them. */
    @Override
    public void ternaryScale(int slot) {
        int tps = settings.tilesPerSide();
        b.dispatch(bind(p.ternaryScale(), p.field(), finalMask(), p.alpha()),
                Push.of(precision).i(grid.n()).i(settings.tile()).i(alphaOffset(slot)).build(), tps, tps, 1);
    }

    /** t fused into the packing: pack.comp forms sign(r)·m from r and the mask as it packs. */
    @Override
    public void pack(int slot) {
        wordDispatch(bind(p.pack(), p.field(), finalMask(), p.packed()), Push.of(precision).i(grid.n()).i(wordOffset(slot)).build(),
                wordsPerSlot());
    }

    @Override
    public void scatterLatent(int column) {
        b.dispatch(bind(p.scatterLatent(), latents, p.filter(), p.field()),
                Push.of(precision).i(grid.n()).i(settings.k()).i(zOffset(column)).build(), groups(grid.halfX(), 16),
                groups(grid.n(), 16), 1);
    }

    @Override
    public void synthesize(int slot, double fade) {
        b.dispatch(bind(p.synthesize(), p.alpha(), p.packed(), p.field()),
                Push.of(precision).real(fade).i(grid.n()).i(settings.tile()).i(alphaOffset(slot)).i(wordOffset(slot)).build(),
                groups(grid.n(), 16), groups(grid.n(), 16), 1);
    }

    /**
     * Records the lagged products of the decoded residuals of code slots [from, from + count) into {@code out}
     * (count × lags float64, row-major: [a][h] = ⟨ρ_a, ρ_{a+h}⟩): one workgroup per (a, h).
     */
    void residualLags(StepProgram.Builder builder, ComputeKernel kernel, DeviceBuffer out, int from, int count, int lags) {
        builder.dispatch(bind(kernel, p.alpha(), p.packed(), out), Push.of(precision).i(grid.n()).i(settings.tile()).i(settings.tiles())
                .i(Math.toIntExact(wordsPerSlot())).i(from).i(count).i(lags).build(), count, lags, 1);
    }

    /** 32-bit words of one slot of the packed code (whole words: 16 need not divide N², N = 30 gives 225 bytes). */
    long wordsPerSlot() {
        long n = grid.n();
        return (n * n + 15) / 16;
    }

    /** The offset of code slot {@code slot} in α, in reals, as the shaders' 32-bit push constant. */
    private int alphaOffset(int slot) {
        return offset((long) slot * settings.tiles(), "α");
    }

    /** The offset of code slot {@code slot} in the packed code, in words. */
    private int wordOffset(int slot) {
        return offset((long) slot * wordsPerSlot(), "packed code");
    }

    private static int offset(long at, String of) {
        if (at > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("a code slot starts past element 2³² of the " + of + ": the shaders index it with 32-bit offsets");
        }
        return (int) at;
    }

    private DeviceBuffer finalMask() {
        return settings.majority() ? p.smoothed() : p.mask();
    }

    private double scale() {
        return 1.0 / ((double) grid.n() * grid.n());
    }

    private long maskWords() {
        return (long) grid.n() * grid.n() / 4;
    }

    /** A descriptor set per (kernel, buffers), made once: a kernel's pool holds 32 sets. */
    private ComputeKernel.Binding bind(ComputeKernel kernel, DeviceBuffer... buffers) {
        List<Object> key = new ArrayList<>(buffers.length + 1);
        key.add(kernel);
        key.addAll(List.of(buffers));
        return bindings.computeIfAbsent(key, k -> kernel.bind(buffers));
    }

    /** The offset of latent column {@code column} in reals, as the shaders' 32-bit push constant. */
    int zOffset(int column) {
        long offset = (long) column * d;
        if (offset + d > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("latent column " + column + " starts past real 2³² of its matrix: the shaders index"
                    + " it with 32-bit offsets");
        }
        return (int) offset;
    }

    private static int groups(long count, int size) {
        return Math.toIntExact((count + size - 1) / size);
    }

    /** One invocation per word, as a 2D grid of workgroups (a 1D grid stops at 65535 groups). */
    private void wordDispatch(ComputeKernel.Binding binding, ByteBuffer push, long words) {
        long total = (words + WORD_GROUP - 1) / WORD_GROUP;
        int gx = (int) Math.min(total, 32768);
        b.dispatch(binding, push, gx, groups(total, gx), 1);
    }

    /**
     * The Gaussian factor of every latent mode, index q/2 for latent index q, by the Java twin's own
     * gaussian() in the codec's precision: GLSL's exp is float-only, and a table gives the fp64 shaders
     * the CPU's exact factors.
     */
    static double[] filterTable(CodecSettings s) {
        int k = s.k();
        double[] f = new double[s.latentDimension() / 2];
        for (int ky = -k; ky <= k; ky++) {
            for (int kx = 0; kx <= k; kx++) {
                f[CodecKernels_F64.latentIndex(k, kx, ky) / 2] = s.precision() == Precision.FP64
                        ? CodecKernels_F64.gaussian(kx, ky, s.sigma())
                        : CodecKernels_F32.gaussian(kx, ky, (float) s.sigma());
            }
        }
        return f;
    }
}
