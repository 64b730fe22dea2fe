package io.eggroll.data;

import java.nio.file.Path;

/**
 * One {@code .bin} file of an N-MNIST-layout folder.
 *
 * @param file the file
 * @param label the digit, taken from the parent folder name
 * @param index the number in the file name ({@code 00002.bin} is 2: the 1-based MNIST index in
 *     the official release), or -1 if the name holds no number
 */
public record NmnistSample(Path file, int label, int index) {}
