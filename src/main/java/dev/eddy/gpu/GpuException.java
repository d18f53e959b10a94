package dev.eddy.gpu;

/** A Vulkan or VkFFT call failed; the message says which call and why. */
public class GpuException extends RuntimeException {
    public GpuException(String message) {
        super(message);
    }

    public GpuException(String message, Throwable cause) {
        super(message, cause);
    }
}
