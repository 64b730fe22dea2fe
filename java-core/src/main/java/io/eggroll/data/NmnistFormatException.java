package io.eggroll.data;

import java.nio.file.Path;

/**
 * A {@code .bin} file that does not follow the N-MNIST event format. The message names the file
 * and, where the problem is at a particular record, the byte offset of that record.
 */
public final class NmnistFormatException extends EventFormatException {

    private final long byteOffset;

    public NmnistFormatException(Path file, long byteOffset, String problem) {
        super(file + (byteOffset >= 0 ? " at byte offset " + byteOffset : "") + ": " + problem, file);
        this.byteOffset = byteOffset;
    }

    /** Byte offset of the offending record, or -1 if the problem concerns the whole file. */
    public long byteOffset() {
        return byteOffset;
    }
}
