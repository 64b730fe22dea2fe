package io.eggroll.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import javax.imageio.ImageIO;

/** Fabricated run directories and a PNG reader for the chart tests. */
public final class PlotFixtures {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private PlotFixtures() {}

    /**
     * A run directory {@code dir} whose {@code metrics.jsonl} has {@code generations} rows, one
     * every {@code secondsPerGeneration}, with the validation accuracy under {@code validationKey}
     * every {@code evalEvery} generations (null elsewhere).
     */
    public static Path run(Path dir, int generations, double secondsPerGeneration, String validationKey, int evalEvery)
            throws IOException {
        Files.createDirectories(dir);
        StringBuilder sb = new StringBuilder();
        for (int g = 0; g < generations; g++) {
            double acc = 0.1 + 0.8 * g / Math.max(1, generations - 1);
            String val = (g + 1) % evalEvery == 0 ? String.valueOf(acc - 0.01) : "null";
            sb.append(String.format(Locale.ROOT, "{\"generation\":%d,\"fitness_mean\":%.4f,\"fitness_max\":%.4f,"
                            + "\"minibatch_accuracy\":%.4f,\"%s\":%s,\"seconds\":%.3f}%n", g, -2.3 + acc, -2.2 + acc,
                    acc, validationKey, val, (g + 1) * secondsPerGeneration));
        }
        Files.writeString(dir.resolve("metrics.jsonl"), sb.toString());
        return dir;
    }

    /** The PNG at {@code file}, checked to start with the PNG signature and to decode. */
    public static BufferedImage png(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(PNG_SIGNATURE.length);
            if (!Arrays.equals(head, PNG_SIGNATURE)) {
                throw new AssertionError(file + " does not start with the PNG signature");
            }
        }
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) {
            throw new AssertionError(file + " does not decode as an image");
        }
        return img;
    }
}
