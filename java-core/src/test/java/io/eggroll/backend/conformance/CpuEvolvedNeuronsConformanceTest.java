package io.eggroll.backend.conformance;

/**
 * The cpu suite with evolved neuron parameters ({@code network.evolveThreshold},
 * {@code network.evolveDecay}): every readout, inference and update must still have the
 * definition's bits. Cases alternate thresholds and decays together, thresholds only and decays
 * only; the per-neuron values include some outside their range (the forward pass clamps them).
 */
class CpuEvolvedNeuronsConformanceTest extends CpuBackendConformanceTest {

    @Override
    protected ConformanceCase randomCase(int i) {
        return super.randomCase(i).withEvolvedNeurons(i % 3 != 2, i % 3 != 1);
    }
}
