package io.eggroll.examples;

import io.eggroll.api.NetworkSpec;
import io.eggroll.api.TrainedNetwork;
import io.eggroll.api.Training;
import io.eggroll.data.EventBuffer;
import io.eggroll.data.NmnistWriter;
import io.eggroll.data.Split;
import io.eggroll.es.EsConfig;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.snn.Readout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Trains on your own event recordings. The recordings are event files in N-MNIST's {@code .bin}
 * layout ({@code DIR/Train/<class>/*.bin} and {@code DIR/Test/<class>/*.bin}, classes 0-9, a
 * 34 x 34 sensor; docs/DATA.md): the engine bins them into frames, caches the frames and trains.
 * Without a directory it first writes a small demo set of recordings (a bar sweeping across a
 * class-dependent band of the sensor) into a temporary folder.
 *
 * <p>The data source is one line of the builder: another reader ({@code task("events")} for the
 * generic event format, {@code task("shd")}) or your own {@code SpikeDataset}
 * ({@code data(train, validation)}) goes in its place.
 *
 * <pre>
 *   java io.eggroll.examples.TrainOnEventFiles [DIR] [generations] [validation]
 * </pre>
 */
public final class TrainOnEventFiles {

    private TrainOnEventFiles() {}

    /** Writes {@code perClass} training and {@code perClass / 2 + 1} test recordings of each of the 10 classes under {@code root}. */
    public static void writeDemoRecordings(Path root, int perClass, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        for (Split split : Split.values()) {
            int n = split == Split.TRAIN ? perClass : perClass / 2 + 1;
            for (int label = 0; label < 10; label++) {
                for (int i = 1; i <= n; i++) {
                    NmnistWriter.writeFile(NmnistWriter.sampleFile(root, split, label, i), sweep(label, rnd));
                }
            }
        }
    }

    /** A bar sweeping left to right over 200 ms across rows {@code 3 label .. 3 label + 3}, with some noise events. */
    static EventBuffer sweep(int label, SplittableRandom rnd) {
        EventBuffer ev = new EventBuffer();
        int t = rnd.nextInt(0, 5_000);
        for (int x = 0; x < 34; x++) {
            for (int y = 3 * label; y < 3 * label + 4; y++) {
                if (rnd.nextDouble() < 0.8) {
                    ev.add(x, y, 1, t + rnd.nextInt(0, 2_000));
                }
            }
            t += 6_000;
        }
        for (int k = 0; k < 60; k++) {
            ev.add(rnd.nextInt(34), rnd.nextInt(34), rnd.nextInt(2), rnd.nextInt(0, 200_000));
        }
        return sorted(ev);
    }

    private static EventBuffer sorted(EventBuffer ev) {
        Integer[] order = new Integer[ev.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(ev.t(a), ev.t(b)));
        EventBuffer out = new EventBuffer(order.length);
        for (int i : order) {
            out.add(ev.x(i), ev.y(i), ev.p(i), ev.t(i));
        }
        return out;
    }

    /**
     * Trains on the recordings under {@code dir} (binned caches go to {@code work}), checking
     * accuracy on {@code validation} recordings carved off the training ones; returns the network.
     */
    public static TrainedNetwork train(Path dir, Path work, int generations, int validation) {
        Training training = Training.builder()
                .task("nmnist").dataDir(dir).workDir(work)            // the data source: your recordings
                .configure(c -> {
                    c.data.timesteps = 8;                             // frames per sample
                    c.data.windowMs = 220;                            // binned window
                    c.data.pool = 2;                                  // 34 x 34 -> 17 x 17
                    c.data.validation = validation;                   // taken off Train/ for the checks
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
                        s.generation(), s.fitnessMean(), 100 * s.validationAccuracy());
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
