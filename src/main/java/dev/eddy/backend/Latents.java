package dev.eddy.backend;

import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.gpu.RealBuffers;
import dev.eddy.gpu.VulkanContext;
import dev.eddy.numerics.Precision;
import java.nio.ByteBuffer;

/**
 * A latent matrix: {@link #columns()} columns of {@link #d()} reals, column-major, where the stage that
 * wrote it keeps it — on the host, or in a device buffer of a Vulkan context. The codec writes one, the
 * Gram accumulator and the rollout read it, and the rollout's trajectory is one again: a reader on the
 * same context reads the buffer in place ({@link #bufferOn}), any other reads host copies of columns
 * ({@link #column}, a declared read-back counted in the ledger for device latents).
 */
public sealed interface Latents permits Latents.Host, Latents.Device {
    int d();

    int columns();

    Precision precision();

    /** Column {@code j} on the host (float64 values; a read-back for device latents). */
    double[] column(int j);

    /** Columns [from, from + count) on the host, column-major (one read-back for device latents). */
    default double[] columns(int from, int count) {
        double[] out = new double[Math.multiplyExact(d(), count)];
        for (int j = 0; j < count; j++) {
            System.arraycopy(column(from + j), 0, out, j * d(), d());
        }
        return out;
    }

    /** The device buffer of these latents when they live on {@code ctx}, else null. */
    default DeviceBuffer bufferOn(VulkanContext ctx) {
        return null;
    }

    /** Latents kept on the host; a column is set as it is written. */
    final class Host implements Latents {
        private final int d;
        private final Precision precision;
        private final double[][] columns;

        public Host(int d, int columns, Precision precision) {
            this.d = d;
            this.precision = precision;
            this.columns = new double[columns][];
        }

        @Override
        public int d() {
            return d;
        }

        @Override
        public int columns() {
            return columns.length;
        }

        @Override
        public Precision precision() {
            return precision;
        }

        /** Stores column {@code j} (the array is kept, not copied). */
        public void set(int j, double[] z) {
            if (z.length != d) {
                throw new IllegalArgumentException("a latent of " + z.length + " reals in a matrix of d = " + d);
            }
            columns[j] = z;
        }

        @Override
        public double[] column(int j) {
            double[] z = columns[j];
            if (z == null) {
                throw new IllegalStateException("latent column " + j + " was never written");
            }
            return z;
        }
    }

    /**
     * Latents in a device buffer of {@code context}: column j at byte offset j·d·bytes, in {@code precision}.
     *
     * @param stage the ledger stage of host copies of columns
     */
    record Device(DeviceBuffer buffer, int d, int columns, Precision precision, VulkanContext context, String stage)
            implements Latents {
        public Device {
            if ((long) d * columns * precision.bytes() > buffer.bytes()) {
                throw new IllegalArgumentException("'" + buffer.name() + "' (" + buffer.bytes() + " bytes) cannot hold " + columns
                        + " latent columns of d = " + d + " " + precision.label() + " reals");
            }
        }

        @Override
        public double[] column(int j) {
            if (j < 0 || j >= columns) {
                throw new IndexOutOfBoundsException("latent column " + j + " is outside '" + buffer.name() + "' (" + columns + " columns)");
            }
            ByteBuffer b = RealBuffers.allocate(d, precision);
            context.staging().download(buffer, (long) j * d * precision.bytes(), b, stage);
            double[] z = new double[d];
            RealBuffers.decode(b.flip(), z, precision);
            return z;
        }

        @Override
        public double[] columns(int from, int count) {
            if (from < 0 || count < 1 || from + count > columns) {
                throw new IndexOutOfBoundsException("latent columns [" + from + ", " + (from + count) + ") are outside '" + buffer.name()
                        + "' (" + columns + " columns)");
            }
            ByteBuffer b = RealBuffers.allocate(Math.multiplyExact(d, count), precision);
            context.staging().download(buffer, (long) from * d * precision.bytes(), b, stage);
            double[] z = new double[d * count];
            RealBuffers.decode(b.flip(), z, precision);
            return z;
        }

        @Override
        public DeviceBuffer bufferOn(VulkanContext ctx) {
            return ctx == context ? buffer : null;
        }
    }
}
