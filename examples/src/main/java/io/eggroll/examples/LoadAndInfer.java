package io.eggroll.examples;

import io.eggroll.api.NetworkSpec;
import io.eggroll.api.Spikes;
import io.eggroll.api.TrainedNetwork;
import io.eggroll.api.Training;
import io.eggroll.data.SpikeDataset;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Loads a trained network from a run directory (its latest checkpoint; {@code eggroll train}
 * writes one under {@code runs/<name>/}) or from a checkpoint file, and runs inference: on the
 * run's test split, and on a spike input built by hand. Without an argument it first trains a
 * small network on the synthetic task into a temporary run directory.
 *
 * <pre>
 *   java io.eggroll.examples.LoadAndInfer [RUN_DIR | CHECKPOINT]
 * </pre>
 */
public final class LoadAndInfer {

    private LoadAndInfer() {}

    /** Trains a small synthetic-task network into {@code runDir} (config.json, metrics.jsonl, checkpoints/). */
    public static void trainDemoRun(Path runDir, int generations) {
        Training.builder().task("synthetic")
                .configure(c -> {
                    c.synthetic.trainSamples = 400;
                    c.synthetic.testSamples = 200;
                })
                .network(NetworkSpec.dense(24)).generations(generations).threads(1)
                .runDirectory(runDir, false)
                .build().run();
    }

    /** Loads the network in {@code path} and prints its predictions; returns its test accuracy. */
    public static double infer(Path path) {
        TrainedNetwork net = TrainedNetwork.load(path);
        System.out.println("loaded " + net + "; weight matrices " + net.matrixNames());

        // The run's own test split: the run directory's config.json names its task.
        Path runDir = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent().getParent();
        SpikeDataset test = Training.builder().config(TrainConfig.load(runDir.resolve("config.json")))
                .build().testData();
        SpikeBatch first = Spikes.of(test, 0, 1, 2, 3, 4);
        System.out.println("predicted " + Arrays.toString(net.predict(first)) + ", labels "
                + Arrays.toString(first.labels()));
        double accuracy = net.accuracy(test);
        System.out.printf(Locale.ROOT, "test accuracy %.1f%% on %d samples%n", 100 * accuracy, test.size());

        // Any spike input of the right width: channels 0-7 spiking in every one of 10 frames.
        int[][] frames = new int[10][];
        Arrays.fill(frames, new int[] {0, 1, 2, 3, 4, 5, 6, 7});
        System.out.println("scores of a hand-made input: " + Arrays.toString(net.forward(frames))
                + " -> class " + net.predict(frames));
        return accuracy;
    }

    /** Runs {@link #infer} on {@code args[0]}, or on a demo run trained first (and deleted after). */
    public static void main(String[] args) throws IOException {
        if (args.length > 0) {
            infer(Path.of(args[0]));
            return;
        }
        Path scratch = Files.createTempDirectory("eggroll-run");
        try {
            Path run = scratch.resolve("demo");
            trainDemoRun(run, 30);
            System.out.println("trained a demo run in " + run);
            infer(run);
        } finally {
            TrainOnEventFiles.deleteTree(scratch);
        }
    }
}
