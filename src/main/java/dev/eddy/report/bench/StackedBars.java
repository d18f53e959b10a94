package dev.eddy.report.bench;

import dev.eddy.viz.ChartStyle;
import java.awt.image.BufferedImage;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;

/** Stacked bars: one bar per category (e.g. one pipeline run), one coloured part per series (e.g. one stage). */
final class StackedBars {
    private final CategoryChart chart;
    private final List<String> categories;
    private int points;

    StackedBars(String title, String xTitle, String yTitle, List<String> categories) {
        this.categories = categories;
        chart = ChartStyle.bars(title, xTitle, yTitle, LinePlot.WIDTH, LinePlot.HEIGHT);
        chart.getStyler().setStacked(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setXAxisLabelRotation(categories.size() > 6 ? 45 : 0);
        chart.getStyler().setAvailableSpaceFill(0.7);
    }

    /** One part of every bar: {@code values[i]} for category i (0 where the category has none). */
    void add(String name, double[] values, int colourIndex) {
        if (values.length != categories.size()) {
            throw new IllegalArgumentException(name + ": " + values.length + " values for " + categories.size() + " bars");
        }
        CategorySeries s = chart.addSeries(name, categories, java.util.Arrays.stream(values).boxed().toList());
        s.setFillColor(Style.qualitative(colourIndex));
        for (double v : values) {
            points += v > 0 ? 1 : 0;
        }
    }

    int points() {
        return points;
    }

    BufferedImage image() {
        return BitmapEncoder.getBufferedImage(chart);
    }
}
