package dev.eddy.gpu;

/**
 * The GPU stopped working under a run: Vulkan reported VK_ERROR_DEVICE_LOST (a driver reset, a GPU
 * fault such as an NVIDIA Xid, another process taking the device down), or a submission did not finish
 * within the wait limit ({@link GpuTimeoutException}). The context refuses further work; closing it
 * still releases what it holds. What the GPU computed since the last read-back is lost, what was
 * written to disk is not: a run continues from its last checkpoint. The CLI exits with code 1.
 */
public class GpuDeviceLostException extends GpuException {
    public GpuDeviceLostException(String message) {
        super(message);
    }

    public GpuDeviceLostException(String message, Throwable cause) {
        super(message, cause);
    }
}
