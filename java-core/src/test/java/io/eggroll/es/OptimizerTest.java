package io.eggroll.es;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class OptimizerTest {

    @Test
    void cosineDecayRunsFromTheBaseRateToTwoPercent() {
        OptimizerConfig c = new OptimizerConfig(OptimizerKind.ADAM, 0.01f, 0f, 0.9f, 0.999f, 1e-8f, 0f, LrDecay.COSINE, 100);
        assertThat(c.learningRateAt(1)).isEqualTo(0.01f);
        assertThat(c.learningRateAt(51)).isCloseTo(0.0051f, within(1e-6f));
        assertThat(c.learningRateAt(101)).isCloseTo(0.0002f, within(1e-9f));
        assertThat(c.learningRateAt(5000)).isEqualTo(c.learningRateAt(101));
        OptimizerConfig flat = OptimizerConfig.adam(0.01f);
        assertThat(flat.learningRateAt(1)).isEqualTo(flat.learningRateAt(1000)).isEqualTo(0.01f);
        assertThatThrownBy(() -> new OptimizerConfig(OptimizerKind.SGD, 0.1f, 0f, 0.9f, 0.999f, 1e-8f, 0f,
                LrDecay.COSINE, -1)).hasMessageContaining("optimizer.decaySteps");
        // 0 stands for the run's generations: usable only once a training config has resolved it.
        assertThatThrownBy(() -> new OptimizerConfig(OptimizerKind.SGD, 0.1f, 0f, 0.9f, 0.999f, 1e-8f, 0f,
                LrDecay.COSINE, 0).learningRateAt(1)).hasMessageContaining("optimizer.decaySteps is 0");
    }

    @Test
    void sgdAndAdamStepsAscend() {
        float[] theta = {1f, -1f};
        float[] g = {0.5f, -2f};
        Optimizer.apply(OptimizerConfig.sgd(0.1f), 0.1f, 1, theta, g, new float[0], new float[0], 0, 2);
        assertThat(theta).containsExactly(1.05f, -1.2f);
        float[] th = {0f, 0f};
        float[] m = new float[2];
        float[] v = new float[2];
        Optimizer.apply(OptimizerConfig.adam(0.01f), 0.01f, 1, th, new float[] {3f, -0.001f}, m, v, 0, 2);
        // First Adam step moves every coordinate by about lr in the gradient's direction.
        assertThat(th[0]).isCloseTo(0.01f, within(1e-5f));
        assertThat(th[1]).isCloseTo(-0.01f, within(1e-4f));
    }
}
