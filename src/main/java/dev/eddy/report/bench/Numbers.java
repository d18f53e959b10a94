package dev.eddy.report.bench;

import java.util.Locale;

/** How the report's tables write numbers: three significant digits, "—" where there is none. */
final class Numbers {
    private Numbers() {
    }

    static String g(Double v) {
        if (v == null || !Double.isFinite(v)) {
            return "—";
        }
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.3g", v)).stripTrailingZeros().toPlainString();
    }

    static String times(Double v) {
        return v == null ? "—" : g(v) + "×";
    }
}
