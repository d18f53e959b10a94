package dev.eddy.gpu;

/**
 * A submission did not finish within the wait limit (see {@link WaitLimit}). Eddy cannot tell a hung
 * GPU from a very slow one, so it treats the device as lost: it stops, keeps what is on disk, and does
 * not wait on the device again.
 */
public final class GpuTimeoutException extends GpuDeviceLostException {
    public GpuTimeoutException(String message) {
        super(message);
    }
}
