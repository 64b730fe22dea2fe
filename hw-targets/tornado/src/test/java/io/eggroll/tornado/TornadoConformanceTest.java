package io.eggroll.tornado;

import io.eggroll.backend.Backend;
import io.eggroll.backend.conformance.BackendConformanceTest;
import io.eggroll.backend.conformance.NoiseProbe;

/** The shared conformance suite on the tornado backend (PoCL through TornadoVM's OpenCL backend here). */
class TornadoConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend createBackend() {
        return new TornadoBackend(TornadoTestSupport.device(), 0);
    }

    @Override
    protected NoiseProbe noiseProbe(Backend backend) {
        return ((TornadoBackend) backend)::deviceNoise;
    }
}
