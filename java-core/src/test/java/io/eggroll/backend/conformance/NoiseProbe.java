package io.eggroll.backend.conformance;

import io.eggroll.rng.NoiseKind;

/**
 * A backend's device-side noise generator, exposed for the conformance check: element
 * {@code elements[i]} of stream (seed, pair, generation, stream) as the device computes it.
 */
@FunctionalInterface
public interface NoiseProbe {

    float[] noise(long seed, int pair, int generation, int stream, NoiseKind kind, int[] elements);
}
