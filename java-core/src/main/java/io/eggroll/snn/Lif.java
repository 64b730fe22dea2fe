package io.eggroll.snn;

/**
 * The discrete LIF step of docs/DESIGN.md section 1.1, shared by every Java path:
 * {@code v = beta * v + I; s = (v >= theta); v = v * (1 - s)}.
 */
public final class Lif {

    private Lif() {}

    /**
     * One step for {@code n} neurons. Writes the indices of the neurons that spiked, in increasing
     * order, into {@code spikes} and returns their number.
     */
    public static int step(float[] v, float[] current, int n, float decay, float threshold, int[] spikes) {
        int count = 0;
        for (int j = 0; j < n; j++) {
            float u = decay * v[j] + current[j];
            if (u >= threshold) {
                spikes[count++] = j;
                u = 0f;
            }
            v[j] = u;
        }
        return count;
    }

    /** {@link #step} with neuron j's own {@code decay[j]} and {@code threshold[j]}. */
    public static int step(float[] v, float[] current, int n, float[] decay, float[] threshold, int[] spikes) {
        int count = 0;
        for (int j = 0; j < n; j++) {
            float u = decay[j] * v[j] + current[j];
            if (u >= threshold[j]) {
                spikes[count++] = j;
                u = 0f;
            }
            v[j] = u;
        }
        return count;
    }

    /** {@link #integrate} with neuron j's own {@code decay[j]}. */
    public static void integrate(float[] v, float[] current, int n, float[] decay) {
        for (int j = 0; j < n; j++) {
            v[j] = decay[j] * v[j] + current[j];
        }
    }

    /** One step of a non-spiking leaky integrator (the membrane readout): {@code v = beta * v + I}. */
    public static void integrate(float[] v, float[] current, int n, float decay) {
        for (int j = 0; j < n; j++) {
            v[j] = decay * v[j] + current[j];
        }
    }
}
