package io.eggroll.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * One MNIST split loaded from its two IDX files ({@code <prefix>-images-idx3-ubyte} and
 * {@code <prefix>-labels-idx1-ubyte}, each plain or with a {@code .gz} suffix).
 *
 * @param images {@code size * rows * cols} grey levels 0..255, row-major per image
 * @param labels {@code size} digits 0..9
 */
public record MnistSet(int size, int rows, int cols, byte[] images, byte[] labels) {

    /** Loads {@code split} from {@code dir}. */
    public static MnistSet load(Path dir, Split split) throws IOException {
        Path img = locate(dir, split.mnistPrefix() + "-images-idx3-ubyte");
        Path lab = locate(dir, split.mnistPrefix() + "-labels-idx1-ubyte");
        IdxFile images = IdxFile.read(img);
        IdxFile labels = IdxFile.read(lab);
        if (images.dims().length != 3) {
            throw new IOException(img + ": expected 3 dimensions (count, rows, cols), found "
                    + Arrays.toString(images.dims()));
        }
        if (labels.dims().length != 1) {
            throw new IOException(lab + ": expected 1 dimension (count), found " + Arrays.toString(labels.dims()));
        }
        int n = images.dims()[0];
        if (labels.dims()[0] != n) {
            throw new IOException(img + " holds " + n + " images but " + lab + " holds "
                    + labels.dims()[0] + " labels");
        }
        byte[] l = labels.data();
        for (int i = 0; i < l.length; i++) {
            if ((l[i] & 0xFF) > 9) {
                throw new IOException(lab + ": label " + (l[i] & 0xFF) + " of sample " + i + " is not a digit 0-9");
            }
        }
        return new MnistSet(n, images.dims()[1], images.dims()[2], images.data(), l);
    }

    /** Finds {@code name} or {@code name.gz} in {@code dir}. */
    static Path locate(Path dir, String name) throws IOException {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        throw new java.nio.file.NoSuchFileException(plain.toString(), null,
                "neither " + name + " nor " + name + ".gz found in " + dir
                        + " (run `eggroll data fetch` to obtain MNIST)");
    }

    /** Label of sample {@code i} (0-based). */
    public int label(int i) {
        return labels[i];
    }

    /** Grey level (0..255) of pixel (row, col) of image {@code i}. */
    public int pixel(int i, int row, int col) {
        return images[(i * rows + row) * cols + col] & 0xFF;
    }
}
