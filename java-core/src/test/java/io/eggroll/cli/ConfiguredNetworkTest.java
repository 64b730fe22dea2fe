package io.eggroll.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.testing.Fixtures;
import io.eggroll.train.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code eggroll train} trains the network its config describes, whatever the config's network
 * object holds: conv layers, evolved thresholds and decays (the CLI goes through the library's
 * builder, which must not fall back to plain dense layers).
 */
class ConfiguredNetworkTest {

    @TempDir
    Path runs;

    private Checkpoint.Data train(String name, String networkJson) throws IOException {
        Path cfg = Files.writeString(runs.resolve(name + ".json"), "{\"task\": \"synthetic\", \"generations\": 3, "
                + "\"batch\": 8, \"es\": {\"population\": 8}, \"network\": " + networkJson + "}");
        StringBuilder out = new StringBuilder();
        assertThat(Fixtures.runCli(out, "train", "--config", cfg.toString(), "--runs-dir", runs.toString(), "--name",
                name, "--threads", "2", "--quiet")).as(out.toString()).isZero();
        return Checkpoint.read(runs.resolve(name).resolve("checkpoints/latest.ckpt"));
    }

    @Test
    void evolvedThresholdsAndDecaysAreTrainedPerNeuron() throws IOException {
        Checkpoint.Data d = train("evo", "{\"hidden\": [12], \"evolveThreshold\": true, \"evolveDecay\": true}");
        SnnConfig net = d.state().network();
        assertThat(net.evolveThreshold()).isTrue();
        assertThat(net.evolveDecay()).isTrue();
        Params p = d.state().params();
        float[] theta = p.threshold(0);
        assertThat(IntStream.range(0, theta.length).mapToDouble(j -> theta[j]).distinct().count())
                .as("three generations moved the thresholds, each neuron its own").isGreaterThan(1);
    }

    @Test
    void convLayersAreTrainedAsConvLayers() throws IOException {
        Checkpoint.Data d = train("conv", "{\"layers\": [\"conv:3:4:1\", \"dense:8\"]}");
        SnnConfig net = d.state().network();
        assertThat(net.hasConv()).isTrue();
        assertThat(net.conv(0)).isNotNull();
        assertThat(net.layers()).isEqualTo(3);
    }
}
