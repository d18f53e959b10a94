package dev.eddy.viz;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Line plots drawn with XChart into images: the run's energy spectra and energy/enstrophy history, and
 * generic helpers for the later stages (proxy error against horizon, compression ratio against error)
 * that take plain arrays and labels. Log axes drop points that are not &gt; 0 (a log axis cannot show
 * them; the dealiased tail of a spectrum is exactly 0).
 */
public final class Plots {
    public static final int WIDTH = 820;
    public static final int HEIGHT = 560;

    private Plots() {
    }

    /**
     * E(k) on log–log axes, one curve per snapshot, with the k⁻³ (enstrophy cascade) and k⁻⁵ᐟ³ (inverse
     * energy cascade) slopes of 2D turbulence as dashed guides, anchored on the last spectrum.
     *
     * @param spectra spectra[s][k] for k = 0 … N/2
     * @param labels  one legend entry per spectrum, e.g. "t = 1.2"
     * @param cutoff  the largest resolved wavenumber (N/3 after dealiasing): a guide ends there
     */
    public static BufferedImage spectrum(double[][] spectra, String[] labels, int cutoff) {
        requireSameLength(spectra.length, labels.length, "spectra", "labels");
        XYChart chart = chart("Energy spectrum", "k", "E(k)");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("0.#E0");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        Color[] colours = sequential(spectra.length);
        double top = 0;
        for (double[] e : spectra) {
            for (int i = 1; i < e.length && i <= cutoff; i++) {
                top = Math.max(top, e[i]);
            }
        }
        for (int s = 0; s < spectra.length; s++) {
            // shells beyond the cutoff are only partly filled (corners of the square dealiasing mask): cut there
            int len = Math.min(spectra[s].length, cutoff + 1);
            double[] k = new double[len];
            double[] e = new double[len];
            for (int i = 0; i < len; i++) {
                k[i] = i;
                // the far tail of a smooth initial spectrum falls to round-off: 10 decades show the cascade
                e[i] = top > 0 && spectra[s][i] < top * 1e-10 ? 0 : spectra[s][i];
            }
            XYSeries series = addPositive(chart, labels[s], k, e);
            if (series != null) {
                series.setLineColor(colours[s]);
                series.setLineWidth(2f);
            }
        }
        if (spectra.length > 0) {
            double[] last = spectra[spectra.length - 1];
            int peak = 1;
            for (int i = 1; i < last.length; i++) {
                if (last[i] > last[peak]) {
                    peak = i;
                }
            }
            int end = Math.max(peak + 1, Math.min(cutoff, last.length - 1));
            if (last[peak] > 0 && end > peak) {
                guide(chart, "k^-3", peak, end, 3.0, 2 * last[peak], new Color(0x55, 0x55, 0x55));
                guide(chart, "k^-5/3", peak, end, 5.0 / 3, 2 * last[peak], new Color(0x99, 0x99, 0x99));
            }
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * A time-averaged E(k) compensated by the cascades' slopes, k³E(k) (enstrophy cascade) and k⁵ᐟ³E(k)
     * (inverse energy cascade), on log–log axes: a plateau marks the range where that power law holds.
     */
    public static BufferedImage compensatedSpectrum(double[] mean, int cutoff, String window) {
        XYChart chart = chart("Compensated energy spectrum, " + window, "k", "k^a E(k)");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        chart.getStyler().setYAxisDecimalPattern("0.#E0");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        int len = Math.min(mean.length, cutoff + 1);
        double[] k = new double[len];
        double[] c3 = new double[len];
        double[] c53 = new double[len];
        for (int i = 0; i < len; i++) {
            k[i] = i;
            c3[i] = Math.pow(i, 3) * mean[i];
            c53[i] = Math.pow(i, 5.0 / 3) * mean[i];
        }
        XYSeries a = addPositive(chart, "k^3 E(k)  (flat in an enstrophy cascade)", k, c3);
        if (a != null) {
            a.setLineColor(new Color(59, 76, 192));
            a.setLineWidth(2f);
        }
        XYSeries b = addPositive(chart, "k^5/3 E(k)  (flat in an inverse energy cascade)", k, c53);
        if (b != null) {
            b.setLineColor(new Color(180, 4, 38));
            b.setLineWidth(2f);
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** The time-averaged spectral fluxes Π(k) (energy, left axis) and Z(k) (enstrophy, right axis) against k. */
    public static BufferedImage fluxes(double[] energy, double[] enstrophy, int cutoff, String window) {
        XYChart chart = chart("Spectral fluxes, " + window, "k", "Π(k)");
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        int len = Math.min(energy.length, cutoff + 1) - 1;
        double[] k = new double[len];
        double[] pe = new double[len];
        double[] pz = new double[len];
        for (int i = 0; i < len; i++) {
            k[i] = i + 1;
            pe[i] = energy[i + 1];
            pz[i] = enstrophy[i + 1];
        }
        line(chart, "energy flux Π(k) (left axis)", k, pe, new Color(59, 76, 192), 0, false);
        line(chart, "enstrophy flux Z(k) (right axis)", k, pz, new Color(180, 4, 38), 1, false);
        chart.setYAxisGroupTitle(1, "Z(k)");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        line(chart, "0", new double[] {1, Math.max(2, len)}, new double[] {0, 0}, Color.GRAY, 0, true);
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static void guide(XYChart chart, String name, int from, int to, double slope, double anchor, Color c) {
        double[] k = {from, to};
        double[] e = {anchor, anchor * Math.pow((double) to / from, -slope)};
        XYSeries s = chart.addSeries(name, k, e);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineStyle(SeriesLines.DASH_DASH);
        s.setLineColor(c);
    }

    /** Energy (left axis) and enstrophy (right axis) against simulated time. */
    public static BufferedImage energyEnstrophy(double[] time, double[] energy, double[] enstrophy) {
        requireSameLength(time.length, energy.length, "time", "energy");
        requireSameLength(time.length, enstrophy.length, "time", "enstrophy");
        XYChart chart = chart("Energy and enstrophy", "t", "energy ½⟨u²+v²⟩");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.setYAxisGroupTitle(1, "enstrophy ½⟨ω²⟩");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        XYSeries e = chart.addSeries("energy", time, energy);
        e.setMarker(SeriesMarkers.NONE);
        e.setLineColor(new Color(59, 76, 192));
        e.setLineWidth(2f);
        XYSeries z = chart.addSeries("enstrophy (right axis)", time, enstrophy);
        z.setMarker(SeriesMarkers.NONE);
        z.setLineColor(new Color(180, 4, 38));
        z.setLineWidth(2f);
        z.setYAxisGroup(1);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * The health check against time: the outer-band enstrophy fraction (left axis) and E(k_c)/E(k_c/2)
     * (right axis), each with its bound as a dashed line of the same colour.
     */
    public static BufferedImage health(double[] time, double[] band, double[] ratio, double bandBound, double ratioBound) {
        requireSameLength(time.length, band.length, "time", "band");
        requireSameLength(time.length, ratio.length, "time", "ratio");
        XYChart chart = chart("Health near the dealiasing cutoff", "t", "enstrophy share in the outer band");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.setYAxisGroupTitle(1, "E(k_c)/E(k_c/2)");
        chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        chart.getStyler().setYAxisMin(0, 0.0).setYAxisMin(1, 0.0);
        chart.getStyler().setYAxisMax(0, Math.max(1.25 * bandBound, max(band) * 1.05));
        chart.getStyler().setYAxisMax(1, Math.max(1.25 * ratioBound, max(ratio) * 1.05));
        Color blue = new Color(59, 76, 192);
        Color red = new Color(180, 4, 38);
        line(chart, "outer-band enstrophy share", time, band, blue, 0, false);
        line(chart, "bound", new double[] {time[0], time[time.length - 1]}, new double[] {bandBound, bandBound}, blue, 0, true);
        line(chart, "E(k_c)/E(k_c/2) (right axis)", time, ratio, red, 1, false);
        line(chart, "bound (right axis)", new double[] {time[0], time[time.length - 1]}, new double[] {ratioBound, ratioBound},
                red, 1, true);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * A budget against time: each term as a curve (labels[i], values[i][t]), e.g. the enstrophy input by
     * the forcing and its dissipation by viscosity, the SGS term and drag, beside the measured rate of change.
     */
    public static BufferedImage budget(String title, double[] time, String[] labels, double[][] values, String yName) {
        requireSameLength(labels.length, values.length, "labels", "values");
        XYChart chart = chart(title, "t", yName);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        Color[] colours = {new Color(59, 76, 192), new Color(180, 4, 38), new Color(34, 139, 34), new Color(230, 140, 0),
                new Color(120, 60, 160), Color.DARK_GRAY};
        for (int i = 0; i < labels.length; i++) {
            requireSameLength(time.length, values[i].length, "time", "values[" + i + "]");
            line(chart, labels[i], time, values[i], colours[i % colours.length], 0, i == labels.length - 1);
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static void line(XYChart chart, String label, double[] x, double[] y, Color c, int axis, boolean dashed) {
        XYSeries s = chart.addSeries(label, x, y);
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(c);
        s.setLineWidth(2f);
        s.setYAxisGroup(axis);
        if (dashed) {
            s.setLineStyle(SeriesLines.DASH_DASH);
        }
    }

    private static double max(double[] v) {
        double m = 0;
        for (double x : v) {
            if (Double.isFinite(x)) {
                m = Math.max(m, x);
            }
        }
        return m;
    }

    /**
     * Proxy error against rollout horizon: one curve per label (e.g. per initial state or per latent size),
     * errors[i][h] at horizon[h]; log y when every error is &gt; 0 and they span a decade or more (a log
     * axis labels decades only), else a linear axis whose tick labels carry enough digits to tell the
     * ticks apart (a correlation of 0.998…0.9995 got no labels at one decimal).
     */
    public static BufferedImage errorVsHorizon(double[] horizon, String[] labels, double[][] errors, String errorName,
                                               String horizonName) {
        requireSameLength(labels.length, errors.length, "labels", "errors");
        XYChart chart = chart(errorName + " against horizon", horizonName, errorName);
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] e : errors) {
            for (double v : e) {
                if (Double.isFinite(v)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        boolean log = allPositive(errors) && hi >= 10 * lo;
        chart.getStyler().setYAxisLogarithmic(log);
        if (log) {
            chart.getStyler().setYAxisDecimalPattern("0.#E0");
        } else if (hi > lo) {
            int digits = (int) Math.max(1, Math.ceil(-Math.log10((hi - lo) / 5)) + 1);
            boolean small = Math.max(Math.abs(lo), Math.abs(hi)) < 1e-3;
            chart.getStyler().setYAxisDecimalPattern(small ? "0.##E0" : "0." + "0".repeat(Math.min(digits, 10)));
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        for (int i = 0; i < labels.length; i++) {
            requireSameLength(horizon.length, errors[i].length, "horizon", "errors[" + i + "]");
            XYSeries s = chart.addSeries(labels[i], horizon, errors[i]);
            s.setMarker(SeriesMarkers.CIRCLE);
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Compression ratio against error: one polyline of points per label (e.g. latent-only, latent +
     * residual), ratios[i][p] against errors[i][p]; log x (errors span decades) when they are all &gt; 0.
     */
    public static BufferedImage ratioVsError(String[] labels, double[][] errors, double[][] ratios, String errorName) {
        requireSameLength(labels.length, errors.length, "labels", "errors");
        requireSameLength(labels.length, ratios.length, "labels", "ratios");
        XYChart chart = chart("Compression ratio against " + errorName, errorName, "compression ratio");
        chart.getStyler().setXAxisLogarithmic(allPositive(errors));
        if (allPositive(errors)) {
            chart.getStyler().setXAxisDecimalPattern("0.#E0");
        }
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        for (int i = 0; i < labels.length; i++) {
            requireSameLength(errors[i].length, ratios[i].length, "errors[" + i + "]", "ratios[" + i + "]");
            XYSeries s = chart.addSeries(labels[i], errors[i], ratios[i]);
            s.setMarker(SeriesMarkers.DIAMOND);
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Eigenvalues in the complex plane with the unit circle: a linear proxy's modes outside the circle
     * grow, those inside decay. Square, equal axes covering the circle and every eigenvalue.
     */
    public static BufferedImage eigenvalues(double[] re, double[] im, String title) {
        requireSameLength(re.length, im.length, "re", "im");
        XYChart chart = ChartStyle.xy(title, "Re λ", "Im λ", HEIGHT, HEIGHT);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        double r = 1.05;
        for (int i = 0; i < re.length; i++) {
            r = Math.max(r, 1.05 * Math.hypot(re[i], im[i]));
        }
        chart.getStyler().setXAxisMin(-r).setXAxisMax(r).setYAxisMin(-r).setYAxisMax(r);
        int points = 361;
        double[] cx = new double[points];
        double[] cy = new double[points];
        for (int i = 0; i < points; i++) {
            cx[i] = Math.cos(2 * Math.PI * i / (points - 1));
            cy[i] = Math.sin(2 * Math.PI * i / (points - 1));
        }
        XYSeries circle = chart.addSeries("unit circle", cx, cy);
        circle.setMarker(SeriesMarkers.NONE);
        circle.setLineColor(Color.GRAY);
        circle.setLineStyle(SeriesLines.DASH_DASH);
        List<double[]> inside = new ArrayList<>();
        List<double[]> outside = new ArrayList<>();
        for (int i = 0; i < re.length; i++) {
            (Math.hypot(re[i], im[i]) > 1 ? outside : inside).add(new double[] {re[i], im[i]});
        }
        scatter(chart, "|λ| ≤ 1 (" + inside.size() + ")", inside, new Color(59, 76, 192));
        scatter(chart, "|λ| > 1, grows (" + outside.size() + ")", outside, new Color(180, 4, 38));
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static void scatter(XYChart chart, String label, List<double[]> points, Color c) {
        if (points.isEmpty()) {
            return;
        }
        XYSeries s = chart.addSeries(label, points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray());
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(c);
    }

    /**
     * The validation error of each ridge parameter tried, on log–log axes (λ = 0 cannot be shown on a log
     * axis and is drawn as a horizontal dashed line), the chosen λ marked.
     */
    public static BufferedImage errorVsLambda(double[] lambda, double[] error, double chosen) {
        requireSameLength(lambda.length, error.length, "lambda", "error");
        XYChart chart = chart("Validation error against λ", "λ (relative to tr(X Xᵀ)/d)", "relative error on held-out pairs");
        chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("0.#E0").setYAxisDecimalPattern("0.#E0");
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        XYSeries s = addPositive(chart, "validation error", lambda, error);
        if (s != null) {
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setLineColor(new Color(59, 76, 192));
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (double l : lambda) {
            if (l > 0) {
                lo = Math.min(lo, l);
                hi = Math.max(hi, l);
            }
        }
        for (int i = 0; i < lambda.length; i++) {
            if (lambda[i] == 0 && error[i] > 0 && Double.isFinite(error[i]) && hi > 0) {
                line(chart, "λ = 0", new double[] {lo, hi}, new double[] {error[i], error[i]}, Color.GRAY, 0, true);
            }
        }
        for (int i = 0; i < lambda.length; i++) {
            if (lambda[i] == chosen && chosen > 0 && error[i] > 0 && Double.isFinite(error[i])) {
                XYSeries c = chart.addSeries("chosen", new double[] {chosen}, new double[] {error[i]});
                c.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                c.setMarker(SeriesMarkers.DIAMOND);
                c.setMarkerColor(new Color(180, 4, 38));
            }
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * Ensemble statistics against x: for each quantity its mean over the members (solid) and the mean ± one
     * standard deviation (dashed, same colour), on linear or log–log axes (log axes drop values ≤ 0).
     *
     * @param mean   mean[q][i]: quantity q at x[i]
     * @param spread spread[q][i]: its standard deviation over the members
     */
    public static BufferedImage meanAndSpread(String title, String xName, String yName, double[] x, String[] labels,
                                              double[][] mean, double[][] spread, boolean logLog) {
        requireSameLength(labels.length, mean.length, "labels", "means");
        requireSameLength(labels.length, spread.length, "labels", "spreads");
        XYChart chart = chart(title, xName, yName);
        chart.getStyler().setLegendPosition(logLog ? Styler.LegendPosition.InsideSW : Styler.LegendPosition.InsideNE);
        if (logLog) {
            chart.getStyler().setXAxisLogarithmic(true).setYAxisLogarithmic(true).setYAxisDecimalPattern("0.#E0");
        }
        Color[] colours = {new Color(59, 76, 192), new Color(180, 4, 38), new Color(0x22, 0x88, 0x33), new Color(0x88, 0x44, 0xaa)};
        for (int q = 0; q < labels.length; q++) {
            requireSameLength(x.length, mean[q].length, "x", "mean of " + labels[q]);
            Color c = colours[q % colours.length];
            double[] lo = new double[x.length];
            double[] hi = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                lo[i] = mean[q][i] - spread[q][i];
                hi[i] = mean[q][i] + spread[q][i];
            }
            String[] names = {labels[q] + " (mean)", labels[q] + " ± σ", labels[q] + " − σ"};
            double[][] ys = {mean[q], hi, lo};
            for (int j = 0; j < 3; j++) {
                XYSeries series = logLog ? addPositive(chart, names[j], x, ys[j]) : chart.addSeries(names[j], x, ys[j]);
                if (series == null) {
                    continue;
                }
                series.setMarker(SeriesMarkers.NONE);
                series.setLineColor(c);
                series.setLineWidth(j == 0 ? 2f : 1f);
                if (j > 0) {
                    series.setLineStyle(SeriesLines.DASH_DASH);
                    series.setShowInLegend(j == 1);
                }
            }
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    private static XYChart chart(String title, String x, String y) {
        return ChartStyle.xy(title, x, y, WIDTH, HEIGHT);
    }

    private static XYSeries addPositive(XYChart chart, String label, double[] x, double[] y) {
        List<double[]> pts = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (x[i] > 0 && y[i] > 0 && Double.isFinite(y[i])) {
                pts.add(new double[] {x[i], y[i]});
            }
        }
        if (pts.isEmpty()) {
            return null;
        }
        XYSeries s = chart.addSeries(label, pts.stream().mapToDouble(p -> p[0]).toArray(),
                pts.stream().mapToDouble(p -> p[1]).toArray());
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /**
     * Early times blue, late times red: the cool–warm map's two end colours mixed linearly. (Not the map
     * itself: its light grey centre would vanish on the white plot.)
     */
    private static Color[] sequential(int count) {
        Colormap map = Colormap.coolWarm();
        int a = map.bottom();
        int b = map.top();
        Color[] c = new Color[count];
        for (int i = 0; i < count; i++) {
            double w = count == 1 ? 1.0 : (double) i / (count - 1);
            c[i] = new Color(mix(a >> 16 & 0xff, b >> 16 & 0xff, w), mix(a >> 8 & 0xff, b >> 8 & 0xff, w),
                    mix(a & 0xff, b & 0xff, w));
        }
        return c;
    }

    private static int mix(int a, int b, double w) {
        return (int) Math.round(a + (b - a) * w);
    }

    private static boolean allPositive(double[][] values) {
        for (double[] row : values) {
            for (double v : row) {
                if (!(v > 0)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void requireSameLength(int a, int b, String an, String bn) {
        if (a != b) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "%s has %d entries but %s has %d", an, a, bn, b));
        }
    }
}
