package dev.eddy.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("fast")
class FieldImageTest {
    private final Colormap map = Colormap.coolWarm();

    static double[] vortices(int n, double phase) {
        double[] f = new double[n * n];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double px = 2 * Math.PI * x / n;
                double py = 2 * Math.PI * y / n;
                f[y * n + x] = Math.sin(2 * px + phase) * Math.cos(3 * py) + 0.3 * Math.cos(5 * px - py);
            }
        }
        return f;
    }

    @Test
    void sizesFollowTheGrid() {
        assertEquals(512, FieldImage.side(32));   // magnified ×16
        assertEquals(600, FieldImage.side(120));  // ×5
        assertEquals(512, FieldImage.side(512));
        assertEquals(1024, FieldImage.side(4096)); // sampled down
    }

    @Test
    void decoratedImageHasTheRightSizeAndIsNotBlank(@TempDir Path tmp) throws Exception {
        int n = 64;
        double[] f = vortices(n, 0);
        BufferedImage img = FieldImage.render(f, n, new FieldImage.Style(ColorLimits.maxAbs(f), "t = 1.0  (step 10)", true,
                "ω"), map);
        int side = FieldImage.side(n);
        assertEquals(FieldImage.AXIS_LEFT + side + FieldImage.BAR_AREA, img.getWidth());
        assertEquals(FieldImage.TITLE_HEIGHT + side + FieldImage.AXIS_BOTTOM, img.getHeight());
        assertTrue(VizTestImages.colours(img) > 100, "a smooth field should show many colours");
        Path png = tmp.resolve("f.png");
        Images.writePng(png, img);
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(img.getWidth(), back.getWidth());
        assertEquals(img.getHeight(), back.getHeight());
        assertTrue(Files.size(png) > 1000);
    }

    /**
     * Issue 17: the field has axes in the domain's units. Below the field, ink (tick and label) under each of
     * the five tick positions 0, π/2, π, 3π/2, 2π and white between them; left of it the same for y; and the
     * field itself is drawn crisp: every grid cell a block of identical pixels with exactly the map's colour.
     */
    @Test
    void axesHaveTicksAndLabelsAndTheFieldStaysCrisp() {
        int n = 32;
        double[] f = vortices(n, 0);
        double limit = ColorLimits.maxAbs(f);
        BufferedImage img = FieldImage.render(f, n, new FieldImage.Style(limit, "t = 0", true, "ω"), map);
        BufferedImage bare = FieldImage.render(f, n, new FieldImage.Style(limit, "t = 0", true, "ω", false), map);
        int side = FieldImage.side(n);
        int left = FieldImage.AXIS_LEFT;
        int top = FieldImage.TITLE_HEIGHT;
        int bottom = top + side;
        assertEquals(img.getWidth() - bare.getWidth(), FieldImage.AXIS_LEFT - FieldImage.MARGIN);
        for (int j = 0; j <= 4; j++) {
            int tx = left + j * side / 4;
            assertTrue(ink(img, tx - 12, bottom + 1, tx + 12, bottom + FieldImage.AXIS_BOTTOM - 20) > 15,
                    "x tick label " + FieldImage.TICK_LABELS[j] + " below the field");
            int ty = bottom - j * side / 4;
            assertTrue(ink(img, 18, ty - 10, left - 1, ty + 10) > 15, "y tick label " + FieldImage.TICK_LABELS[j] + " left of the field");
        }
        for (int j = 0; j < 4; j++) { // nothing between the ticks: the ink is labels, not noise
            int mid = left + (2 * j + 1) * side / 8;
            assertEquals(0, ink(img, mid - 10, bottom + 1, mid + 10, bottom + FieldImage.AXIS_BOTTOM - 20), "between x ticks " + j);
        }
        assertTrue(ink(img, left + side / 2 - 10, bottom + FieldImage.AXIS_BOTTOM - 22, left + side / 2 + 10, bottom + FieldImage.AXIS_BOTTOM - 1) > 5,
                "the axis label x");
        assertTrue(ink(img, 0, top + side / 2 - 12, 18, top + side / 2 + 12) > 5, "the axis label y");
        int cell = side / n;
        for (int y = 0; y < n; y += 5) {
            for (int x = 0; x < n; x += 3) {
                int want = map.rgb(f[y * n + x], limit) & 0xffffff;
                for (int dy = 0; dy < cell; dy += cell - 1) {
                    for (int dx = 0; dx < cell; dx += cell - 1) {
                        assertEquals(want, img.getRGB(left + x * cell + dx, top + (n - 1 - y) * cell + dy) & 0xffffff,
                                "cell (" + x + ", " + y + ") is one flat block of its own colour");
                    }
                }
            }
        }
    }

    /** Pixels in the box [x0, x1] × [y0, y1] that are clearly darker than the white background. */
    static int ink(BufferedImage img, int x0, int y0, int x1, int y1) {
        int count = 0;
        for (int y = Math.max(0, y0); y <= Math.min(img.getHeight() - 1, y1); y++) {
            for (int x = Math.max(0, x0); x <= Math.min(img.getWidth() - 1, x1); x++) {
                int rgb = img.getRGB(x, y);
                int lum = ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
                count += lum < 3 * 160 ? 1 : 0;
            }
        }
        return count;
    }

    @Test
    void rejectsAFieldOfTheWrongSize() {
        assertThrows(IllegalArgumentException.class, () -> FieldImage.field(new double[10], 4, 1, map));
        assertThrows(IllegalArgumentException.class, () -> new FieldImage.Style(0, null, false, null));
    }

    /** LES | proxy | error: three panels; the error has its own limits, so its extreme is the map's end colour. */
    @Test
    void comparisonPanels() {
        int n = 32;
        double[] les = vortices(n, 0);
        double[] proxy = vortices(n, 0.05);
        BufferedImage img = Comparison.render(les, proxy, n, "synthetic: proxy = LES shifted by 0.05 rad", map);
        BufferedImage one = FieldImage.render(les, n, new FieldImage.Style(1, "LES", true, "ω"), map);
        assertEquals(3 * one.getWidth(), img.getWidth());
        assertEquals(FieldImage.TITLE_HEIGHT + one.getHeight(), img.getHeight());
        assertTrue(VizTestImages.colours(img) > 100);

        // find the error's extreme cell and check its pixel in the third panel
        int worst = 0;
        for (int i = 0; i < les.length; i++) {
            if (Math.abs(proxy[i] - les[i]) > Math.abs(proxy[worst] - les[worst])) {
                worst = i;
            }
        }
        int x = worst % n;
        int y = worst / n;
        int cell = FieldImage.side(n) / n;
        int px = 2 * one.getWidth() + FieldImage.AXIS_LEFT + x * cell + cell / 2;
        int py = FieldImage.TITLE_HEIGHT + FieldImage.TITLE_HEIGHT + (n - 1 - y) * cell + cell / 2;
        int expected = proxy[worst] > les[worst] ? map.top() : map.bottom();
        assertEquals(expected, img.getRGB(px, py) & 0xffffff, "the error's extreme gets the end colour of its own scale");
    }
}
