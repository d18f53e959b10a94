package dev.eddy.report.bench;

import dev.eddy.viz.ChartStyle;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

/**
 * A line (or scatter) figure of the benchmark report, with the legend outside on the right. It counts
 * the measured points it draws apart from the reference lines, so a figure whose measured series all
 * came out empty is caught before it is written ({@link Figure}). On a log axis, points that are not
 * &gt; 0 are left out (a log axis cannot show them).
 */
final class LinePlot {
    static final int WIDTH = 1000;
    static final int HEIGHT = 600;

    enum Axis {
        LINEAR,
        LOG,
        /** Grid sizes N: a log axis in powers of two, labelled with N at the powers of two. */
        LOG2_N
    }

    private final XYChart chart;
    private final Axis x;
    private final Axis y;
    private int points;
    private double yMin = Double.POSITIVE_INFINITY;
    private double yMax = Double.NEGATIVE_INFINITY;

    LinePlot(String title, String xTitle, String yTitle, Axis x, Axis y) {
        this.x = x;
        this.y = y;
        chart = ChartStyle.xy(title, xTitle, yTitle, WIDTH, HEIGHT);
        Styler s = chart.getStyler();
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLogarithmic(x == Axis.LOG);
        chart.getStyler().setYAxisLogarithmic(y == Axis.LOG);
        if (y == Axis.LOG) {
            chart.getStyler().setYAxisDecimalPattern("0.####");
        }
        if (x == Axis.LOG2_N) {
            // log2 N on a linear axis; only whole powers of two are labelled (N = 2^x)
            chart.setCustomXAxisTickLabelsFormatter(v -> Math.abs(v - Math.rint(v)) < 1e-9 ? Long.toString(Math.round(Math.pow(2, v))) : "");
        }
    }

    /** A measured series; returns the points drawn. */
    int data(String name, double[] xs, double[] ys, Style style) {
        int drawn = add(name, xs, ys, style);
        points += drawn;
        return drawn;
    }

    /** A reference series (peer, floor, baseline): drawn, not counted as data. */
    void reference(String name, double[] xs, double[] ys, Style style) {
        add(name, xs, ys, style);
    }

    int points() {
        return points;
    }

    BufferedImage image() {
        // within two decades a log axis labelled only at the decades shows one label or none: label 2…9 as well
        chart.getStyler().setYAxisLogarithmicDecadeOnly(!(yMax / yMin < 100));
        return BitmapEncoder.getBufferedImage(chart);
    }

    private int add(String name, double[] xs, double[] ys, Style style) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s: %d x values but %d y values", name, xs.length, ys.length));
        }
        List<double[]> kept = new ArrayList<>();
        for (int i = 0; i < xs.length; i++) {
            if (shown(xs[i], x) && shown(ys[i], y)) {
                kept.add(new double[] {x == Axis.LOG2_N ? Math.log(xs[i]) / Math.log(2) : xs[i], ys[i]});
                yMin = Math.min(yMin, ys[i]);
                yMax = Math.max(yMax, ys[i]);
            }
        }
        if (kept.isEmpty()) {
            return 0;
        }
        kept.sort((a, b) -> Double.compare(a[0], b[0]));
        String unique = name;
        for (int i = 2; chart.getSeriesMap().containsKey(unique); i++) {
            unique = name + " (" + i + ")"; // XChart refuses a second series of one name
        }
        XYSeries s = chart.addSeries(unique, kept.stream().mapToDouble(p -> p[0]).toArray(), kept.stream().mapToDouble(p -> p[1]).toArray());
        s.setLineColor(style.colour());
        s.setMarkerColor(style.colour());
        if (style.line() != Style.NONE) {
            s.setLineWidth(style.width()); // before the style: XChart applies the width when the style is set (and would draw NONE)
        }
        s.setLineStyle(style.line());
        s.setMarker(style.marker());
        return kept.size();
    }

    private static boolean shown(double v, Axis axis) {
        return Double.isFinite(v) && (axis == Axis.LINEAR || v > 0);
    }
}
