package dev.eddy.codec;

import dev.eddy.io.AtomicFiles;
import dev.eddy.io.CorruptFileException;
import dev.eddy.numerics.Precision;
import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The vorticity snapshots of an HDF5 file in the layout {@code eddy decode -o OUT.h5} writes (and older
 * Eddy runs' {@code snapshots.h5})
 * ({@link dev.eddy.store.SnapshotStore}): omega [T][N][N] float32/float64, step [T] int64, time [T]
 * float64. Fields are held as compact N×N float64 arrays (float32 widens exactly).
 */
public record SnapshotSeries(int n, Precision precision, long[] steps, double[] times, List<double[]> fields,
                             Map<String, Object> attributes) {

    public int size() {
        return steps.length;
    }

    public static SnapshotSeries read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString());
        }
        try (HdfFile h5 = new HdfFile(file)) {
            Node node = h5.getChildren().get("omega");
            if (!(node instanceof Dataset omega)) {
                throw new CorruptFileException(file, "has no dataset 'omega' (not a snapshots.h5?)");
            }
            Object data = omega.getData();
            Precision p;
            List<double[]> fields = new ArrayList<>();
            int n;
            if (data instanceof float[][][] f) {
                p = Precision.FP32;
                n = f.length == 0 ? 0 : f[0].length;
                for (float[][] frame : f) {
                    double[] v = new double[n * n];
                    for (int y = 0; y < n; y++) {
                        checkRow(file, frame[y].length, n);
                        for (int x = 0; x < n; x++) {
                            v[y * n + x] = frame[y][x];
                        }
                    }
                    fields.add(v);
                }
            } else if (data instanceof double[][][] d) {
                p = Precision.FP64;
                n = d.length == 0 ? 0 : d[0].length;
                for (double[][] frame : d) {
                    double[] v = new double[n * n];
                    for (int y = 0; y < n; y++) {
                        checkRow(file, frame[y].length, n);
                        System.arraycopy(frame[y], 0, v, y * n, n);
                    }
                    fields.add(v);
                }
            } else {
                throw new CorruptFileException(file, "dataset 'omega' is not a [T][N][N] float32/float64 array");
            }
            long[] steps = (long[]) ((Dataset) h5.getChildren().get("step")).getData();
            double[] times = (double[]) ((Dataset) h5.getChildren().get("time")).getData();
            if (steps.length != fields.size() || times.length != fields.size()) {
                throw new CorruptFileException(file, "step/time lengths do not match omega's " + fields.size() + " snapshots");
            }
            Map<String, Object> attrs = new LinkedHashMap<>();
            for (Map.Entry<String, Attribute> e : h5.getAttributes().entrySet()) {
                attrs.put(e.getKey(), e.getValue().getData());
            }
            return new SnapshotSeries(n, p, steps, times, fields, attrs);
        } catch (io.jhdf.exceptions.HdfException | ClassCastException | NullPointerException e) {
            throw new CorruptFileException(file, "not a readable snapshots HDF5 file: " + e.getMessage());
        }
    }

    private static void checkRow(Path file, int length, int n) throws CorruptFileException {
        if (length != n) {
            throw new CorruptFileException(file, "omega is not square (N×N)");
        }
    }

    /** Writes the series atomically in the snapshots.h5 layout, with the given root attributes. */
    public void write(Path target) throws IOException {
        AtomicFiles.writeAt(target, tmp -> {
            try (WritableHdfFile h5 = HdfFile.write(tmp)) {
                for (Map.Entry<String, Object> a : attributes.entrySet()) {
                    h5.putAttribute(a.getKey(), a.getValue());
                }
                if (precision == Precision.FP32) {
                    float[][][] o = new float[size()][n][n];
                    for (int t = 0; t < size(); t++) {
                        for (int y = 0; y < n; y++) {
                            for (int x = 0; x < n; x++) {
                                o[t][y][x] = (float) fields.get(t)[y * n + x];
                            }
                        }
                    }
                    h5.putDataset("omega", o);
                } else {
                    double[][][] o = new double[size()][n][n];
                    for (int t = 0; t < size(); t++) {
                        for (int y = 0; y < n; y++) {
                            System.arraycopy(fields.get(t), y * n, o[t][y], 0, n);
                        }
                    }
                    h5.putDataset("omega", o);
                }
                h5.putDataset("step", steps);
                h5.putDataset("time", times);
            }
        });
    }
}
