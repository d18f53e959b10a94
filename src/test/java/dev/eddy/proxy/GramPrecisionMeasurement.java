package dev.eddy.proxy;

import dev.eddy.TestConfigs;
import dev.eddy.codec.CodecSettings;
import dev.eddy.codec.Codecs;
import dev.eddy.codec.SnapshotCodec;
import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.GpuContextTest;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.Simulation;
import dev.eddy.sim.Simulations;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not a check (tagged slow): what float32 Gram sums cost against float64 sums, on float32
 * latents of a real LES (CPU, N = 64, fp32 codec), accumulated on the test device. The float64 sums equal
 * the host's exact-order float64 Gram (GramParityTest), so they are the reference. Run with
 * {@code mvn test -Dgroups=slow -Dtest.excludedGroups=none -Dtest=GramPrecisionMeasurement}; the numbers are in planning/proxy.md.
 */
@Tag("slow")
class GramPrecisionMeasurement extends GpuContextTest {
    static double relFrobenius(double[] got, double[] want) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < want.length; i++) {
            num += (got[i] - want[i]) * (got[i] - want[i]);
            den += want[i] * want[i];
        }
        return Math.sqrt(num / den);
    }

    static List<Gram> blocks(Precision accumulate, DeviceBuffer matrix, int d, int columns, int split) {
        try (GpuGram g = new GpuGram(ctx, d, Precision.FP32, accumulate)) {
            g.addColumns(matrix, 0, split);
            g.split();
            g.addColumns(matrix, split, columns - split);
            return g.blocks();
        }
    }

    static LinearProxy fitOrSay(List<Gram> blocks, ProxySettings s, String what, String label) {
        try {
            return RidgeLearner.learn(blocks.get(0), blocks.get(1), s);
        } catch (dev.eddy.config.ConfigException e) {
            System.out.printf(Locale.ROOT, "  λ_rel %s: %s refused: %s%n", label, what, e.getMessage());
            return null;
        }
    }

    @Test
    void float32AgainstFloat64GramSumsOnLesLatents() {
        Assumptions.assumeTrue(ctx.supports(Precision.FP64), "needs float64 sums as the reference");
        int n = 64;
        int stride = 4;
        int snapshots = 201;
        var config = TestConfigs.les(n, Precision.FP32, 1e-3, 0.17, 0.01, "heun");
        List<double[]> fields = new ArrayList<>();
        try (Simulation sim = Simulations.create(config)) {
            for (int s = 0; s < snapshots; s++) {
                if (s > 0) {
                    sim.advance(stride, Double.POSITIVE_INFINITY);
                }
                fields.add(sim.vorticity());
            }
        }
        System.out.printf(Locale.ROOT, "device %s; LES N=%d fp32, %d snapshots every %d steps%n", ctx.info().name(), n, snapshots, stride);
        for (int k : new int[] {4, 8, 16}) {
            CodecSettings cs = new CodecSettings(n, k, 4, CodecSettings.DEFAULT_THETA, 0, false, Precision.FP32);
            int d = cs.latentDimension();
            double[] matrix = new double[d * snapshots];
            try (SnapshotCodec codec = dev.eddy.TestConfigs.cpuCodec(cs, 0)) {
                for (int s = 0; s < snapshots; s++) {
                    System.arraycopy(codec.encode(fields.get(s)).z(), 0, matrix, s * d, d);
                }
            }
            int pairs = snapshots - 1;
            ProxySettings auto = new ProxySettings(ProxySettings.AUTO, 0, 0.2);
            int split = (int) auto.splitBeforeLatent(snapshots); // columns of the training block
            try (DeviceBuffer buf = new DeviceBuffer(ctx, "latents", (long) d * snapshots * 4, "test", DeviceBuffer.Movement.ONCE_AT_START)) {
                ctx.staging().uploadReals(buf, matrix, Precision.FP32, "test");
                List<Gram> wide = blocks(Precision.FP64, buf, d, snapshots, split);
                List<Gram> narrow = blocks(Precision.FP32, buf, d, snapshots, split);
                Gram w = wide.get(0).plus(wide.get(1));
                Gram f = narrow.get(0).plus(narrow.get(1));
                System.out.printf(Locale.ROOT, "K=%d d=%d pairs=%d: Gram error of float32 sums: XXᵀ %.2e, YXᵀ %.2e, Σ|y|² %.2e%n", k, d, pairs,
                        relFrobenius(f.xx(), w.xx()), relFrobenius(f.yx(), w.yx()), Math.abs(f.yy() - w.yy()) / w.yy());
                for (ProxySettings s : new ProxySettings[] {auto, new ProxySettings(1e-10, 0, 0.2), new ProxySettings(1e-6, 0, 0.2)}) {
                    String label = s.lambdaByValidation() ? "auto" : String.valueOf(s.lambda());
                    LinearProxy pw = fitOrSay(wide, s, "float64 sums", label);
                    LinearProxy pf = fitOrSay(narrow, s, "float32 sums", label);
                    if (pw == null || pf == null) {
                        LinearProxy ok = pw != null ? pw : pf;
                        if (ok != null) {
                            System.out.printf(Locale.ROOT, "  λ_rel %s: %s only: validation error %.4g, ρ(A) %.6f%n", label,
                                    pw != null ? "float64 sums" : "float32 sums", ok.fit().get("validation_relative_error"),
                                    ok.fit().get("spectral_radius"));
                        }
                        continue;
                    }
                    System.out.printf(Locale.ROOT, "  λ_rel %s: chosen %s / %s; ‖A32−A64‖/‖A64‖ %.2e; validation error %.4g / %.4g; ρ(A) %.6f / %.6f%n",
                            label, pw.fit().get("lambda_relative"), pf.fit().get("lambda_relative"), relFrobenius(pf.a(), pw.a()),
                            pw.fit().get("validation_relative_error"), pf.fit().get("validation_relative_error"),
                            pw.fit().get("spectral_radius"), pf.fit().get("spectral_radius"));
                }
            }
        }
    }
}
