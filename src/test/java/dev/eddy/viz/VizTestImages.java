package dev.eddy.viz;

import java.awt.image.BufferedImage;
import java.util.HashSet;
import java.util.Set;

/** Checks on rendered images shared by the viz tests. */
public final class VizTestImages {
    private VizTestImages() {
    }

    /** Number of distinct colours (a blank image has 1). */
    public static int colours(BufferedImage img) {
        Set<Integer> seen = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                seen.add(img.getRGB(x, y) & 0xffffff);
            }
        }
        return seen.size();
    }
}
