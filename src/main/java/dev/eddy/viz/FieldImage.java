package dev.eddy.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * Renders a scalar field on the N×N grid (row-major, {@code f[y*n + x]}, x_i = 2πi/N, the layout of the
 * run store, {@code snapshots.zarr}) as a picture with a diverging colour map and symmetric limits.
 *
 * <p>Orientation, as a physicist draws it: x grows to the right and y grows <em>upwards</em>. Image
 * rows run top to bottom, so image row r shows grid row y = N − 1 − ⌊r·N/side⌋: grid row 0 (y = 0) is
 * the bottom row of the picture. Small grids are magnified by an integer factor (every cell a square of
 * pixels, no smoothing that would invent structure); grids above {@link #MAX_SIDE} are sampled down.
 *
 * <p>Axes (issue 17): x along the bottom and y up the left side, in the domain's units, ticks at 0, π/2,
 * π, 3π/2 and 2π of the periodic square [0, 2π)². Grid point i covers [2πi/N, 2π(i+1)/N), so x = 0 is the
 * field's left edge and 2π its right edge (and likewise y from the bottom edge up).
 */
public final class FieldImage {
    /** Smallest side of the field area in pixels: small grids are magnified up to it. */
    public static final int MIN_SIDE = 512;
    /** Largest side of the field area: bigger grids are sampled down to it. */
    public static final int MAX_SIDE = 1024;

    static final Color INK = new Color(0x22, 0x22, 0x22);
    static final int TITLE_HEIGHT = 34;
    static final int BAR_WIDTH = 22;
    static final int BAR_AREA = 110;
    static final int MARGIN = 10;
    /** Left of the field: the y tick labels and the axis label "y". */
    static final int AXIS_LEFT = 62;
    /** Below the field: the x tick labels and the axis label "x". */
    static final int AXIS_BOTTOM = 50;
    static final int TICK = 6;
    /** The tick labels, at 0, π/2, π, 3π/2 and 2π. */
    static final String[] TICK_LABELS = {"0", "π/2", "π", "3π/2", "2π"};

    /**
     * How to draw one field.
     *
     * @param limit    colour limit L &gt; 0: −L → bottom colour, 0 → centre, +L → top (values beyond are clipped)
     * @param title    text above the field, or null for none
     * @param colorbar draw a colour bar with tick labels −L, 0, +L on the right
     * @param quantity the colour bar's caption (e.g. "ω"), or null
     * @param axes     draw the x and y axes of [0, 2π)² with their ticks and labels
     */
    public record Style(double limit, String title, boolean colorbar, String quantity, boolean axes) {
        public Style {
            if (!(limit > 0) || !Double.isFinite(limit)) {
                throw new IllegalArgumentException("colour limit must be finite and > 0, got " + limit);
            }
        }

        /** With axes: every field picture has them unless asked otherwise. */
        public Style(double limit, String title, boolean colorbar, String quantity) {
            this(limit, title, colorbar, quantity, true);
        }
    }

    private FieldImage() {
    }

    /** Side in pixels of the field area for a grid of n. */
    public static int side(int n) {
        if (n >= MAX_SIDE) {
            return MAX_SIDE;
        }
        return n * Math.max(1, (MIN_SIDE + n - 1) / n);
    }

    /** The field alone, side×side pixels, no decorations. */
    public static BufferedImage field(double[] f, int n, double limit, Colormap map) {
        check(f, n);
        int side = side(n);
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[side];
        for (int r = 0; r < side; r++) {
            int y = n - 1 - (int) ((long) r * n / side); // y up: the top image row is the last grid row
            for (int c = 0; c < side; c++) {
                int x = (int) ((long) c * n / side);
                row[c] = map.rgb(f[y * n + x], limit);
            }
            img.setRGB(0, r, side, 1, row, 0, side);
        }
        return img;
    }

    /** The field with its title and colour bar, as {@link Style} says. */
    public static BufferedImage render(double[] f, int n, Style style, Colormap map) {
        BufferedImage field = field(f, n, style.limit(), map);
        int side = field.getWidth();
        int top = style.title() != null ? TITLE_HEIGHT : MARGIN;
        int left = left(style);
        int width = left + side + (style.colorbar() ? BAR_AREA : MARGIN);
        int height = top + side + (style.axes() ? AXIS_BOTTOM : MARGIN);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            prepare(g, width, height);
            // drawn 1:1 (the field is already at its pixel size), so no interpolation touches it
            g.drawImage(field, left, top, null);
            g.setColor(INK);
            g.drawRect(left - 1, top - 1, side + 1, side + 1);
            if (style.title() != null) {
                g.setFont(font(Font.BOLD, 17));
                g.drawString(style.title(), left, top - 10);
            }
            if (style.axes()) {
                axes(g, left, top, side);
            }
            if (style.colorbar()) {
                colorbar(g, map, left + side + 14, top, side, style.limit(), style.quantity());
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** Pixels left of the field area: the axis band, or a plain margin without axes. */
    static int left(Style style) {
        return style.axes() ? AXIS_LEFT : MARGIN;
    }

    /**
     * Ticks and labels of x (below the field, growing to the right) and y (left of it, growing upwards)
     * at 0, π/2, π, 3π/2, 2π: tick j sits on the field's edge at j/4 of its side.
     */
    static void axes(Graphics2D g, int left, int top, int side) {
        g.setColor(INK);
        g.setStroke(new BasicStroke(1f));
        g.setFont(font(Font.PLAIN, 14));
        FontMetrics fm = g.getFontMetrics();
        int bottom = top + side; // the first pixel row below the field
        for (int j = 0; j < TICK_LABELS.length; j++) {
            String label = TICK_LABELS[j];
            int tx = left + (int) Math.round(j * side / 4.0) - (j == 4 ? 1 : 0);
            g.drawLine(tx, bottom, tx, bottom + TICK);
            g.drawString(label, tx - fm.stringWidth(label) / 2, bottom + TICK + 2 + fm.getAscent());
            int ty = bottom - (int) Math.round(j * side / 4.0) - (j == 0 ? 1 : 0);
            g.drawLine(left - 1 - TICK, ty, left - 1, ty);
            g.drawString(label, left - TICK - 4 - fm.stringWidth(label), ty + fm.getAscent() / 2 - 1);
        }
        g.setFont(font(Font.ITALIC, 16));
        fm = g.getFontMetrics();
        g.drawString("x", left + side / 2 - fm.stringWidth("x") / 2, bottom + AXIS_BOTTOM - 6);
        g.drawString("y", 6, top + side / 2 + fm.getAscent() / 2);
    }

    static void prepare(Graphics2D g, int width, int height) {
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
    }

    static Font font(int style, int size) {
        return new Font(Font.SANS_SERIF, style, size);
    }

    /** A vertical bar, +L at the top, with ticks at ±L, ±L/2 and 0. */
    static void colorbar(Graphics2D g, Colormap map, int x, int y, int height, double limit, String quantity) {
        for (int r = 0; r < height; r++) {
            double t = 1 - (r + 0.5) / height;
            g.setColor(new Color(map.rgb(t)));
            g.fillRect(x, y + r, BAR_WIDTH, 1);
        }
        g.setColor(INK);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(x, y, BAR_WIDTH, height - 1);
        g.setFont(font(Font.PLAIN, 13));
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i <= 4; i++) {
            double v = limit * (1 - i / 2.0);
            int ty = y + (int) Math.round(i * (height - 1) / 4.0);
            g.drawLine(x + BAR_WIDTH, ty, x + BAR_WIDTH + 4, ty);
            String label = i == 2 ? "0" : String.format(Locale.ROOT, "%+.3g", v);
            int baseline = ty + fm.getAscent() / 2 - 1;
            baseline = Math.max(y + fm.getAscent(), Math.min(y + height, baseline));
            g.drawString(label, x + BAR_WIDTH + 7, baseline);
        }
        if (quantity != null) {
            g.setFont(font(Font.ITALIC, 15));
            g.drawString(quantity, x + 3, y - 8);
        }
    }

    static void check(double[] f, int n) {
        if (n <= 0 || f.length != (long) n * n) {
            throw new IllegalArgumentException("field holds " + f.length + " values, an " + n + "×" + n + " grid needs "
                    + (long) n * n);
        }
    }
}
