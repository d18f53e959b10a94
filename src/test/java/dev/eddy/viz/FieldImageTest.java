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
        assertEquals(FieldImage.MARGIN + side + FieldImage.BAR_AREA, img.getWidth());
        assertEquals(FieldImage.TITLE_HEIGHT + side + FieldImage.MARGIN, img.getHeight());
        assertTrue(VizTestImages.colours(img) > 100, "a smooth field should show many colours");
        Path png = tmp.resolve("f.png");
        Images.writePng(png, img);
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(img.getWidth(), back.getWidth());
        assertEquals(img.getHeight(), back.getHeight());
        assertTrue(Files.size(png) > 1000);
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
        int px = 2 * one.getWidth() + FieldImage.MARGIN + x * cell + cell / 2;
        int py = FieldImage.TITLE_HEIGHT + FieldImage.TITLE_HEIGHT + (n - 1 - y) * cell + cell / 2;
        int expected = proxy[worst] > les[worst] ? map.top() : map.bottom();
        assertEquals(expected, img.getRGB(px, py) & 0xffffff, "the error's extreme gets the end colour of its own scale");
    }
}
