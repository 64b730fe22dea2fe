package io.eggroll.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.train.TrainConfig;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    @Test
    void nmnistWorkloadTakesTheTrainConfigDefaults() {
        TrainConfig cfg = TrainConfig.defaults("nmnist");
        Workload w = Workload.nmnist(null, false, 0, 0, 0, 0.05, 1);
        assertThat(w.net().inputs()).isEqualTo(2 * 17 * 17); // the preset pools 34x34 by 2
        assertThat(w.net().evolvesNeurons()).isFalse();
        assertThat(w.net().outputs()).isEqualTo(10);
        assertThat(w.net().fanOut(0)).isEqualTo(cfg.network.hidden[0]);
        assertThat(w.population()).isEqualTo(cfg.es.population());
        assertThat(w.batch()).isEqualTo(cfg.batch);
        assertThat(w.timesteps()).isEqualTo(cfg.data.timesteps);
        double density = (double) w.spikes().spikeCount() / (w.batch() * w.timesteps() * w.net().inputs());
        assertThat(density).isBetween(0.04, 0.06);
    }

    @Test
    void evolvedWorkloadIsTheSameNetworkWithItsOwnNeuronParameters() {
        Workload plain = Workload.nmnist(null, false, 0, 0, 0, 0.05, 1);
        Workload evolved = Workload.nmnist(null, true, 0, 0, 0, 0.05, 1);
        assertThat(evolved.name()).isEqualTo("nmnist-evolved");
        assertThat(evolved.net().evolvesNeurons()).isTrue();
        assertThat(evolved.net().layers()).isEqualTo(plain.net().layers());
        assertThat(evolved.spikes().indices()).isEqualTo(plain.spikes().indices());
    }

    @Test
    void replicatedBatchRepeatsEveryFrame() {
        Workload w = Workload.of("t", SnnConfig.of(30, 5), 4, 3, 2, 0.3, 7);
        SpikeBatch many = w.replicated(4);
        SpikeBatch one = w.spikes();
        assertThat(many.samples()).isEqualTo(12);
        assertThat(many.spikeCount()).isEqualTo(4 * one.spikeCount());
        for (int c = 0; c < 4; c++) {
            for (int s = 0; s < 3; s++) {
                assertThat(many.labels()[c * 3 + s]).isEqualTo(one.labels()[s]);
                for (int t = 0; t < 2; t++) {
                    int[] a = java.util.Arrays.copyOfRange(one.indices(), one.start(s, t), one.end(s, t));
                    int[] b = java.util.Arrays.copyOfRange(many.indices(), many.start(c * 3 + s, t),
                            many.end(c * 3 + s, t));
                    assertThat(b).containsExactly(a);
                }
            }
        }
    }

    @Test
    void badSizesAreNamed() {
        assertThatThrownBy(() -> Workload.of("t", SnnConfig.of(4, 4), 3, 1, 1, 0.1, 1))
                .hasMessageContaining("population").hasMessageContaining("3");
        assertThatThrownBy(() -> Workload.of("t", SnnConfig.of(4, 4), 4, 1, 1, 1.5, 1))
                .hasMessageContaining("density").hasMessageContaining("1.5");
    }
}
