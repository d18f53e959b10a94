package dev.eddy.codec;

import dev.eddy.io.CorruptFileException;
import dev.eddy.numerics.FftSizes;
import dev.eddy.numerics.Precision;
import dev.eddy.store.RunFiles;
import dev.eddy.store.SnapshotStore;
import io.jhdf.HdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Vorticity snapshots read one at a time, so that no series is ever held whole: from a run directory or
 * its {@code snapshots.zarr} store, or from an HDF5 file in the layout of {@code eddy decode}'s output
 * (omega [T][N][N] float32/float64, step [T] int64, time [T] float64). Opening validates what can be
 * checked before any work: N, the steps (≥ 0, increasing), the times (finite, not decreasing) and, for
 * HDF5, that the file holds all of omega's bytes (a truncated file is refused, not read as zeros). Each
 * field is checked for non-finite values as it is read.
 */
public abstract class SnapshotSource implements AutoCloseable {
    protected final Path path;
    protected int n;
    protected Precision precision;
    protected long[] steps;
    protected double[] times;
    protected final Map<String, Object> attributes = new LinkedHashMap<>();

    protected SnapshotSource(Path path) {
        this.path = path;
    }

    /** Opens a run directory, a Zarr store (directory) or an HDF5 file. */
    public static SnapshotSource open(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            SnapshotSource s = new Store(path);
            s.validate();
            return s;
        }
        if (!Files.isRegularFile(path)) {
            throw new java.nio.file.NoSuchFileException(path.toString());
        }
        SnapshotSource s = new Hdf5(path);
        try {
            s.validate();
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** The files (or store directory) this source reads, to refuse an output that would overwrite them. */
    public Path path() {
        return path;
    }

    public int n() {
        return n;
    }

    public Precision precision() {
        return precision;
    }

    public int size() {
        return steps.length;
    }

    public long step(int i) {
        return steps[i];
    }

    public double time(int i) {
        return times[i];
    }

    public Map<String, Object> attributes() {
        return attributes;
    }

    /** Snapshot i as a compact N×N field (row = y); refused if it holds a NaN or an infinity. */
    public double[] omega(int i) throws IOException {
        double[] f = read(i);
        for (int q = 0; q < f.length; q++) {
            if (!Double.isFinite(f[q])) {
                throw new CorruptFileException(path, "snapshot " + i + " (step " + steps[i] + ") holds a non-finite value "
                        + f[q] + " at y = " + q / n + ", x = " + q % n + ": nothing was written");
            }
        }
        return f;
    }

    protected abstract double[] read(int i) throws IOException;

    private void validate() throws CorruptFileException {
        String whyN = FftSizes.whyNot(n);
        if (whyN != null) {
            throw new CorruptFileException(path, "omega has N = " + n + ": " + whyN);
        }
        for (int i = 0; i < steps.length; i++) {
            if (steps[i] < 0 || (i > 0 && steps[i] <= steps[i - 1])) {
                throw new CorruptFileException(path, "step[" + i + "] = " + steps[i] + " is negative or not after the one before");
            }
            if (!Double.isFinite(times[i]) || (i > 0 && times[i] < times[i - 1])) {
                throw new CorruptFileException(path, "time[" + i + "] = " + times[i] + " is not finite or goes backwards");
            }
        }
    }

    @Override
    public void close() throws IOException {
    }

    /** A run directory or its store. */
    private static final class Store extends SnapshotSource {
        private final SnapshotStore.Reader reader;

        Store(Path path) throws IOException {
            super(Files.isDirectory(path.resolve(RunFiles.SNAPSHOTS)) ? path.resolve(RunFiles.SNAPSHOTS) : path);
            this.reader = SnapshotStore.open(this.path);
            n = reader.n();
            precision = reader.precision();
            steps = new long[reader.size()];
            times = new double[reader.size()];
            for (int i = 0; i < steps.length; i++) {
                steps[i] = reader.step(i);
                times[i] = reader.time(i);
            }
            attributes.putAll(reader.attributes());
        }

        @Override
        protected double[] read(int i) throws IOException {
            return reader.omega(i);
        }
    }

    /** An HDF5 file, read one snapshot slice at a time through jhdf. */
    private static final class Hdf5 extends SnapshotSource {
        private final HdfFile h5;
        private final Dataset omega;

        Hdf5(Path path) throws IOException {
            super(path);
            try {
                this.h5 = new HdfFile(path);
            } catch (RuntimeException e) {
                throw new CorruptFileException(path, "not a readable HDF5 file: " + e.getMessage());
            }
            try {
                Node node = h5.getChildren().get("omega");
                if (!(node instanceof Dataset o)) {
                    throw new CorruptFileException(path, "has no dataset 'omega' (not a snapshots file?)");
                }
                this.omega = o;
                int[] dims = o.getDimensions();
                Class<?> type = o.getJavaType();
                if (dims.length != 3 || dims[1] != dims[2] || !(type == float.class || type == double.class)) {
                    throw new CorruptFileException(path, "dataset 'omega' is not a [T][N][N] float32/float64 array");
                }
                n = dims[1];
                precision = type == float.class ? Precision.FP32 : Precision.FP64;
                long bytes = (long) dims[0] * n * n * precision.bytes();
                if (o instanceof io.jhdf.api.dataset.ContiguousDataset c && dims[0] > 0
                        && c.getDataAddress() + bytes > Files.size(path)) {
                    throw new CorruptFileException(path, "truncated: omega needs bytes up to " + (c.getDataAddress() + bytes)
                            + ", the file has " + Files.size(path));
                }
                steps = (long[]) ((Dataset) h5.getChildren().get("step")).getData();
                times = (double[]) ((Dataset) h5.getChildren().get("time")).getData();
                if (steps.length != dims[0] || times.length != dims[0]) {
                    throw new CorruptFileException(path, "step/time lengths do not match omega's " + dims[0] + " snapshots");
                }
                for (Map.Entry<String, Attribute> e : h5.getAttributes().entrySet()) {
                    attributes.put(e.getKey(), e.getValue().getData());
                }
            } catch (io.jhdf.exceptions.HdfException | ClassCastException | NullPointerException e) {
                h5.close();
                throw new CorruptFileException(path, "not a readable snapshots HDF5 file: " + e.getMessage());
            } catch (IOException | RuntimeException e) {
                h5.close();
                throw e;
            }
        }

        @Override
        protected double[] read(int i) throws IOException {
            try {
                Object slice = omega.getData(new long[] {i, 0, 0}, new int[] {1, n, n});
                double[] v = new double[n * n];
                if (slice instanceof float[][][] f) {
                    for (int y = 0; y < n; y++) {
                        for (int x = 0; x < n; x++) {
                            v[y * n + x] = f[0][y][x];
                        }
                    }
                } else {
                    double[][][] d = (double[][][]) slice;
                    for (int y = 0; y < n; y++) {
                        System.arraycopy(d[0][y], 0, v, y * n, n);
                    }
                }
                return v;
            } catch (io.jhdf.exceptions.HdfException | java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
                throw new CorruptFileException(path, "snapshot " + i + " cannot be read (truncated or corrupt): " + e.getMessage());
            }
        }

        @Override
        public void close() {
            h5.close();
        }
    }
}
