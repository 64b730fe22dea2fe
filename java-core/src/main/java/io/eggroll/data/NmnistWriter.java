package io.eggroll.data;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes N-MNIST {@code .bin} files and the official folder layout. Files are written to a
 * temporary name and renamed, so a file that exists under its final name is complete.
 */
public final class NmnistWriter {

    private NmnistWriter() {}

    /** Path of sample {@code index} (1-based MNIST index) with {@code label} in {@code root}. */
    public static Path sampleFile(Path root, Split split, int label, int index) {
        if (label < 0 || label > 9) {
            throw new IllegalArgumentException("label " + label + " is not a digit 0-9");
        }
        if (index < 1 || index > 99_999) {
            throw new IllegalArgumentException("sample index " + index + " outside 1..99999");
        }
        return root.resolve(split.folder()).resolve(Integer.toString(label))
                .resolve(String.format("%05d.bin", index));
    }

    /** Writes {@code events} to {@code file}, creating parent folders. */
    public static void writeFile(Path file, EventBuffer events) throws IOException {
        byte[] data = new byte[NmnistFormat.encodedLength(events)];
        NmnistFormat.encode(events, data);
        writeBytes(file, data, data.length);
    }

    static void writeBytes(Path file, byte[] data, int length) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(file.getFileName() + ".tmp" + Thread.currentThread().threadId());
        try (var out = Files.newOutputStream(tmp)) {
            out.write(data, 0, length);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
