package dev.eddy.report.bench;

import java.util.ArrayList;
import java.util.List;

/** The figures made so far, and those not made with the reason (no files of that kind, a key missing from every file). */
final class FigureSet {
    final List<Figure> figures = new ArrayList<>();
    final List<NotDrawn> skipped = new ArrayList<>();

    void add(Figure f) {
        figures.add(f);
    }

    /** Adds {@code f}, or notes {@code title} as not drawn because {@code why} when {@code f} is null. */
    void addOrSkip(String title, Figure f, String why) {
        if (f != null) {
            add(f);
        } else {
            skip(title, why);
        }
    }

    void skip(String title, String why) {
        skipped.add(new NotDrawn(title, why));
    }
}
