package io.eggroll.loihi.export;

import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.fixed.FixedNetwork;
import io.eggroll.snn.fixed.LoihiQuantizer;
import io.eggroll.train.Checkpoint;
import io.eggroll.train.RunDirectory;
import io.eggroll.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A finished (or checkpointed) run as the exporters see it: its latest checkpoint, and the float
 * and fixed-point networks it stands for. A {@code loihi}-precision run <em>is</em> its
 * quantised network, so its float view is the dequantised one.
 */
public record TrainedRun(RunDirectory run, Checkpoint.Data checkpoint) {

    /** Loads {@code dir}'s latest checkpoint; the message names what is missing. */
    public static TrainedRun load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no run directory at " + dir);
        }
        RunDirectory run = new RunDirectory(dir);
        if (!Files.exists(run.latestCheckpoint())) {
            throw new IllegalArgumentException("run " + dir + " has no checkpoint (" + run.latestCheckpoint()
                    + " does not exist); train it first");
        }
        return new TrainedRun(run, Checkpoint.read(run.latestCheckpoint()));
    }

    public TrainConfig config() {
        return checkpoint.config();
    }

    public SnnConfig network() {
        return checkpoint.state().network();
    }

    public boolean loihiPrecision() {
        return "loihi".equals(config().precision);
    }

    /** The fixed-point network with Lava's Dense delay (post-training quantisation for float runs). */
    public FixedNetwork fixed() {
        return LoihiQuantizer.quantize(checkpoint.state().params(), true);
    }

    /** The float network: the trained weights, or for a loihi run the weights its integers stand for. */
    public Params floatParams() {
        return loihiPrecision() ? LoihiQuantizer.dequantize(fixed(), network()) : checkpoint.state().params();
    }

    /** Time steps per sample of the run's task. */
    public int timesteps() {
        return "synthetic".equals(config().task) ? config().synthetic.timesteps : config().data.timesteps;
    }
}
