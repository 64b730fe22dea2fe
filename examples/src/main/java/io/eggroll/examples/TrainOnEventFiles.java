package io.eggroll.examples;

import io.eggroll.api.NetworkSpec;
import io.eggroll.api.TrainedNetwork;
import io.eggroll.api.Training;
import io.eggroll.es.EsConfig;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.snn.Readout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Trains on your own event recordings, in the generic event format ({@code --task events},
 * docs/DATA.md): a folder with a {@code manifest.json} (sensor size, classes, and each sample's
 * file, label and split) and one CSV file of {@code t,x,y,p} events per sample. The engine bins
 * them into frames, caches the frames and trains. Without a directory it first writes a small demo
 * set of recordings (a bar sweeping across a class-dependent band of a 34 x 34 sensor) into a
 * temporary folder.
 *
 * <p>The data source is one line of the builder: another reader ({@code task("shd")},
 * {@code task("nmnist")}) or your own {@code SpikeDataset} ({@code data(train, validation)}) goes
 * in its place.
 *
 * <pre>
 *   java io.eggroll.examples.TrainOnEventFiles [DIR] [generations] [validation]
 * </pre>
 */
public final class TrainOnEventFiles {

    private TrainOnEventFiles() {}

    /** The demo sensor: 34 x 34 pixels, two polarities. */
    static final int SIDE = 34;

    /**
     * Writes {@code perClass} training and {@code perClass / 2 + 1} test recordings of each of the
     * 10 classes under {@code root}, with their {@code manifest.json}.
     */
    public static void writeDemoRecordings(Path root, int perClass, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder samples = new StringBuilder();
        for (String split : new String[] {"train", "test"}) {
            Files.createDirectories(root.resolve(split));
            int n = split.equals("train") ? perClass : perClass / 2 + 1;
            for (int label = 0; label < 10; label++) {
                for (int i = 1; i <= n; i++) {
                    String file = String.format(Locale.ROOT, "%s/%d-%03d.csv", split, label, i);
                    Files.writeString(root.resolve(file), sweep(label, rnd));
                    samples.append(samples.isEmpty() ? "" : ",\n").append(String.format(Locale.ROOT,
                            "    {\"file\": \"%s\", \"label\": %d, \"split\": \"%s\"}", file, label, split));
                }
            }
        }
        Files.writeString(root.resolve("manifest.json"), "{\n  \"version\": 1,\n"
                + "  \"sensor\": {\"width\": " + SIDE + ", \"height\": " + SIDE + ", \"polarities\": 2},\n"
                + "  \"timeUnit\": \"us\",\n  \"classes\": 10,\n  \"samples\": [\n" + samples + "\n  ]\n}\n");
    }

    /**
     * One recording as CSV lines {@code t,x,y,p} (microseconds): a bar sweeping left to right over
     * 200 ms across rows {@code 3 label .. 3 label + 3}, with some noise events.
     */
    static String sweep(int label, SplittableRandom rnd) {
        StringBuilder csv = new StringBuilder("t,x,y,p\n");
        int t = rnd.nextInt(0, 5_000);
        for (int x = 0; x < SIDE; x++) {
            for (int y = 3 * label; y < 3 * label + 4; y++) {
                if (rnd.nextDouble() < 0.8) {
                    csv.append(t + rnd.nextInt(0, 2_000)).append(',').append(x).append(',').append(y).append(",1\n");
                }
            }
            t += 6_000;
        }
        for (int k = 0; k < 60; k++) {
            csv.append(rnd.nextInt(0, 200_000)).append(',').append(rnd.nextInt(SIDE)).append(',')
                    .append(rnd.nextInt(SIDE)).append(',').append(rnd.nextInt(2)).append('\n');
        }
        return csv.toString();
    }

    /**
     * Trains on the recordings under {@code dir} (binned caches go to {@code work}), checking
     * accuracy on {@code validation} recordings carved off the training ones; returns the network.
     */
    public static TrainedNetwork train(Path dir, Path work, int generations, int validation) {
        Training training = Training.builder()
                .task("events").dataDir(dir).workDir(work)            // the data source: your recordings
                .configure(c -> {
                    c.data.timesteps = 8;                             // frames per sample
                    c.data.windowMs = 220;                            // binned window
                    c.data.pool = 2;                                  // 34 x 34 -> 17 x 17 (x and y)
                    c.data.validation = validation;                   // taken off the train samples for the checks
                })
                .network(NetworkSpec.dense(32).readout(Readout.MEMBRANE))
                .es(EsConfig.eggroll(32, 1, 0.05f))
                .optimizer(OptimizerConfig.adam(0.05f))
                .generations(generations).batch(20).evalEvery(10).threads(1)
                .progress(System.err)
                .build();
        return training.run(s -> {
            if (!Double.isNaN(s.validationAccuracy())) {
                System.out.printf(Locale.ROOT, "generation %d: fitness %.3f, validation accuracy %.1f%%%n",
                        s.generation() + 1, s.fitnessMean(), 100 * s.validationAccuracy());
            }
        });
    }

    /**
     * Trains on {@code args[0]} (or a demo set) for {@code args[1]} generations (default 40), with
     * {@code args[2]} validation recordings (default 20).
     */
    public static void main(String[] args) throws IOException {
        Path scratch = Files.createTempDirectory("eggroll-example");   // binned caches (and the demo set)
        try {
            Path dir;
            if (args.length > 0) {
                dir = Path.of(args[0]);
            } else {
                dir = scratch.resolve("recordings");
                writeDemoRecordings(dir, 12, 7);
                System.out.println("demo recordings written to " + dir);
            }
            int generations = args.length > 1 ? Integer.parseInt(args[1]) : 40;
            int validation = args.length > 2 ? Integer.parseInt(args[2]) : 20;
            TrainedNetwork net = train(dir, scratch.resolve("work"), generations, validation);
            System.out.printf(Locale.ROOT, "trained %s: validation accuracy %.1f%%%n", net,
                    100 * net.validationAccuracy());
        } finally {
            deleteTree(scratch);
        }
    }

    /** Deletes a folder and everything in it. */
    static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
