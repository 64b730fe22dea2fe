package io.eggroll.util;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Sizes a file before it is read whole into memory, so that a huge or wrong file is refused by
 * name and size instead of failing with an {@code OutOfMemoryError}.
 */
public final class FileSize {

    /** The longest Java array (a few elements short of {@code Integer.MAX_VALUE}). */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private FileSize() {}

    /**
     * Why a file of {@code size} bytes cannot be read here as {@code what} (to follow the file's
     * name), or null when it can: it is longer than a Java array, or reading and decoding it takes
     * {@code heapPerByte} bytes of heap per byte of file, more than {@code maxMemory}.
     */
    public static String tooLarge(long size, double heapPerByte, long maxMemory, String what) {
        if (size > MAX_ARRAY) {
            return String.format(Locale.ROOT, "%,d bytes (%s), too large for %s: more than a Java array holds "
                    + "(2 GiB); is it the right file?", size, human(size), what);
        }
        double need = size * heapPerByte;
        if (need > maxMemory) {
            return String.format(Locale.ROOT, "%,d bytes (%s): reading it as %s needs about %s of heap, and this JVM "
                    + "has at most %s; is it the right file? (EGGROLL_JAVA_OPTS=-Xmx<size> gives the JVM more)",
                    size, human(size), what, human((long) Math.min(Long.MAX_VALUE, need)), human(maxMemory));
        }
        return null;
    }

    /** {@link #tooLarge(long, double, long, String)} for {@code file}, against this JVM's maximum heap. */
    public static String tooLarge(Path file, double heapPerByte, String what) throws java.io.IOException {
        return tooLarge(java.nio.file.Files.size(file), heapPerByte, Runtime.getRuntime().maxMemory(), what);
    }

    static String human(long bytes) {
        if (bytes < 1L << 20) {
            return String.format(Locale.ROOT, "%,d KiB", Math.ceilDiv(bytes, 1L << 10));
        }
        if (bytes < 1L << 30) {
            return String.format(Locale.ROOT, "%,d MiB", Math.ceilDiv(bytes, 1L << 20));
        }
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
