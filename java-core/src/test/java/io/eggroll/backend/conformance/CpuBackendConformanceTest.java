package io.eggroll.backend.conformance;

import io.eggroll.backend.Backend;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.rng.Noise;

/**
 * The suite on the cpu backend, with three threads so that work splits unevenly: its fast paths
 * (shared layer-1 current, pair-shared perturbation, blocked and tiled update) must give the
 * definition's bits exactly, whatever the thread count.
 */
class CpuBackendConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend createBackend() {
        return new CpuBackend(3);
    }

    @Override
    protected boolean bitExact() {
        return true;
    }

    @Override
    protected boolean supportsConv() {
        return true;
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
