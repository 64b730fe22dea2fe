package io.eggroll.opencl;

/**
 * An OpenCL call failed. The message carries the symbolic status name ({@code CL_OUT_OF_RESOURCES},
 * not -5), what was being done, and for program builds the device's build log.
 */
public final class ClException extends RuntimeException {

    private final int code;
    private final String buildLog;

    public ClException(int code, String what) {
        this(code, what, null);
    }

    public ClException(int code, String what, String buildLog) {
        super(what + ": " + OpenCL.errorName(code)
                + (buildLog == null || buildLog.isBlank() ? "" : "\n--- build log ---\n" + buildLog.strip()));
        this.code = code;
        this.buildLog = buildLog;
    }

    /** The raw status code, e.g. -5. */
    public int code() {
        return code;
    }

    /** The symbolic status name, e.g. {@code CL_OUT_OF_RESOURCES}. */
    public String errorName() {
        return OpenCL.errorName(code);
    }

    /** The build log when a program build failed, else null. */
    public String buildLog() {
        return buildLog;
    }

    /** Throws unless {@code code} is {@code CL_SUCCESS}. */
    static void check(int code, String what) {
        if (code != OpenCL.CL_SUCCESS) {
            throw new ClException(code, what);
        }
    }
}
