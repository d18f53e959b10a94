package dev.eddy.codec;

import dev.eddy.config.ConfigException;
import dev.eddy.numerics.Precision;
import dev.eddy.store.SnapshotStore;
import dev.eddy.store.ZarrStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where decoded snapshots go, one at a time. A {@code .zarr} target is streamed: each field is written
 * as it comes, into a store beside the target that {@link #finish} commits and renames into place, so
 * memory does not grow with the series and a failure leaves no output. An {@code .h5} target is written
 * by jhdf, which needs the whole series in memory: {@link #create} refuses it up front when the series
 * would not fit in the heap, and says to write {@code .zarr} instead.
 */
public abstract class SnapshotSink implements AutoCloseable {

    /** Refuses a target that is an existing directory of another kind, or that the series cannot fit in memory (.h5). */
    public static SnapshotSink create(Path target, int n, Precision precision, long snapshots, Map<String, Object> attrs)
            throws IOException {
        String name = target.getFileName().toString();
        if (name.endsWith(".zarr")) {
            return new Zarr(target, n, precision, attrs);
        }
        if (!(name.endsWith(".h5") || name.endsWith(".hdf5"))) {
            throw new ConfigException("-o " + target + ": give a .zarr store (streamed) or an .h5 file");
        }
        if (Files.isDirectory(target)) {
            throw new ConfigException("-o " + target + " is a directory, not a file");
        }
        // jhdf holds the series as float[T][N][N] (or double) and our double copies while it writes: ~2 copies
        long need = 2 * snapshots * n * (long) n * precision.bytes() + snapshots * n * (long) n * 8;
        long max = Runtime.getRuntime().maxMemory();
        if (need > max * 0.8) {
            throw new ConfigException(String.format(java.util.Locale.ROOT, "decoding %d snapshots of %d² into an HDF5 file needs"
                    + " about %.1f GiB of heap (jhdf writes a dataset from memory), more than the %.1f GiB this JVM has: write a"
                    + " .zarr store instead (-o NAME.zarr, streamed), or raise the heap (EDDY_JAVA_OPTS=-Xmx…)", snapshots, n,
                    need / (double) (1L << 30), max / (double) (1L << 30)));
        }
        return new Hdf5(target, n, precision, attrs);
    }

    public abstract void append(long step, double time, double[] field) throws IOException;

    /** Makes the output complete and puts it in place. */
    public abstract void finish() throws IOException;

    /** Without {@link #finish}: removes what was written. */
    @Override
    public abstract void close() throws IOException;

    private static final class Zarr extends SnapshotSink {
        private final Path target;
        private final Path staging;
        private final SnapshotStore store;
        private boolean done;

        Zarr(Path target, int n, Precision precision, Map<String, Object> attrs) throws IOException {
            this.target = target;
            Path parent = target.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            this.staging = parent.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            this.store = SnapshotStore.createPlain(staging, n, precision, attrs);
        }

        @Override
        public void append(long step, double time, double[] field) throws IOException {
            store.appendSnapshot(step, time, field, null);
        }

        @Override
        public void finish() throws IOException {
            store.commit();
            ZarrStore.deleteTree(target); // a previous output of the same name (checked not to be an input)
            Files.move(staging, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            done = true;
        }

        @Override
        public void close() throws IOException {
            if (!done) {
                ZarrStore.deleteTree(staging);
            }
        }
    }

    private static final class Hdf5 extends SnapshotSink {
        private final Path target;
        private final int n;
        private final Precision precision;
        private final Map<String, Object> attrs;
        private final List<Long> steps = new ArrayList<>();
        private final List<Double> times = new ArrayList<>();
        private final List<double[]> fields = new ArrayList<>();

        Hdf5(Path target, int n, Precision precision, Map<String, Object> attrs) {
            this.target = target;
            this.n = n;
            this.precision = precision;
            this.attrs = new LinkedHashMap<>(attrs);
        }

        @Override
        public void append(long step, double time, double[] field) {
            steps.add(step);
            times.add(time);
            fields.add(field);
        }

        @Override
        public void finish() throws IOException {
            new SnapshotSeries(n, precision, steps.stream().mapToLong(Long::longValue).toArray(),
                    times.stream().mapToDouble(Double::doubleValue).toArray(), fields, attrs).write(target);
        }

        @Override
        public void close() {
            fields.clear();
        }
    }

    /** Refuses an output that is one of the inputs (it would be destroyed by the write). */
    public static void checkNotAnInput(Path output, String flag, Path... inputs) throws IOException {
        Path out = output.toAbsolutePath().normalize();
        for (Path in : inputs) {
            Path i = in.toAbsolutePath().normalize();
            boolean same = out.equals(i) || (Files.exists(output) && Files.exists(in) && Files.isSameFile(output, in));
            if (same || i.startsWith(out)) {
                throw new ConfigException(flag + " " + output + " is the input " + in + ": writing it would destroy the input;"
                        + " choose another output");
            }
        }
        Path parent = out.getParent();
        if (parent != null && Files.exists(parent) && (!Files.isDirectory(parent) || !Files.isWritable(parent))) {
            throw new ConfigException(flag + " " + output + ": cannot write into " + parent);
        }
    }
}
