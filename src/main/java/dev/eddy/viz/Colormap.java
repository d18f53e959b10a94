package dev.eddy.viz;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A colour map given by control points (scalar in [0, 1] → 8-bit sRGB), read from a CSV resource under
 * {@code /colormaps/}, and interpolated linearly in sRGB between neighbouring points. With Moreland's 33
 * points the linear steps are short enough that the difference from his Msh-space interpolation stays
 * below one 8-bit level in most places; what matters here, that the ends and the centre land exactly on
 * the table's colours, holds by construction.
 */
public final class Colormap {
    private static volatile Colormap coolWarm;

    private final String name;
    private final double[] at;
    private final int[] rgb;

    private Colormap(String name, double[] at, int[] rgb) {
        this.name = name;
        this.at = at;
        this.rgb = rgb;
    }

    /** Moreland's cool–warm diverging map (see {@code colormaps/cool-warm.csv} for the source). */
    public static Colormap coolWarm() {
        Colormap c = coolWarm;
        if (c == null) {
            c = load("cool-warm");
            coolWarm = c;
        }
        return c;
    }

    /** Loads {@code /colormaps/NAME.csv}: lines {@code scalar,R,G,B}, '#' comments, scalars rising from 0 to 1. */
    public static Colormap load(String name) {
        String resource = "/colormaps/" + name + ".csv";
        try (InputStream in = Colormap.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no colour map " + resource + " on the class path");
            }
            List<double[]> rows = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",");
                if (f.length != 4) {
                    throw new IllegalStateException(resource + ": expected 'scalar,R,G,B', got '" + line + "'");
                }
                rows.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        Double.parseDouble(f[3])});
            }
            double[] at = new double[rows.size()];
            int[] rgb = new int[rows.size()];
            for (int i = 0; i < at.length; i++) {
                double[] row = rows.get(i);
                at[i] = row[0];
                rgb[i] = pack((int) row[1], (int) row[2], (int) row[3]);
                if (i > 0 && !(at[i] > at[i - 1])) {
                    throw new IllegalStateException(resource + ": scalars must rise, line " + (i + 1));
                }
            }
            if (at.length < 2 || at[0] != 0 || at[at.length - 1] != 1) {
                throw new IllegalStateException(resource + ": control points must run from 0 to 1");
            }
            return new Colormap(name, at, rgb);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    public String name() {
        return name;
    }

    /** 0xRRGGBB of scalar t; t is clamped to [0, 1], NaN gets black so that it stands out. */
    public int rgb(double t) {
        if (Double.isNaN(t)) {
            return 0;
        }
        if (t <= 0) {
            return rgb[0];
        }
        if (t >= 1) {
            return rgb[rgb.length - 1];
        }
        int hi = java.util.Arrays.binarySearch(at, t);
        if (hi >= 0) {
            return rgb[hi];
        }
        hi = -hi - 1;
        int lo = hi - 1;
        double w = (t - at[lo]) / (at[hi] - at[lo]);
        return pack(mix(channel(rgb[lo], 16), channel(rgb[hi], 16), w), mix(channel(rgb[lo], 8), channel(rgb[hi], 8), w),
                mix(channel(rgb[lo], 0), channel(rgb[hi], 0), w));
    }

    /** Colour of a value under symmetric limits ±limit: −limit → bottom, 0 → centre, +limit → top. */
    public int rgb(double value, double limit) {
        return rgb(0.5 + 0.5 * value / limit);
    }

    public int bottom() {
        return rgb[0];
    }

    public int top() {
        return rgb[rgb.length - 1];
    }

    public int centre() {
        return rgb(0.5);
    }

    private static int channel(int rgb, int shift) {
        return (rgb >> shift) & 0xff;
    }

    private static int mix(int a, int b, double w) {
        return (int) Math.round(a + (b - a) * w);
    }

    static int pack(int r, int g, int b) {
        return (r << 16) | (g << 8) | b;
    }
}
