package dev.eddy.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The plot helpers on synthetic data: right size, not blank, bad input refused. */
@Tag("fast")
class PlotsTest {

    private static void check(BufferedImage img) {
        assertEquals(Plots.WIDTH, img.getWidth());
        assertEquals(Plots.HEIGHT, img.getHeight());
        assertTrue(VizTestImages.colours(img) > 20, "plot looks blank");
    }

    @Test
    void spectrumWithGuides() {
        double[][] spectra = new double[3][33];
        for (int s = 0; s < 3; s++) {
            for (int k = 1; k < 33; k++) {
                spectra[s][k] = Math.pow(k, 4) * Math.exp(-k / (3.0 + s)) * 1e-3; // tail falls to 0
            }
            spectra[s][32] = 0;
        }
        check(Plots.spectrum(spectra, new String[] {"t = 0", "t = 1", "t = 2"}, 21));
    }

    @Test
    void energyEnstrophy() {
        double[] t = {0, 1, 2, 3};
        check(Plots.energyEnstrophy(t, new double[] {0.5, 0.4, 0.35, 0.3}, new double[] {120, 60, 40, 30}));
    }

    @Test
    void errorVsHorizon() {
        double[] h = {1, 2, 4, 8, 16};
        check(Plots.errorVsHorizon(h, new String[] {"K = 8", "K = 16"},
                new double[][] {{0.01, 0.02, 0.05, 0.1, 0.3}, {0.005, 0.01, 0.02, 0.06, 0.2}}, "relative L2 error", "steps"));
        assertThrows(IllegalArgumentException.class, () -> Plots.errorVsHorizon(h, new String[] {"a"},
                new double[][] {{1, 2}}, "e", "h"));
    }

    @Test
    void ratioVsError() {
        check(Plots.ratioVsError(new String[] {"latent", "latent + residual"},
                new double[][] {{0.3, 0.2, 0.1}, {0.05, 0.03, 0.02}}, new double[][] {{200, 100, 50}, {40, 25, 12}},
                "relative L2 error"));
        assertThrows(IllegalArgumentException.class, () -> Plots.ratioVsError(new String[] {"a"},
                new double[][] {{1, 2}}, new double[][] {{1}}, "e"));
    }
}
