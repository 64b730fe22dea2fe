package io.eggroll.opencl;

import io.eggroll.backend.Backend;
import io.eggroll.backend.conformance.BackendConformanceTest;
import io.eggroll.backend.conformance.NoiseProbe;

/** The shared conformance suite on the opencl backend (PoCL in CI) against the plain definition. */
class OpenClConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend createBackend() {
        return new OpenClBackend(OpenClTestSupport.device(), null, 0);
    }

    @Override
    protected NoiseProbe noiseProbe(Backend backend) {
        return ((OpenClBackend) backend)::deviceNoise;
    }
}
