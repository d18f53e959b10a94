package dev.eddy.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("fast")
class ColormapTest {
    private final Colormap map = Colormap.coolWarm();

    @Test
    void controlPointsAreMorelandsTable() {
        assertEquals(0x3b4cc0, map.bottom()); // (59, 76, 192)
        assertEquals(0xdddddd, map.centre()); // (221, 221, 221)
        assertEquals(0xb40426, map.top()); // (180, 4, 38)
        assertEquals(map.bottom(), map.rgb(-5.0)); // clamped
        assertEquals(map.top(), map.rgb(7.0));
        assertEquals(0, map.rgb(Double.NaN));
    }

    @Test
    void interpolatesBetweenControlPoints() {
        // halfway between 0.5 (221,221,221) and 0.53125 (229,216,209)
        assertEquals(Colormap.pack(225, 219, 215), map.rgb(0.5 + 0.03125 / 2));
    }

    /** A field with known max, zero and min lands the map's top, centre and bottom colours. */
    @Test
    void knownFieldLandsKnownColours() {
        int n = 8;
        double[] f = new double[n * n];
        f[3 * n + 2] = 4.0;  // the max, at x = 2, y = 3
        f[6 * n + 5] = -4.0; // the min, at x = 5, y = 6
        double limit = ColorLimits.maxAbs(f);
        assertEquals(4.0, limit);
        BufferedImage img = FieldImage.field(f, n, limit, map);
        int cell = img.getWidth() / n;
        assertEquals(map.top(), pixel(img, n, cell, 2, 3));
        assertEquals(map.bottom(), pixel(img, n, cell, 5, 6));
        assertEquals(map.centre(), pixel(img, n, cell, 0, 0));
    }

    /** y grows upwards: grid row 0 is the picture's bottom row, grid row n−1 its top row. */
    @Test
    void yIsUp() {
        int n = 16;
        double[] f = new double[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                f[y * n + x] = y - (n - 1) / 2.0; // rises with y
            }
        }
        BufferedImage img = FieldImage.field(f, n, ColorLimits.maxAbs(f), map);
        assertEquals(map.top(), img.getRGB(0, 0) & 0xffffff, "top-left pixel shows the largest y");
        assertEquals(map.bottom(), img.getRGB(img.getWidth() - 1, img.getHeight() - 1) & 0xffffff);
    }

    @Test
    void symmetricLimits() {
        double[] f = {1, -3, 2, 0.5, Double.NaN};
        assertEquals(3.0, ColorLimits.maxAbs(f));
        assertEquals(2.0, ColorLimits.percentileAbs(f, 75));
        assertEquals(1.0, ColorLimits.maxAbs(new double[4]), "a zero field still gets a usable limit");
        assertThrows(IllegalArgumentException.class, () -> ColorLimits.percentileAbs(f, 0));
    }

    private static int pixel(BufferedImage img, int n, int cell, int x, int y) {
        int row = (n - 1 - y) * cell + cell / 2;
        return img.getRGB(x * cell + cell / 2, row) & 0xffffff;
    }

    /**
     * Every pixel of a rendered field is painted with a colour the map gives one of the field's values:
     * none keeps the image's initial black (also the NaN colour), whether the grid is magnified by a whole
     * factor (32 → 512), by one rounded up (7 → 518, 120 → 600) or sampled down (1100 → 1024).
     */
    @ParameterizedTest
    @ValueSource(ints = {7, 32, 120, 1100})
    void noBlankPixelsInAField(int n) {
        double[] f = new double[n * n];
        Set<Integer> palette = new HashSet<>();
        for (int k = 0; k < f.length; k++) {
            f[k] = Math.sin(0.37 * k); // finite everywhere, no two neighbours alike
            palette.add(map.rgb(f[k], 1.0));
        }
        assertFalse(palette.contains(0), "no value of this field maps to black");
        BufferedImage img = FieldImage.field(f, n, 1.0, map);
        int side = FieldImage.side(n);
        assertEquals(side, img.getWidth());
        assertEquals(side, img.getHeight());
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                if (!palette.contains(rgb)) {
                    fail(String.format(Locale.ROOT, "N = %d: pixel (%d, %d) of %d×%d is #%06x, not a colour of the field", n, x, y, side, side, rgb));
                }
            }
        }
    }
}
