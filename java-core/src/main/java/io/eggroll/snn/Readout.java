package io.eggroll.snn;

/** How the last layer becomes class scores. */
public enum Readout {
    /**
     * The last layer is LIF; the score of class c is its spike count over all time steps plus its
     * final membrane over the threshold, {@code count + v_T / theta}. The residue lies below 1, so
     * it only orders classes with equal counts, but it keeps the fitness sensitive to a silent
     * output neuron's drive: without it a neuron that stops firing gives ES no signal to revive it.
     */
    SPIKE_COUNT,
    /** The last layer is a leaky integrator without spikes; the score is its mean membrane. */
    MEMBRANE
}
