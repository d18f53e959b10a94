package dev.eddy.codec;

import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.ContextOptions;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.FftPlans;
import dev.eddy.gpu.GpuUnavailableException;
import dev.eddy.gpu.RealBuffers;
import dev.eddy.gpu.StepProgram;
import dev.eddy.gpu.VkFftPlan;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Precision;
import dev.eddy.gpu.Push;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The codec on the Vulkan engine: the kernels of {@link CpuCodec_F64} as GLSL twins
 * ({@code src/main/glsl/codec}, one per Java loop) around one VkFFT plan, recorded into
 * {@link StepProgram}s and replayed. Z, α, the mask and the packed code stay on the device; the host
 * sees only what it asks for: a code ({@link #readCode}, stage "encode") or a decoded field
 * ({@link #decodeColumn}, stage "decode"), each a declared read-back counted in the transfer ledger.
 *
 * <p>Encode of a spectrum already on the device (the LES state ω̂), in the order recorded:
 * gather_latent (Z into its column) → spectral_residual (r̂ = ω̂/N² − L̂(Z), linearity of the FFT
 * replacing scatter + inverse FFT of L̂ + residual) → inverse FFT of r̂ → tile_mean_abs → tile_mask →
 * [majority3x3] → ternary_scale (α) and pack (t fused into the packing). Decode: scatter_latent →
 * inverse FFT → [synthesize] → read-back. {@code planning/gpu-codec.md} has the bytes each moves.
 *
 * <p>Programs are recorded per (source buffer, column) because the column offset is a push constant
 * (StepProgram freezes push constants); the last {@value #PROGRAMS_KEPT} are kept, least recently used
 * dropped first. Not thread-safe (one set of work buffers).
 */
public final class GpuCodec implements SnapshotCodec {
    /** Ledger stage of the encode's host traffic: the field of {@link #encode}, codes, uploaded latents. */
    public static final String ENCODE_STAGE = "encode";
    /** Ledger stage of the decode's host traffic: decoded fields, uploaded codes. */
    public static final String DECODE_STAGE = "decode";
    /** Recorded programs kept (each a command buffer and a fence; read-back programs also hold their staging). */
    static final int PROGRAMS_KEPT = 8;
    private static final int WORD_GROUP = 256;
    /** No residual on the device yet. */
    private static final int NO_RESIDUAL = -1;
    /** The residual came from {@link #setResidual}, not from an encode. */
    private static final int UPLOADED_RESIDUAL = -2;

    private final CodecSettings settings;
    private final Grid grid;
    private final Precision precision;
    private final VulkanContext ctx;
    private final boolean ownsContext;
    private final int latentColumns;
    private final int d;
    private final long columnBytes;
    private final List<AutoCloseable> owned = new ArrayList<>();
    private final boolean timestamps;
    private final FftPlans plans;
    private final VkFftPlan fft;
    private final DeviceBuffer latents;
    private final DeviceBuffer filter;
    private final DeviceBuffer field;
    private final DeviceBuffer meanAbs;
    private final DeviceBuffer mask;
    private final DeviceBuffer smoothed;
    private final DeviceBuffer alpha;
    private final DeviceBuffer packed;
    private final DeviceBuffer codeZ;
    private final ComputeKernel gatherLatent;
    private final ComputeKernel spectralResidual;
    private final ComputeKernel scatterLatent;
    private final ComputeKernel tileMeanAbs;
    private final ComputeKernel tileMask;
    private final ComputeKernel majority3x3;
    private final ComputeKernel ternaryScale;
    private final ComputeKernel pack;
    private final ComputeKernel synthesize;
    private final Map<List<Object>, ComputeKernel.Binding> bindings = new HashMap<>();
    private final Map<List<Object>, StepProgram> programs = new LinkedHashMap<>(16, 0.75f, true);
    private final StepProgram fieldReadBack;
    private StepProgram lastRun;
    /** The column of the last encode (whose α and t are on the device), or NO_RESIDUAL / UPLOADED_RESIDUAL. */
    private int residualOf = NO_RESIDUAL;
    private boolean closed;

    /** On a shared context (close() does not close it); the device latent matrix has latentColumns columns. */
    public GpuCodec(VulkanContext ctx, CodecSettings settings, int latentColumns) {
        this(ctx, settings, latentColumns, false);
    }

    /** On a context of its own (closed by close()), one latent column: used by `eddy encode/decode --backend vulkan`. */
    public static GpuCodec open(CodecSettings settings, ContextOptions options) {
        VulkanContext ctx = VulkanContext.open(options);
        try {
            return new GpuCodec(ctx, settings, 1, true);
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
    }

    private GpuCodec(VulkanContext ctx, CodecSettings settings, int latentColumns, boolean ownsContext) {
        this.ctx = ctx;
        this.ownsContext = ownsContext;
        this.settings = settings;
        this.grid = new Grid(settings.n());
        this.precision = settings.precision();
        this.latentColumns = latentColumns;
        this.d = settings.latentDimension();
        this.columnBytes = (long) d * precision.bytes();
        if (latentColumns < 1) {
            throw new IllegalArgumentException("the latent matrix needs at least one column, got " + latentColumns);
        }
        if (!ctx.supports(precision)) {
            throw new GpuUnavailableException("device '" + ctx.info().name() + "' has no shaderFloat64: the codec cannot run in "
                    + precision.label());
        }
        this.timestamps = ctx.timestampValidBits() > 0;
        try {
            int n = grid.n();
            long cells = (long) n * n;
            int b = precision.bytes();
            this.plans = own(FftPlans.withDefaultCache(ctx));
            filter = buffer("codec.filter", (long) (d / 2) * b, "codec: Gaussian factor per latent mode",
                    DeviceBuffer.Movement.ONCE_AT_START);
            field = buffer("codec.field", (long) grid.fieldLength() * b,
                    "encode: r̂ → r; decode: L̂(Z) → ω̃ (padded, in place)", DeviceBuffer.Movement.ON_DEMAND);
            meanAbs = buffer("codec.mean_abs", (long) settings.tiles() * b, "encode: mean |r| per tile",
                    DeviceBuffer.Movement.NEVER);
            mask = buffer("codec.mask", cells, "encode: mask, a byte per cell", DeviceBuffer.Movement.NEVER);
            smoothed = settings.majority()
                    ? buffer("codec.mask_smoothed", cells, "encode: 3×3 majority of the mask", DeviceBuffer.Movement.NEVER)
                    : null;
            alpha = buffer("codec.alpha", (long) settings.tiles() * b, "code: α per tile", DeviceBuffer.Movement.ON_DEMAND);
            // whole 32-bit words: the shaders write words, and 16 need not divide N² (N = 30: 225 bytes)
            packed = buffer("codec.packed", 4 * ((cells + 15) / 16), "code: ternary t, 2 bits per cell",
                    DeviceBuffer.Movement.ON_DEMAND);
            codeZ = buffer("codec.code_z", columnBytes, "decode(Code): the latent of a host code", DeviceBuffer.Movement.ON_DEMAND);
            // last: the one buffer whose size the caller chooses, and so the likeliest to fail
            latents = buffer("codec.latents", Math.multiplyExact(columnBytes, (long) latentColumns),
                    "codec: latent matrix Z, " + latentColumns + " column(s) of d = " + d, DeviceBuffer.Movement.ON_DEMAND);
            gatherLatent = kernel("gather_latent", 2, Push.size(precision, 1, 3));
            spectralResidual = kernel("spectral_residual", 4, Push.size(precision, 1, 3));
            scatterLatent = kernel("scatter_latent", 3, Push.size(precision, 0, 3));
            tileMeanAbs = kernel("tile_mean_abs", 2, Push.size(precision, 0, 2));
            tileMask = kernel("tile_mask", 3, Push.size(precision, 1, 2));
            majority3x3 = settings.majority() ? kernel("majority3x3", 2, Push.size(precision, 0, 1)) : null;
            ternaryScale = kernel("ternary_scale", 3, Push.size(precision, 0, 2));
            pack = kernel("pack", 3, Push.size(precision, 0, 1));
            synthesize = kernel("synthesize", 3, Push.size(precision, 0, 2));
            fft = plans.plan(field, n, n, 1, precision);
            fieldReadBack = own(StepProgram.builder(ctx, "codec-field-read-back")
                    .readBack(field, 0, field.bytes(), DECODE_STAGE).freeze());
            ctx.staging().uploadReals(filter, filterTable(settings), precision, "codec setup");
        } catch (RuntimeException e) {
            release(); // not the context: open() closes its own, a shared one is the caller's
            throw e;
        }
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

    private <T extends AutoCloseable> T own(T resource) {
        owned.add(resource);
        return resource;
    }

    private DeviceBuffer buffer(String name, long bytes, String lifetime, DeviceBuffer.Movement movement) {
        return own(new DeviceBuffer(ctx, name, bytes, lifetime, movement));
    }

    private ComputeKernel kernel(String name, int storageBuffers, int pushBytes) {
        return own(new ComputeKernel(ctx, name, precision, storageBuffers, pushBytes));
    }

    /** A descriptor set per (kernel, buffers), made once: a kernel's pool holds 32 sets. */
    private ComputeKernel.Binding bind(ComputeKernel kernel, DeviceBuffer... buffers) {
        List<Object> key = new ArrayList<>(buffers.length + 1);
        key.add(kernel);
        key.addAll(List.of(buffers));
        return bindings.computeIfAbsent(key, k -> kernel.bind(buffers));
    }

    @Override
    public CodecSettings settings() {
        return settings;
    }

    @Override
    public String backend() {
        return "vulkan (" + ctx.info().name() + ")";
    }

    /** The context's transfer ledger (shared with the other stages on a shared context). */
    @Override
    public List<Map<String, Object>> transfers() {
        return ctx.ledger().snapshot();
    }

    public VulkanContext context() {
        return ctx;
    }

    /** The latent matrix on the device: latentColumns columns of d = settings.latentDimension() reals (settings precision), column c at byte offset c·d·bytes. */
    public DeviceBuffer latents() {
        return latents;
    }

    public int latentColumns() {
        return latentColumns;
    }

    /** The codec's device buffers (its part of the memory map). */
    public List<Map<String, Object>> memoryMap() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (AutoCloseable o : owned) {
            if (o instanceof DeviceBuffer b) {
                out.add(b.describe());
            }
        }
        return out;
    }

    // ---- encode ----

    /**
     * Encodes a simulation's state in place: omegaHat is a device buffer in Grid layout holding the
     * UNNORMALISED forward transform of ω (what GpuLes.omegaBuffer() holds) in the codec's precision. Z
     * goes to latent column {@code column}; α and the packed ternary code stay in the codec's device
     * buffers. No host copy of the field: the only traffic is the submit.
     */
    public void encodeSpectral(DeviceBuffer omegaHat, int column) {
        checkOpen();
        checkColumn(column, latentColumns, latents);
        if (omegaHat.bytes() != field.bytes()) {
            throw new IllegalArgumentException("'" + omegaHat.name() + "' holds " + omegaHat.bytes() + " bytes; the codec encodes one "
                    + grid.n() + "×" + grid.n() + " " + precision.label() + " spectrum of " + field.bytes() + " bytes (Grid layout)."
                    + " A buffer of the other precision has twice or half that: the codec's precision must be the simulation's");
        }
        run(program(List.of("encode", omegaHat, column), b -> recordEncode(b, omegaHat, column)));
        residualOf = column;
    }

    /** Records the encode of the spectrum in {@code source} with Z into latent column {@code column}. */
    private void recordEncode(StepProgram.Builder b, DeviceBuffer source, int column) {
        int n = grid.n();
        int k = settings.k();
        int tile = settings.tile();
        int tps = settings.tilesPerSide();
        int z = zOffset(column);
        double scale = 1.0 / ((double) n * n);
        b.dispatch(bind(gatherLatent, source, latents), Push.of(precision).real(scale).i(n).i(k).i(z).build(),
                groups(k + 1, 16), groups(2 * k + 1, 16), 1);
        b.barrier();
        b.dispatch(bind(spectralResidual, source, latents, filter, field), Push.of(precision).real(scale).i(n).i(k).i(z).build(),
                groups(grid.halfX(), 16), groups(n, 16), 1);
        b.fft(fft, VkFftPlan.INVERSE);
        b.dispatch(bind(tileMeanAbs, field, meanAbs), Push.of(precision).i(n).i(tile).build(), tps, tps, 1);
        b.barrier();
        long maskWords = (long) n * n / 4;
        wordDispatch(b, bind(tileMask, field, meanAbs, mask), Push.of(precision).real(settings.theta()).i(n).i(tile).build(), maskWords);
        b.barrier();
        DeviceBuffer finalMask = mask;
        if (settings.majority()) {
            wordDispatch(b, bind(majority3x3, mask, smoothed), Push.of(precision).i(n).build(), maskWords);
            b.barrier();
            finalMask = smoothed;
        }
        // α and the packed code both only read r and the mask: no barrier between them
        b.dispatch(bind(ternaryScale, field, finalMask, alpha), Push.of(precision).i(n).i(tile).build(), tps, tps, 1);
        wordDispatch(b, bind(pack, field, finalMask, packed), Push.of(precision).i(n).build(), ((long) n * n + 15) / 16);
    }

    /** Uploads the field and forward-transforms it on the device, then encodes it into latent column 0 and reads the code back. */
    @Override
    public Code encode(double[] omega) {
        checkOpen();
        int n = grid.n();
        if (omega.length != n * n) {
            throw new IllegalArgumentException("field has " + omega.length + " values, expected N² = " + (n * n));
        }
        double[] padded = new double[grid.fieldLength()];
        for (int j = 0; j < n; j++) {
            System.arraycopy(omega, j * n, padded, j * grid.rowStride(), n);
        }
        ctx.staging().uploadReals(field, padded, precision, ENCODE_STAGE);
        run(program(List.of("encode-host", field, 0), b -> {
            b.fft(fft, VkFftPlan.FORWARD);
            recordEncode(b, field, 0);
        }));
        residualOf = 0;
        return readCode(0);
    }

    /** Reads back the code of the last encode (Z from {@code column}, α, packed t): a declared read-back counted under stage "encode". */
    public Code readCode(int column) {
        checkOpen();
        checkColumn(column, latentColumns, latents);
        if (residualOf != column) {
            throw new IllegalStateException(residualOf == NO_RESIDUAL ? "no snapshot has been encoded yet"
                    : "α and t on the device belong to " + (residualOf == UPLOADED_RESIDUAL ? "a code set by setResidual"
                    : "the encode into column " + residualOf) + ", not to column " + column);
        }
        long zAt = (long) column * columnBytes;
        long alphaBytes = (long) settings.tiles() * precision.bytes();
        StepProgram p = program(List.of("read-code", latents, column), b -> b
                .readBack(latents, zAt, columnBytes, ENCODE_STAGE)
                .readBack(alpha, 0, alphaBytes, ENCODE_STAGE)
                .readBack(packed, 0, settings.packedBytes(), ENCODE_STAGE));
        p.run();
        double[] z = new double[d];
        RealBuffers.decode(p.readBack(latents, zAt), z, precision);
        double[] a = new double[settings.tiles()];
        RealBuffers.decode(p.readBack(alpha, 0), a, precision);
        byte[] t = new byte[(int) settings.packedBytes()];
        p.readBack(packed, 0).get(t);
        return new Code(z, a, t);
    }

    /** Uploads a host latent into column {@code column} (the mixed pipeline: CPU codec, GPU proxy). */
    public void uploadLatent(double[] z, int column) {
        checkOpen();
        checkColumn(column, latentColumns, latents);
        if (z.length != d) {
            throw new IllegalArgumentException("latent has " + z.length + " reals, expected d = " + d + " for K = " + settings.k());
        }
        ctx.staging().upload(latents, (long) column * columnBytes, RealBuffers.encode(z, precision), ENCODE_STAGE);
        if (residualOf == column) {
            residualOf = UPLOADED_RESIDUAL; // Z of that column is no longer the encode's
        }
    }

    /** Uploads α and t of a code to be the residual used by decodeColumn(..., true). */
    public void setResidual(Code code) {
        checkOpen();
        checkCode(code);
        ctx.staging().upload(alpha, 0, RealBuffers.encode(code.alpha(), precision), DECODE_STAGE);
        ctx.staging().upload(packed, 0, ByteBuffer.wrap(code.packed()), DECODE_STAGE);
        residualOf = UPLOADED_RESIDUAL;
    }

    // ---- decode ----

    /**
     * Decodes latent column {@code column} of a column-major d×m device matrix {@code source} (this
     * codec's latents(), or a proxy's rollout trajectory buffer, in the codec's precision) to a compact
     * N×N host field: L(Z), or L(Z) + α·t with the residual of the last encode / setResidual. Counted
     * under stage "decode".
     */
    public double[] decodeColumn(DeviceBuffer source, int column, boolean withResidual) {
        checkOpen();
        if (source.bytes() % columnBytes != 0) {
            throw new IllegalArgumentException("'" + source.name() + "' holds " + source.bytes() + " bytes, not a whole number of"
                    + " latent columns of d = " + d + " " + precision.label() + " reals (" + columnBytes
                    + " bytes): a different K or precision?");
        }
        checkColumn(column, (int) Math.min(Integer.MAX_VALUE, source.bytes() / columnBytes), source);
        if (withResidual && residualOf == NO_RESIDUAL) {
            throw new IllegalStateException("no residual on the device: encode a snapshot or setResidual(code) first");
        }
        run(program(List.of("decode", source, column, withResidual), b -> {
            b.dispatch(bind(scatterLatent, source, filter, field), Push.of(precision).i(grid.n()).i(settings.k()).i(zOffset(column))
                    .build(), groups(grid.halfX(), 16), groups(grid.n(), 16), 1);
            b.fft(fft, VkFftPlan.INVERSE);
            if (withResidual) {
                b.dispatch(bind(synthesize, alpha, packed, field), Push.of(precision).i(grid.n()).i(settings.tile()).build(),
                        groups(grid.n(), 16), groups(grid.n(), 16), 1);
            }
        }));
        fieldReadBack.run();
        return compact(fieldReadBack.readBack(field, 0));
    }

    /**
     * L(Z), or L(Z) + α·t: uploads Z (to a column of its own, so latents() is untouched) and, with the
     * residual, α and t, which then are the residual of later decodeColumn(…, true) calls, as after setResidual.
     */
    @Override
    public double[] decode(Code code, boolean withResidual) {
        checkOpen();
        checkCode(code);
        ctx.staging().upload(codeZ, 0, RealBuffers.encode(code.z(), precision), DECODE_STAGE);
        if (withResidual) {
            setResidual(code);
        }
        return decodeColumn(codeZ, 0, withResidual);
    }

    /** The N×N field of a padded read-back: bulk row copies rather than a buffer call per cell. */
    private double[] compact(ByteBuffer padded) {
        int n = grid.n();
        int stride = grid.rowStride();
        ByteBuffer b = padded.duplicate().order(ByteOrder.nativeOrder());
        double[] out = new double[n * n];
        if (precision == Precision.FP64) {
            var reals = b.asDoubleBuffer();
            for (int j = 0; j < n; j++) {
                reals.get(j * stride, out, j * n, n);
            }
        } else {
            var reals = b.asFloatBuffer();
            float[] row = new float[n];
            for (int j = 0; j < n; j++) {
                reals.get(j * stride, row, 0, n);
                for (int x = 0; x < n; x++) {
                    out[j * n + x] = row[x];
                }
            }
        }
        return out;
    }

    // ---- programs ----

    @FunctionalInterface
    private interface Recorder {
        void record(StepProgram.Builder b);
    }

    /**
     * The program recorded for {@code key}, made on first use; with GPU timestamps around the work
     * where the queue has them ({@link #lastDeviceMillis}). Every run waits, so an evicted program is idle.
     */
    private StepProgram program(List<Object> key, Recorder recorder) {
        StepProgram p = programs.get(key);
        if (p == null) {
            StepProgram.Builder b = StepProgram.builder(ctx, "codec-" + key.getFirst());
            boolean timed = timestamps && !"read-code".equals(key.getFirst());
            if (timed) {
                b.timestamp();
            }
            recorder.record(b);
            if (timed) {
                b.timestamp();
            }
            p = b.freeze();
            programs.put(key, p);
            if (programs.size() > PROGRAMS_KEPT) {
                var eldest = programs.entrySet().iterator().next();
                if (eldest.getValue() == lastRun) {
                    lastRun = null; // its timestamps go with it
                }
                eldest.getValue().close();
                programs.remove(eldest.getKey());
            }
        }
        return p;
    }

    private void run(StepProgram p) {
        p.run();
        lastRun = p;
    }

    /**
     * GPU time of the device work of the last encode or decode (between timestamps around its
     * dispatches and FFT, without the read-back of a decoded field), in ms; NaN where the queue has no
     * timestamps.
     */
    public double lastDeviceMillis() {
        if (lastRun == null || !timestamps) {
            return Double.NaN;
        }
        double[] ns = lastRun.timestampsNanos();
        return ns[ns.length - 1] * 1e-6;
    }

    private int zOffset(int column) {
        // push constants carry the offset as a uint (in reals): 2³² reals is 16 GiB of fp32 latents
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
    private static void wordDispatch(StepProgram.Builder b, ComputeKernel.Binding binding, ByteBuffer push, long words) {
        long total = (words + WORD_GROUP - 1) / WORD_GROUP;
        int gx = (int) Math.min(total, 32768);
        b.dispatch(binding, push, gx, groups(total, gx), 1);
    }

    private void checkColumn(int column, int columns, DeviceBuffer of) {
        if (column < 0 || column >= columns) {
            throw new IndexOutOfBoundsException("latent column " + column + " is outside '" + of.name() + "' (" + columns + " columns)");
        }
    }

    private void checkCode(Code code) {
        if (code.z().length != d || code.alpha().length != settings.tiles() || code.packed().length != settings.packedBytes()) {
            throw new IllegalArgumentException("code sizes " + code.z().length + "/" + code.alpha().length + "/"
                    + code.packed().length + " do not match the settings " + settings);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the GPU codec is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        release();
        if (ownsContext) {
            ctx.close();
        }
    }

    /** Closes everything the codec made (programs, kernels, plans, buffers), in reverse order; not the context. */
    private void release() {
        closed = true;
        ctx.waitIdle();
        for (StepProgram p : programs.values()) {
            p.close();
        }
        programs.clear();
        for (int i = owned.size() - 1; i >= 0; i--) {
            try {
                owned.get(i).close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + owned.get(i), e);
            }
        }
        owned.clear();
    }
}
