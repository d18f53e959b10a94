package dev.eddy.codec;

import dev.eddy.numerics.Precision;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small snapshot files for tests of other packages. */
public final class CodecFieldsForTests {
    private CodecFieldsForTests() {
    }

    /** A snapshots.h5-layout file of {@code count} float32 fields with low and high modes. */
    public static void writeSeries(Path file, int n, int count) throws IOException {
        List<double[]> fields = new ArrayList<>();
        long[] steps = new long[count];
        double[] times = new double[count];
        java.util.Random rnd = new java.util.Random(3);
        for (int t = 0; t < count; t++) {
            double[] w = CodecRoundTripTest.lowMode(n);
            for (int i = 0; i < w.length; i++) {
                w[i] += 0.2 * rnd.nextGaussian();
            }
            fields.add(w);
            steps[t] = 100L * t;
            times[t] = 0.25 * t;
        }
        new SnapshotSeries(n, Precision.FP32, steps, times, fields, Map.of("n", n)).write(file);
    }
}
