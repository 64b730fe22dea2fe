package io.eggroll.api;

import io.eggroll.data.SpikeDataset;
import io.eggroll.es.Fitness;
import io.eggroll.snn.LifNetwork;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.train.Checkpoint;
import io.eggroll.train.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained network, immutable: its shape, its weights by name, and a forward on your inputs.
 * {@link Training#run} and {@link AskTell#network()} give one; {@link #load} reads one from a
 * checkpoint or a run directory.
 *
 * <p>The forward is the engine's float definition of the unperturbed network
 * ({@link LifNetwork}), which the cpu backend matches bit for bit.
 */
public final class TrainedNetwork {

    private final NetworkSpec spec;
    private final SnnConfig config;
    private final Params params;
    private final int generations;
    private final double seconds;
    private final double validationAccuracy;
    private final boolean stopped;

    TrainedNetwork(NetworkSpec spec, Params params, int generations, double seconds, double validationAccuracy,
                   boolean stopped) {
        this.spec = spec;
        this.config = params.config();
        this.params = params.copy();
        this.generations = generations;
        this.seconds = seconds;
        this.validationAccuracy = validationAccuracy;
        this.stopped = stopped;
        if (spec.hidden().size() != config.layers() - 1) {
            throw new IllegalArgumentException(spec + " does not describe " + config);
        }
    }

    /**
     * The network of a checkpoint file, or of a run directory's latest checkpoint
     * ({@code checkpoints/latest.ckpt}, else {@code checkpoints/initial.ckpt}). Its weight
     * matrices take the default names ({@code hidden0}, ..., {@code output}).
     */
    public static TrainedNetwork load(Path checkpointOrRunDir) {
        Path file = checkpointOrRunDir;
        if (Files.isDirectory(checkpointOrRunDir)) {
            RunDirectory run = new RunDirectory(checkpointOrRunDir);
            file = Files.exists(run.latestCheckpoint()) ? run.latestCheckpoint() : run.initialCheckpoint();
        }
        Checkpoint.Data d = Checkpoint.read(file);
        return new TrainedNetwork(NetworkSpec.naming(d.state().network()), d.state().params(), d.nextGeneration(),
                d.elapsedSeconds(), Double.NaN, false);
    }

    /** The network's shape and LIF parameters. */
    public SnnConfig config() {
        return config;
    }

    /** The spec its layers' names come from. */
    public NetworkSpec spec() {
        return spec;
    }

    /** A copy of its weights and biases. */
    public Params params() {
        return params.copy();
    }

    /** The names of its weight matrices, input side first. */
    public List<String> matrixNames() {
        return spec.matrixNames();
    }

    /** A copy of the named weight matrix, {@code fan-in x fan-out} row-major. */
    public float[] weights(String matrix) {
        return params.weights(spec.layerIndex(matrix)).clone();
    }

    /** A copy of the bias vector of the layer the named matrix feeds. */
    public float[] bias(String matrix) {
        return params.bias(spec.layerIndex(matrix)).clone();
    }

    /** The generations it was trained for (the updates applied). */
    public int generations() {
        return generations;
    }

    /** The wall time its training took, in seconds (NaN when unknown). */
    public double trainingSeconds() {
        return seconds;
    }

    /** The last validation accuracy of its training (the periodic check), in [0, 1]; NaN when there was none. */
    public double validationAccuracy() {
        return validationAccuracy;
    }

    /** Whether its training stopped early on request ({@link Training#requestStop()}). */
    public boolean stoppedEarly() {
        return stopped;
    }

    /** The scores (one per output) of one sample: {@code frames[t]} lists the channels spiking at step t. */
    public float[] forward(int[][] frames) {
        return forward(Spikes.sample(config.inputs(), frames), 0);
    }

    /** The scores of sample {@code sample} of {@code batch}. */
    public float[] forward(SpikeBatch batch, int sample) {
        if (batch.inputs() != config.inputs()) {
            throw new IllegalArgumentException("the inputs have " + batch.inputs() + " channels, the network takes "
                    + config.inputs());
        }
        float[][] w = new float[config.layers()][];
        float[][] b = new float[config.layers()][];
        for (int l = 0; l < w.length; l++) {
            w[l] = params.weights(l);
            b[l] = params.bias(l);
        }
        return LifNetwork.forward(config, w, b, batch, sample);
    }

    /** The predicted class (the highest score) of one sample; -1 when a score is NaN. */
    public int predict(int[][] frames) {
        float[] s = forward(frames);
        return Fitness.argmax(s, 0, s.length);
    }

    /** The predicted class of every sample of {@code batch}. */
    public int[] predict(SpikeBatch batch) {
        int[] out = new int[batch.samples()];
        for (int s = 0; s < out.length; s++) {
            float[] scores = forward(batch, s);
            out[s] = Fitness.argmax(scores, 0, scores.length);
        }
        return out;
    }

    /** The fraction of {@code data}'s samples whose predicted class is their label. */
    public double accuracy(SpikeDataset data) {
        if (data.size() == 0) {
            return Double.NaN;
        }
        int correct = 0;
        int chunk = 256;
        for (int from = 0; from < data.size(); from += chunk) {
            SpikeBatch b = SpikeBatch.range(data, from, Math.min(data.size(), from + chunk));
            int[] p = predict(b);
            for (int s = 0; s < p.length; s++) {
                correct += p[s] == b.labels()[s] ? 1 : 0;
            }
        }
        return (double) correct / data.size();
    }

    @Override
    public String toString() {
        return "TrainedNetwork" + matrixNames() + " " + config + " after " + generations + " generations";
    }
}
