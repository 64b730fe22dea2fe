package io.eggroll.opencl;

import io.eggroll.backend.Backend;
import io.eggroll.backend.conformance.BackendConformanceTest;
import io.eggroll.backend.conformance.NoiseProbe;

/**
 * The shared conformance suite on the opencl backend with factors regenerated from Philox where
 * they are used (OpenClConformanceTest runs the default, materialised factors).
 */
class OpenClRegeneratedFactorsConformanceTest extends BackendConformanceTest {

    @Override
    protected Backend createBackend() {
        return new OpenClBackend(OpenClTestSupport.device(), null, 0, FactorMode.REGENERATE);
    }

    @Override
    protected NoiseProbe noiseProbe(Backend backend) {
        return ((OpenClBackend) backend)::deviceNoise;
    }
}
