package dev.eddy.codec;

import dev.eddy.backend.Latents;
import dev.eddy.gpu.ComputeKernel;
import dev.eddy.gpu.ContextOptions;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.FftPlans;
import dev.eddy.gpu.GpuUnavailableException;
import dev.eddy.gpu.Owned;
import dev.eddy.gpu.ProgramCache;
import dev.eddy.gpu.Push;
import dev.eddy.gpu.RealBuffers;
import dev.eddy.gpu.StepProgram;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.numerics.Grid;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.Simulation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The codec on the Vulkan engine: the operations of {@link CodecSteps}, recorded by a
 * {@link GpuCodecRecorder} with the GLSL twins of the CPU codec's kernels ({@code src/main/glsl/codec})
 * into {@link StepProgram}s and replayed. Z, α, the mask and the packed code stay on the device; the host
 * sees only what it asks for: a code ({@link #code}, stage "encode") or a decoded field ({@link #decode},
 * stage "decode"), each a declared read-back counted in the transfer ledger. A simulation's state on the
 * same context is encoded in place; latents on the same context (a rollout's trajectory) are decoded in
 * place. {@code planning/gpu-codec.md} has the bytes each operation moves.
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

    private final CodecSettings settings;
    private final Grid grid;
    private final Precision precision;
    private final VulkanContext ctx;
    private final boolean ownsContext;
    private final int latentColumns;
    private final int d;
    private final long columnBytes;
    private final Owned owned = new Owned();
    private final FftPlans plans;
    private final DeviceBuffer latents;
    private final DeviceBuffer filter;
    private final DeviceBuffer field;
    private final DeviceBuffer meanAbs;
    private final DeviceBuffer mask;
    private final DeviceBuffer smoothed;
    private final DeviceBuffer alpha;
    private final DeviceBuffer packed;
    private final DeviceBuffer codeZ;
    private final GpuCodecRecorder recorder;
    /** ternary_gram, made on first use (it sums in float64). */
    private ComputeKernel residualGramKernel;
    private DeviceBuffer residualGramOut;
    /** The verdict on decodes, made on first use: on the device where it sums in float64, else on the host. */
    private GpuCodecJudge deviceJudge;
    private HostJudge hostJudge;
    private final ProgramCache programs;
    private final StepProgram fieldReadBack;
    /** Which code slots hold an encode's α and t (slot c: latent column c; the last: the scratch slot of host codes). */
    private final boolean[] coded;
    /** The host code whose α and t are in the scratch slot, so decoding it again uploads nothing. */
    private Code inScratch;
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
        this.coded = new boolean[latentColumns + 1];
        if (latentColumns < 1) {
            throw new IllegalArgumentException("the latent matrix needs at least one column, got " + latentColumns);
        }
        if (!ctx.supports(precision)) {
            throw new GpuUnavailableException("device '" + ctx.info().name() + "' has no shaderFloat64: the codec cannot run in "
                    + precision.label());
        }
        this.programs = new ProgramCache(ctx, "codec", PROGRAMS_KEPT);
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
            long slots = latentColumns + 1L; // a code slot per latent column, and one for host codes
            alpha = buffer("codec.alpha", Math.multiplyExact(slots * settings.tiles(), (long) b),
                    "code: α per tile, " + slots + " slot(s)", DeviceBuffer.Movement.ON_DEMAND);
            // whole 32-bit words: the shaders write words, and 16 need not divide N² (N = 30: 225 bytes)
            packed = buffer("codec.packed", Math.multiplyExact(slots, 4 * ((cells + 15) / 16)),
                    "code: ternary t, 2 bits per cell, " + slots + " slot(s)", DeviceBuffer.Movement.ON_DEMAND);
            codeZ = buffer("codec.code_z", columnBytes, "decode(Code): the latent of a host code", DeviceBuffer.Movement.ON_DEMAND);
            // last: the one buffer whose size the caller chooses, and so the likeliest to fail
            latents = buffer("codec.latents", Math.multiplyExact(columnBytes, (long) latentColumns),
                    "codec: latent matrix Z, " + latentColumns + " column(s) of d = " + d, DeviceBuffer.Movement.ON_DEMAND);
            recorder = new GpuCodecRecorder(settings, new GpuCodecRecorder.Parts(
                    kernel("gather_latent", 2, Push.size(precision, 1, 3)),
                    kernel("spectral_residual", 4, Push.size(precision, 1, 3)),
                    kernel("scatter_latent", 3, Push.size(precision, 0, 3)),
                    kernel("tile_mean_abs", 2, Push.size(precision, 0, 2)),
                    kernel("tile_mask", 3, Push.size(precision, 1, 2)),
                    settings.majority() ? kernel("majority3x3", 2, Push.size(precision, 0, 1)) : null,
                    kernel("ternary_scale", 3, Push.size(precision, 0, 3)),
                    kernel("pack", 3, Push.size(precision, 0, 2)),
                    kernel("synthesize", 3, Push.size(precision, 1, 4)),
                    plans.plan(field, n, n, 1, precision), filter, field, meanAbs, mask, smoothed, alpha, packed));
            fieldReadBack = own(StepProgram.builder(ctx, "codec-field-read-back")
                    .readBack(field, 0, field.bytes(), DECODE_STAGE).freeze());
            ctx.staging().uploadReals(filter, GpuCodecRecorder.filterTable(settings), precision, "codec setup");
        } catch (RuntimeException e) {
            release(); // not the context: open() closes its own, a shared one is the caller's
            throw e;
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        return owned.add(resource);
    }

    private DeviceBuffer buffer(String name, long bytes, String lifetime, DeviceBuffer.Movement movement) {
        return own(new DeviceBuffer(ctx, name, bytes, lifetime, movement));
    }

    private ComputeKernel kernel(String name, int storageBuffers, int pushBytes) {
        return own(new ComputeKernel(ctx, name, precision, storageBuffers, pushBytes));
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
    @Override
    public Latents latents() {
        return new Latents.Device(latents, d, latentColumns, precision, ctx, ENCODE_STAGE);
    }

    /** The device buffer of {@link #latents()}. */
    public DeviceBuffer latentBuffer() {
        return latents;
    }

    public int latentColumns() {
        return latentColumns;
    }

    /** The codec's device buffers (its part of the memory map). */
    @Override
    public List<Map<String, Object>> memoryMap() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (AutoCloseable o : owned.all()) {
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
        programs.run(programs.get(List.of("encode", omegaHat, column), true, b -> recorder.encode(b, omegaHat, latents, column, false)));
        encoded(column);
    }

    /** Code slot {@code column} now holds the encode's α and t. */
    private void encoded(int column) {
        coded[column] = true;
    }

    /** Encodes the state in place when it lives on this codec's context, else its host vorticity (uploaded). */
    @Override
    public void encode(Simulation sim, int column) {
        DeviceBuffer state = sim.deviceState(ctx);
        if (state != null) {
            encodeSpectral(state, column);
        } else {
            encode(sim.vorticity(), column);
        }
    }

    /** Uploads the field and forward-transforms it on the device, then encodes it into latent column {@code column}. */
    @Override
    public void encode(double[] omega, int column) {
        checkOpen();
        checkColumn(column, latentColumns, latents);
        int n = grid.n();
        if (omega.length != n * n) {
            throw new IllegalArgumentException("field has " + omega.length + " values, expected N² = " + (n * n));
        }
        double[] padded = new double[grid.fieldLength()];
        for (int j = 0; j < n; j++) {
            System.arraycopy(omega, j * n, padded, j * grid.rowStride(), n);
        }
        ctx.staging().uploadReals(field, padded, precision, ENCODE_STAGE);
        programs.run(programs.get(List.of("encode-host", field, column), true, b -> recorder.encode(b, field, latents, column, true)));
        encoded(column);
    }

    /** Reads back the code of latent column {@code column} (Z, α, packed t): a declared read-back counted under stage "encode". */
    @Override
    public Code code(int column) {
        checkOpen();
        checkColumn(column, latentColumns, latents);
        requireCoded(column);
        long zAt = (long) column * columnBytes;
        long alphaBytes = (long) settings.tiles() * precision.bytes();
        long alphaAt = column * alphaBytes;
        long packedAt = column * 4 * recorder.wordsPerSlot();
        StepProgram p = programs.get(List.of("read-code", latents, column), false, b -> b
                .readBack(latents, zAt, columnBytes, ENCODE_STAGE)
                .readBack(alpha, alphaAt, alphaBytes, ENCODE_STAGE)
                .readBack(packed, packedAt, settings.packedBytes(), ENCODE_STAGE));
        p.run();
        double[] z = new double[d];
        RealBuffers.decode(p.readBack(latents, zAt), z, precision);
        double[] a = new double[settings.tiles()];
        RealBuffers.decode(p.readBack(alpha, alphaAt), a, precision);
        byte[] t = new byte[(int) settings.packedBytes()];
        p.readBack(packed, packedAt).get(t);
        return new Code(z, a, t);
    }

    private void requireCoded(int slot) {
        if (!coded[slot]) {
            throw new IllegalStateException("latent column " + slot + " has not been encoded (or its latent was uploaded since): no code");
        }
    }

    /** Uploads a host latent into column {@code column} (the mixed pipeline: CPU codec, GPU proxy); that column then has no code. */
    public void uploadLatent(double[] z, int column) {
        checkOpen();
        checkColumn(column, latentColumns, latents);
        if (z.length != d) {
            throw new IllegalArgumentException("latent has " + z.length + " reals, expected d = " + d + " for K = " + settings.k());
        }
        ctx.staging().upload(latents, (long) column * columnBytes, RealBuffers.encode(z, precision), ENCODE_STAGE);
        coded[column] = false; // Z of that column is no longer the encode's
    }

    /** One upload of the columns; they hold no code afterwards. */
    @Override
    public void restoreLatents(double[] values, int from, int count) {
        checkOpen();
        checkColumn(from, latentColumns, latents);
        checkColumn(from + count - 1, latentColumns, latents);
        if (values.length != (long) d * count) {
            throw new IllegalArgumentException(values.length + " reals are not " + count + " latent columns of d = " + d);
        }
        ctx.staging().upload(latents, (long) from * columnBytes, RealBuffers.encode(values, precision), ENCODE_STAGE);
        java.util.Arrays.fill(coded, from, from + count, false);
    }

    /** Uploads Z, α and t into column and code slot {@code column}. */
    @Override
    public void restoreCode(int column, Code code) {
        checkOpen();
        checkColumn(column, latentColumns, latents);
        checkCode(code);
        long alphaBytes = (long) settings.tiles() * precision.bytes();
        ctx.staging().upload(latents, (long) column * columnBytes, RealBuffers.encode(code.z(), precision), ENCODE_STAGE);
        ctx.staging().upload(alpha, column * alphaBytes, RealBuffers.encode(code.alpha(), precision), ENCODE_STAGE);
        ctx.staging().upload(packed, column * 4 * recorder.wordsPerSlot(), ByteBuffer.wrap(code.packed()), ENCODE_STAGE);
        coded[column] = true;
    }

    /** α and t of a host code into the scratch slot (nothing when they are there already); the residual that decodes with it. */
    private Residual scratch(Code code) {
        checkCode(code);
        int slot = latentColumns;
        if (code != inScratch) {
            long alphaBytes = (long) settings.tiles() * precision.bytes();
            ctx.staging().upload(alpha, slot * alphaBytes, RealBuffers.encode(code.alpha(), precision), DECODE_STAGE);
            ctx.staging().upload(packed, slot * 4 * recorder.wordsPerSlot(), ByteBuffer.wrap(code.packed()), DECODE_STAGE);
            inScratch = code;
            coded[slot] = true;
        }
        return Residual.of(slot);
    }

    @Override
    public double[] residualLags(int from, int count, int maxLag) {
        checkOpen();
        if (count < 1 || count > 65535 || maxLag < 0 || maxLag > 65534) {
            throw new IllegalArgumentException("residual products of " + count + " codes (1 to 65535) at lags up to " + maxLag);
        }
        int lags = maxLag + 1;
        checkColumn(from, latentColumns, latents);
        checkColumn(from + count - 1, latentColumns, latents);
        for (int c = from; c < from + count; c++) {
            requireCoded(c);
        }
        if (!ctx.supports(Precision.FP64)) {
            return hostResidualLags(from, count, lags);
        }
        long bytes = 8L * count * lags;
        if (residualGramOut == null || residualGramOut.bytes() < bytes) {
            if (residualGramOut != null) { // grown: a new buffer (and descriptor set) for the larger band
                ctx.waitIdle();
                programs.close();
            }
            residualGramKernel = kernel("ternary_gram", 3, Push.size(precision, 0, 7));
            residualGramOut = buffer("codec.residual_lags", bytes, "learn: lagged products of the decoded residuals (the"
                    + " pipeline's residual fading)", DeviceBuffer.Movement.ON_DEMAND);
        }
        DeviceBuffer out = residualGramOut;
        ComputeKernel kernel = residualGramKernel;
        StepProgram p = programs.get(List.of("residual-lags", out, from, count, lags), false, b -> {
            recorder.residualLags(b, kernel, out, from, count, lags);
            b.readBack(out, 0, bytes, ENCODE_STAGE);
        });
        p.run();
        double[] g = new double[count * lags];
        p.readBack(out, 0).asDoubleBuffer().get(g);
        for (int a = Math.max(0, count - lags + 1); a < count; a++) {
            java.util.Arrays.fill(g, a * lags + (count - a), (a + 1) * lags, 0.0); // pairs past the window: never written
        }
        return g;
    }

    /** The residual products on the host from the codes read back (a device without float64). */
    private double[] hostResidualLags(int from, int count, int lags) {
        Code[] codes = new Code[count];
        for (int a = 0; a < count; a++) {
            codes[a] = code(from + a);
        }
        double[] g = new double[count * lags];
        for (int a = 0; a < count; a++) {
            for (int h = 0; h < lags && a + h < count; h++) {
                g[a * lags + h] = CodecKernels_F64.residualDot(grid, settings.tile(), codes[a].alpha(), codes[a].packed(),
                        codes[a + h].alpha(), codes[a + h].packed());
            }
        }
        return g;
    }

    /**
     * Decodes column {@code column} of {@code source}: in place when it lives on this codec's context,
     * else from a host copy of the column uploaded to a scratch column.
     */
    @Override
    public double[] decode(Latents source, int column, Residual residual) {
        checkOpen();
        DeviceBuffer z = locate(source, column);
        return decodeColumn(z, z == codeZ ? 0 : column, residual);
    }

    /** The device buffer column {@code column} of {@code source} is read from: its own on this context, else the scratch column it is uploaded to. */
    private DeviceBuffer locate(Latents source, int column) {
        DeviceBuffer buffer = source.bufferOn(ctx);
        if (buffer != null) {
            return buffer;
        }
        ctx.staging().upload(codeZ, 0, RealBuffers.encode(source.column(column), precision), DECODE_STAGE);
        return codeZ;
    }

    // ---- decode ----

    /**
     * Decodes latent column {@code column} of a column-major d×m device matrix {@code source} (this
     * codec's latents(), or a proxy's rollout trajectory buffer, in the codec's precision) to a compact
     * N×N host field: L(Z), or L(Z) + (fade·α)·t of a code slot. Counted under stage "decode".
     */
    public double[] decodeColumn(DeviceBuffer source, int column, Residual residual) {
        checkOpen();
        checkDecode(source, column, residual);
        programs.run(programs.get(List.of("decode", source, column, String.valueOf(residual)), true,
                b -> recorder.decode(b, source, column, residual)));
        fieldReadBack.run();
        return RealBuffers.compactRows(fieldReadBack.readBack(field, 0), grid.n(), grid.rowStride(), precision);
    }

    private void checkDecode(DeviceBuffer source, int column, Residual residual) {
        if (source.bytes() % columnBytes != 0) {
            throw new IllegalArgumentException("'" + source.name() + "' holds " + source.bytes() + " bytes, not a whole number of"
                    + " latent columns of d = " + d + " " + precision.label() + " reals (" + columnBytes
                    + " bytes): a different K or precision?");
        }
        checkColumn(column, (int) Math.min(Integer.MAX_VALUE, source.bytes() / columnBytes), source);
        if (residual != null) {
            if (residual.slot() > latentColumns) {
                throw new IndexOutOfBoundsException("code slot " + residual.slot() + " is outside the codec's " + latentColumns + " columns");
            }
            requireCoded(residual.slot());
        }
        recorder.zOffset(column); // refuses a column the shaders cannot address
    }

    /**
     * L(Z), or L(Z) + α·t: uploads Z (to a column of its own, so latents() is untouched) and, with the
     * residual, α and t to the scratch code slot.
     */
    @Override
    public double[] decode(Code code, boolean withResidual) {
        checkOpen();
        checkCode(code);
        ctx.staging().upload(codeZ, 0, RealBuffers.encode(code.z(), precision), DECODE_STAGE);
        return decodeColumn(codeZ, 0, withResidual ? scratch(code) : null);
    }

    @Override
    public void reference(int slot, Simulation sim) {
        checkOpen();
        if (GpuCodecJudge.available(ctx)) {
            if (deviceJudge == null) {
                deviceJudge = own(new GpuCodecJudge(ctx, settings, recorder, field, recorder.fft(), plans));
            }
            deviceJudge.reference(slot, sim);
        } else {
            if (hostJudge == null) {
                hostJudge = new HostJudge(grid.n());
            }
            hostJudge.reference(slot, sim.vorticity());
        }
    }

    /** On the device when the latents live here (an upload of the column otherwise); on the host where the device has no float64. */
    @Override
    public FieldErrors judge(Latents source, int column, Residual residual) {
        checkOpen();
        if (deviceJudge == null) {
            if (hostJudge == null) {
                throw new IllegalStateException("no truth field: call reference(0, sim) first");
            }
            return hostJudge.judge(decode(source, column, residual));
        }
        DeviceBuffer z = locate(source, column);
        int at = z == codeZ ? 0 : column;
        checkDecode(z, at, residual);
        return deviceJudge.judge(z, at, residual);
    }

    /**
     * On the device, one recorded program a step ({@link GpuCodecJudge}), when the state lives on this context,
     * every source is on it, and the device sums in float64; else the steps one by one.
     */
    @Override
    public Verdicts verdicts(Simulation sim, List<Verdicts.Step> steps, Verdicts.Projection span) {
        checkOpen();
        DeviceBuffer state = sim.deviceState(ctx);
        boolean onDevice = state != null && GpuCodecJudge.available(ctx);
        for (Verdicts.Step s : steps) {
            onDevice &= s.read().bufferOn(ctx) != null;
            checkColumn(s.truthColumn(), latentColumns, latents);
            for (Verdicts.Compared c : s.compared()) {
                if (c instanceof Verdicts.Decoded dec) {
                    DeviceBuffer z = dec.source().bufferOn(ctx);
                    onDevice &= z != null;
                    if (z != null) {
                        checkDecode(z, dec.column(), null);
                        if (dec.residual() != null && dec.residual().slot() != s.truthColumn()) {
                            checkDecode(z, dec.column(), dec.residual());
                        }
                    }
                }
            }
        }
        if (!onDevice) {
            return SnapshotCodec.super.verdicts(sim, steps, span);
        }
        if (deviceJudge == null) {
            deviceJudge = own(new GpuCodecJudge(ctx, settings, recorder, field, recorder.fft(), plans));
        }
        return deviceJudge.verdicts(state, latents, steps, span, source -> source.bufferOn(ctx), this::encoded);
    }

    @Override
    public FieldErrors judgeReference(int slot) {
        checkOpen();
        if (deviceJudge == null) {
            if (hostJudge == null) {
                throw new IllegalStateException("no truth field: call reference(0, sim) first");
            }
            return hostJudge.judgeReference(slot);
        }
        return deviceJudge.judgeReference(slot);
    }

    /** GPU time of the device work of the last encode or decode (without the read-back of a decoded field), in ms; NaN without timestamps. */
    public double lastDeviceMillis() {
        return programs.lastDeviceMillis();
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
        programs.close();
        owned.close();
    }
}
