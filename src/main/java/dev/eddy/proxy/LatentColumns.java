package dev.eddy.proxy;

import dev.eddy.gpu.DeviceBuffer;
import dev.eddy.numerics.Precision;

/** The check every proxy kernel makes of a column range of a device latent matrix (column-major, d reals a column). */
final class LatentColumns {
    private LatentColumns() {
    }

    /**
     * Refuses [from, from + count) unless count ≥ 1, from ≥ 0, the buffer holds those columns of d reals of
     * precision {@code latent}, and their last index fits the shaders' 32-bit indexing.
     */
    static void check(DeviceBuffer latents, int d, Precision latent, int from, int count) {
        if (count < 1 || from < 0) {
            throw new IllegalArgumentException("columns [" + from + ", " + ((long) from + count) + ") of '"
                    + latents.name() + "': need fromColumn ≥ 0 and count ≥ 1");
        }
        long held = latents.bytes() / ((long) d * latent.bytes());
        if ((long) from + count > held) {
            throw new IllegalArgumentException("latent buffer '" + latents.name() + "' of " + latents.bytes() + " bytes holds " + held
                    + " columns of d = " + d + " " + latent.label() + " reals; asked for columns [" + from + ", "
                    + ((long) from + count) + ")");
        }
        if (((long) from + count) * d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("column " + ((long) from + count) + " of d = " + d + " is beyond the shader's 32-bit indexing");
        }
    }
}
