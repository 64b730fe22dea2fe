package io.eggroll.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.train.TrainConfig.ConfigException;
import org.junit.jupiter.api.Test;

/**
 * A run is sized from its config before anything is allocated: an array too long for an int index,
 * or a total beyond the heap, is refused naming the field to change (checked against a given heap
 * size; nothing large is allocated here).
 */
class FootprintTest {

    private static final long MIB = 1L << 20;

    @Test
    void theDefaultRunsFitASmallHeap() {
        TrainConfig nmnist = TrainConfig.defaults("nmnist");
        nmnist.threads = 2;
        Footprint.of(nmnist).requireFits(256 * MIB);
        TrainConfig synthetic = TrainConfig.defaults("synthetic");
        synthetic.threads = 2;
        Footprint.of(synthetic).requireFits(64 * MIB);
        assertThat(Footprint.of(nmnist).bytes()).isPositive().isLessThan(64 * MIB);
    }

    @Test
    void theAllPairsProjectionIsCountedWhereTheCpuBackendFormsIt() {
        // 256 pairs x r 64 x B 64 x T 16 = 2^24 floats: at the cpu backend's limit, formed and counted
        // (64 MiB, plus 578 inputs x 256 x 64 of A side by side); at r = 65 each pair projects on its
        // own and neither is counted, though everything else grows with the rank
        TrainConfig atLimit = TrainConfig.defaults("nmnist");
        atLimit.threads = 2;
        atLimit.es = atLimit.es.withRank(64);
        TrainConfig past = TrainConfig.defaults("nmnist");
        past.threads = 2;
        past.es = past.es.withRank(65);
        long projections = (1L << 24) * 4 + 578L * 256 * 64 * 4;
        assertThat(Footprint.of(atLimit).bytes() - Footprint.of(past).bytes())
                .isGreaterThan(projections - 8 * MIB).isLessThanOrEqualTo(projections);
    }

    @Test
    void aHiddenLayerWhoseWeightsOverflowAnIntIndexIsNamedByValidate() {
        TrainConfig c = TrainConfig.defaults("nmnist");
        c.data.pool = 1; // 2312 inputs
        c.network.hidden = new int[] {1_000_000}; // 2312 x 1e6 weights: more than an int indexes
        assertThatThrownBy(c::validate).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("network.hidden[0] is too large")
                .hasMessageContaining("the weights of layer 1 (2312 x 1000000)")
                .hasMessageContaining("2312000000 elements");

        TrainConfig deep = TrainConfig.defaults("synthetic");
        deep.network.hidden = new int[] {16, 1 << 20, 1 << 20};
        assertThatThrownBy(deep::validate).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("network.hidden[2] is too large")
                .hasMessageContaining("the weights of layer 3 (1048576 x 1048576)").hasMessageContaining("1099511627776 elements");
    }

    @Test
    void aConvNetworkIsSizedByItsKernelsAndItsLayersAreNamed() {
        TrainConfig conv = TrainConfig.defaults("synthetic");
        conv.network.hidden = null;
        conv.network.layers = new LayerSpec[] {LayerSpec.conv(3, 4, 1), LayerSpec.dense(16)};
        conv.validate(); // 64 inputs = 1 x 8 x 8 -> 4 x 6 x 6 -> 16 -> 10
        TrainConfig dense = TrainConfig.defaults("synthetic");
        dense.network.hidden = new int[] {144, 16};
        // the conv layer's weights are its 9 x 4 kernel, not the 64 x 144 matrix of as many dense neurons
        assertThat(Footprint.of(conv).bytes()).isPositive().isLessThan(Footprint.of(dense).bytes());

        TrainConfig wide = TrainConfig.defaults("synthetic");
        wide.network.hidden = null;
        wide.network.layers = new LayerSpec[] {LayerSpec.conv(3, 4, 1), LayerSpec.dense(1 << 20), LayerSpec.dense(1 << 20)};
        assertThatThrownBy(wide::validate).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("network.layers[2] is too large")
                .hasMessageContaining("the weights of layer 3 (1048576 x 1048576)");
    }

    @Test
    void aBatchOrPopulationWhoseBuffersOverflowAnIntIndexIsNamed() {
        TrainConfig batch = TrainConfig.defaults("synthetic");
        batch.batch = 50_000_000;
        assertThatThrownBy(batch::validate).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("batch is too large").hasMessageContaining("layer-1 input");

        TrainConfig population = TrainConfig.defaults("synthetic");
        population.es = population.es.withPopulation(1 << 24);
        population.batch = 256;
        assertThatThrownBy(population::validate).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("es.population is too large").hasMessageContaining("readouts");
    }

    @Test
    void aRunBeyondTheHeapIsRefusedNamingWhatTakesTheMost() {
        TrainConfig c = TrainConfig.defaults("nmnist");
        c.data.pool = 1;
        c.network.hidden = new int[] {200_000}; // 2312 x 2e5 floats, Adam: about 7 GiB with the update
        c.threads = 1;
        c.validate();
        assertThatThrownBy(() -> Footprint.of(c).requireFits(512 * MIB)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("the run needs at least ")
                .hasMessageContaining("this JVM has at most 512 MiB")
                .hasMessageContaining("network.hidden[0] (the weights of layer 1 (2312 x 200000)")
                .hasMessageContaining("make network.hidden[0] smaller")
                .hasMessageContaining("EGGROLL_JAVA_OPTS=-Xmx");
        Footprint.of(c).requireFits(64L << 30);

        TrainConfig threads = TrainConfig.defaults("nmnist");
        threads.network.hidden = new int[] {20_000};
        threads.threads = 64; // each thread holds a copy-sized evaluation scratch of every layer
        assertThatThrownBy(() -> Footprint.of(threads).requireFits(2L << 30)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("each thread's evaluation scratch of layer 1");
    }
}
