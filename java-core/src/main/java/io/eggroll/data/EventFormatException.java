package io.eggroll.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A source file (event file, manifest, HDF5 file) that does not follow its documented format.
 * The message names the file and where in it the problem is (a line, a sample, a field).
 */
public class EventFormatException extends IOException {

    private final transient Path file;

    public EventFormatException(Path file, String problem) {
        super(file + ": " + problem);
        this.file = file;
    }

    public EventFormatException(Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** For subclasses that word the whole message themselves; it must name {@code file}. */
    protected EventFormatException(String message, Path file) {
        super(message);
        this.file = file;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }
}
