package dev.eddy.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.eddy.TestConfigs;
import dev.eddy.numerics.Precision;
import dev.eddy.sim.Simulation;
import dev.eddy.sim.Simulations;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Encode → decode on fields with known content, in both precisions. */
@Tag("fast")
class CodecRoundTripTest {

    static double[] lowMode(int n) {
        double[] w = new double[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double px = 2 * Math.PI * x / n;
                double py = 2 * Math.PI * y / n;
                w[y * n + x] = 0.3 + Math.cos(3 * px + 2 * py) - 0.5 * Math.sin(4 * py) + 0.25 * Math.sin(px - 4 * py);
            }
        }
        return w;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void aPureLowModeIsReproducedByTheLatentAlone(Precision p) {
        int n = 32;
        double tol = p == Precision.FP64 ? 1e-12 : 2e-5;
        try (SnapshotCodec c = dev.eddy.TestConfigs.cpuCodec(new CodecSettings(n, 4, 8, 0.7, 0, false, p), 1)) {
            double[] w = lowMode(n);
            SnapshotCodec.Code code = c.encode(w);
            double[] latent = c.decode(code, false);
            for (int i = 0; i < w.length; i++) {
                assertEquals(w[i], latent[i], tol);
            }
            // the residual is round-off: whatever it codes is of that size
            double[] full = c.decode(code, true);
            for (int i = 0; i < w.length; i++) {
                assertEquals(w[i], full[i], 10 * tol);
            }
            // Z holds the normalised coefficients: the mean 0.3 at (0,0), cos(3x+2y) as ½ at (3,2)
            assertEquals(0.3, code.z()[CodecKernels_F64.latentIndex(4, 0, 0)], tol);
            assertEquals(0.5, code.z()[CodecKernels_F64.latentIndex(4, 3, 2)], tol);
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void theResidualStrictlyReducesTheErrorOnATurbulentField(Precision p) {
        int n = 64;
        Simulation sim = Simulations.create(TestConfigs.les(n, p));
        for (int s = 0; s < 60; s++) {
            sim.step(Double.POSITIVE_INFINITY);
        }
        double[] w = sim.vorticity();
        for (boolean majority : new boolean[] {false, true}) {
            try (SnapshotCodec c = dev.eddy.TestConfigs.cpuCodec(new CodecSettings(n, 6, 8, 0.7, 0, majority, p), 1)) {
                SnapshotCodec.Code code = c.encode(w);
                FieldErrors latent = FieldErrors.compare(n, w, c.decode(code, false));
                FieldErrors full = FieldErrors.compare(n, w, c.decode(code, true));
                assertTrue(latent.relL2() > 0.05, "the field must have content beyond K: " + latent);
                assertTrue(full.relL2() < latent.relL2(), latent + " → " + full);
                assertTrue(full.correlation() > latent.correlation());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void gaussianSmoothingDampsOnlyTheHigherModes(Precision p) {
        int n = 32;
        try (SnapshotCodec c = dev.eddy.TestConfigs.cpuCodec(new CodecSettings(n, 4, 8, 0.7, 0.1, false, p), 1)) {
            double[] w = lowMode(n);
            double[] latent = c.decode(c.encode(w), false);
            double mean = 0;
            for (double v : latent) {
                mean += v / latent.length;
            }
            assertEquals(0.3, mean, 1e-5); // the mean mode is untouched by exp(−σ²k²/2)
            assertTrue(FieldErrors.compare(n, w, latent).relL2() > 1e-3);
        }
    }
}
