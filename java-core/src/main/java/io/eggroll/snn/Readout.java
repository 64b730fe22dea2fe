package io.eggroll.snn;

/** How the last layer becomes class scores. */
public enum Readout {
    /** The last layer is LIF; the score of class c is its spike count over all time steps. */
    SPIKE_COUNT,
    /** The last layer is a leaky integrator without spikes; the score is its mean membrane. */
    MEMBRANE
}
