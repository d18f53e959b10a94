package dev.eddy.report.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * How one series of a benchmark figure is drawn. The figures keep one convention: colour says what
 * (backend, peer, N, stage), the line says precision or role (solid fp32 / measured, dashed fp64 / codec
 * floor, dotted bandwidth floor / persistence), thick lines are Eddy's measurements, thin ones references.
 */
record Style(Color colour, BasicStroke line, Marker marker, float width) {
    static final BasicStroke SOLID = SeriesLines.SOLID;
    // longer dashes than XChart's, which read as dots at the widths used here
    static final BasicStroke DASH = stroke(9f, 6f);
    static final BasicStroke DOT = stroke(2f, 4f);
    static final BasicStroke DASH_DOT = stroke(9f, 4f, 2f, 4f);
    /** No line: a scatter of markers. */
    static final BasicStroke NONE = SeriesLines.NONE;

    static final Color GREY = new Color(0x55, 0x55, 0x55);

    /** Tableau 10: ten colours told apart on screen and in print (Stone, Tableau 2016), for series with no colour of their own. */
    private static final List<Color> QUALITATIVE = List.of(new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759),
            new Color(0x76b7b2), new Color(0x59a14f), new Color(0xedc948), new Color(0xb07aa1), new Color(0xff9da7),
            new Color(0x9c755f), new Color(0xbab0ac));

    /** XChart keeps the dash lengths (pixels) and sets the width from the series. */
    private static BasicStroke stroke(float... dash) {
        return new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, dash, 0f);
    }

    static Color qualitative(int i) {
        return QUALITATIVE.get(Math.floorMod(i, QUALITATIVE.size()));
    }

    /** An Eddy measurement: thick, with circles; dashed in fp64. */
    static Style measured(Color c, String precision) {
        return new Style(c, precision.equals("fp64") ? DASH : SOLID, SeriesMarkers.CIRCLE, 2.5f);
    }

    /** A reference drawn for comparison (a peer, a floor, a baseline): thin, small markers or none. */
    static Style reference(Color c, BasicStroke line, Marker marker) {
        return new Style(c, line, marker, 1.5f);
    }

    Style with(BasicStroke otherLine) {
        return new Style(colour, otherLine, marker, width);
    }

    Style with(Marker otherMarker) {
        return new Style(colour, line, otherMarker, width);
    }
}
