package dev.eddy.sim;

import dev.eddy.numerics.Grid;

/** Shares the closed-form test fields of {@link DiagnosticsTest} with other test packages. */
public final class DiagnosticsTestAccess {
    private DiagnosticsTestAccess() {
    }

    public static double[] cosineMode(Grid g, int kx, int ky, double amplitude) {
        return DiagnosticsTest.cosineMode(g, kx, ky, amplitude);
    }
}
