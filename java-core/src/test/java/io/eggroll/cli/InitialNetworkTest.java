package io.eggroll.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.snn.Params;
import io.eggroll.snn.Readout;
import io.eggroll.snn.SnnConfig;
import io.eggroll.train.TrainConfig;
import org.junit.jupiter.api.Test;

/** {@code train --init}: a file's per-neuron values turn evolving on; a shared file may start evolving. */
class InitialNetworkTest {

    private static Params file(boolean evolveThreshold, boolean evolveDecay) {
        Params p = Params.init(new SnnConfig(new int[] {5, 4, 3}, 0.75f, 0.5f, Readout.SPIKE_COUNT, evolveThreshold,
                evolveDecay), 3, 1f);
        if (evolveThreshold) {
            p.threshold(0)[1] = 0.625f;
        }
        if (evolveDecay) {
            p.decay(1)[2] = 0.25f;
        }
        return p;
    }

    private static Params start(Params file, TrainConfig cfg) {
        InitialNetwork net = new InitialNetwork("f.nir", "test", file);
        net.applyTo(cfg, null, null);
        return net.paramsFor(cfg.networkConfig(5, 3));
    }

    @Test
    void aFileWithPerNeuronValuesTurnsEvolvingOnAndKeepsThem() {
        Params file = file(true, true);
        TrainConfig cfg = TrainConfig.defaults("synthetic");
        Params p = start(file, cfg);
        assertThat(cfg.network.evolveThreshold && cfg.network.evolveDecay).isTrue();
        assertThat(p.config()).isEqualTo(file.config());
        assertThat(p.sha256()).isEqualTo(file.sha256());
    }

    @Test
    void aSharedFileStartsEvolvingFromItsSharedValuesWhenTheConfigAsks() {
        Params file = file(false, true);
        TrainConfig cfg = TrainConfig.defaults("synthetic");
        cfg.network.evolveThreshold = true;
        Params p = start(file, cfg);
        assertThat(p.config().evolveThreshold() && p.config().evolveDecay()).isTrue();
        assertThat(p.threshold(0)).containsOnly(0.75f);
        assertThat(p.threshold(1)).containsOnly(0.75f);
        assertThat(p.decay(1)).containsExactly(file.decay(1));
        for (int l = 0; l < 2; l++) {
            assertThat(p.weights(l)).containsExactly(file.weights(l));
            assertThat(p.bias(l)).containsExactly(file.bias(l));
        }
    }
}
