package dev.eddy.gpu;

/**
 * There is no usable Vulkan here: no loader library, no device, or no device matching the request.
 * The message says what is missing and how to get it; the CLI prints it and exits with code 1.
 */
public final class GpuUnavailableException extends GpuException {
    public GpuUnavailableException(String message) {
        super(message);
    }

    public GpuUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
