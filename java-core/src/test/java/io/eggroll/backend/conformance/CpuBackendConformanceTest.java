package io.eggroll.backend.conformance;

import io.eggroll.backend.Backend;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.rng.Noise;

/**
 * The suite run on the cpu backend itself with one thread against the two-thread reference: it
 * checks the suite (random cases, bounds, coverage) and that the cpu backend's bits do not depend
 * on the thread count.
 */
class CpuBackendConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend createBackend() {
        return new CpuBackend(1);
    }

    @Override
    protected NoiseProbe noiseProbe(Backend backend) {
        return (seed, pair, generation, stream, kind, elements) -> {
            float[] out = new float[elements.length];
            float[] one = new float[1];
            for (int i = 0; i < elements.length; i++) {
                Noise.fill(seed, pair, generation, stream, kind, Integer.toUnsignedLong(elements[i]), 1, one, 0);
                out[i] = one[0];
            }
            return out;
        };
    }
}
