package dev.eddy.viz;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * "LES | proxy | error" side by side, for judging the proxy against the simulation at one time. LES and
 * proxy share one colour scale, ±max(max|LES|, max|proxy|), so equal colours mean equal vorticity; the
 * error, proxy − LES, has its own symmetric scale ±max|error| (it is usually much smaller, and would be
 * a flat grey on the fields' scale).
 */
public final class Comparison {
    private Comparison() {
    }

    /** The three panels in one image, each with its own colour bar, under a common caption (or null). */
    public static BufferedImage render(double[] les, double[] proxy, int n, String caption, Colormap map) {
        FieldImage.check(les, n);
        FieldImage.check(proxy, n);
        double[] error = new double[les.length];
        for (int i = 0; i < error.length; i++) {
            error[i] = proxy[i] - les[i];
        }
        double limit = Math.max(ColorLimits.maxAbs(les), ColorLimits.maxAbs(proxy));
        BufferedImage[] panels = {
                FieldImage.render(les, n, new FieldImage.Style(limit, "LES", true, "ω"), map),
                FieldImage.render(proxy, n, new FieldImage.Style(limit, "proxy", true, "ω"), map),
                FieldImage.render(error, n, new FieldImage.Style(ColorLimits.maxAbs(error), "error (proxy − LES)", true,
                        "Δω"), map)};
        int top = caption != null ? FieldImage.TITLE_HEIGHT : 0;
        int width = 0;
        int height = 0;
        for (BufferedImage p : panels) {
            width += p.getWidth();
            height = Math.max(height, p.getHeight());
        }
        BufferedImage img = new BufferedImage(width, top + height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            FieldImage.prepare(g, img.getWidth(), img.getHeight());
            int x = 0;
            for (BufferedImage p : panels) {
                g.drawImage(p, x, top, null);
                x += p.getWidth();
            }
            if (caption != null) {
                g.setColor(FieldImage.INK);
                g.setFont(FieldImage.font(Font.PLAIN, 16));
                g.drawString(caption, FieldImage.MARGIN, top - 8);
            }
        } finally {
            g.dispose();
        }
        return img;
    }
}
