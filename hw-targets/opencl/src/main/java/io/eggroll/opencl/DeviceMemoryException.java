package io.eggroll.opencl;

/** A buffer the run needs does not fit the device; the message gives the sizes and what to change. */
public final class DeviceMemoryException extends RuntimeException {

    public DeviceMemoryException(String message) {
        super(message);
    }

    public DeviceMemoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
