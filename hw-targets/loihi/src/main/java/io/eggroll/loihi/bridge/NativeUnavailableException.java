package io.eggroll.loihi.bridge;

/** libeggroll_native cannot be found or loaded; the message says what is missing and how to get it. */
public final class NativeUnavailableException extends RuntimeException {

    public NativeUnavailableException(String message) {
        super(message);
    }

    public NativeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
