package io.eggroll.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/** Small synthetic fixtures: fake MNIST digits and N-MNIST files. */
final class DataFixtures {

    private DataFixtures() {}

    /** A 28x28 "digit": a thick ring or bar whose shape depends on the label and index. */
    static byte[] syntheticDigits(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] img = new byte[n * 784];
        for (int i = 0; i < n; i++) {
            int label = i % 10;
            double cx = 13.5 + r.nextDouble(-2, 2);
            double cy = 13.5 + r.nextDouble(-2, 2);
            double rad = 4 + label * 0.5;
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    double d = Math.hypot(x - cx, y - cy);
                    boolean ink = label % 2 == 0 ? Math.abs(d - rad) < 1.5 : Math.abs(x - cx) < 1.5 && Math.abs(y - cy) < 8;
                    if (ink && x >= 4 && x < 24 && y >= 4 && y < 24) {
                        img[i * 784 + y * 28 + x] = (byte) 255;
                    }
                }
            }
        }
        return img;
    }

    static byte[] labels(int n) {
        byte[] l = new byte[n];
        for (int i = 0; i < n; i++) {
            l[i] = (byte) (i % 10);
        }
        return l;
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(data);
        }
        return bo.toByteArray();
    }

    /**
     * Writes a fake MNIST folder ({@code nTrain} and {@code nTest} digits; test files gzipped) and
     * returns file name to SHA-256 of the decompressed content.
     */
    static Map<String, String> writeFakeMnist(Path dir, int nTrain, int nTest) throws IOException {
        Files.createDirectories(dir);
        Map<String, String> hashes = new LinkedHashMap<>();
        byte[][] contents = {
                new IdxFile(new int[] {nTrain, 28, 28}, syntheticDigits(nTrain, 1)).toBytes(),
                new IdxFile(new int[] {nTrain}, labels(nTrain)).toBytes(),
                new IdxFile(new int[] {nTest, 28, 28}, syntheticDigits(nTest, 2)).toBytes(),
                new IdxFile(new int[] {nTest}, labels(nTest)).toBytes()};
        String[] names = {MnistFetcher.TRAIN_IMAGES, MnistFetcher.TRAIN_LABELS, MnistFetcher.TEST_IMAGES,
                MnistFetcher.TEST_LABELS};
        for (int k = 0; k < 4; k++) {
            if (k >= 2) {
                Files.write(dir.resolve(names[k] + ".gz"), gzip(contents[k]));
            } else {
                Files.write(dir.resolve(names[k]), contents[k]);
            }
            hashes.put(names[k], MnistFetcher.sha256Hex(contents[k]));
        }
        return hashes;
    }

    /** Random events within 34x34 and [0, maxT). */
    static EventBuffer randomEvents(int n, int maxT, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        EventBuffer e = new EventBuffer();
        for (int i = 0; i < n; i++) {
            e.add(r.nextInt(34), r.nextInt(34), r.nextInt(2), r.nextInt(maxT));
        }
        return e;
    }

    /** Fetch options that never touch npm or the network. */
    static MnistFetcher.Options offline(Path out, Path from, Map<String, String> hashes) {
        return MnistFetcher.Options.defaults(out).withFromDir(from).withNpmCommand("")
                .withMirrors(java.util.List.of()).withExpectedSha256(hashes);
    }
}
