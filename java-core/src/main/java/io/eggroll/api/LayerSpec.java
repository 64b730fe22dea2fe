package io.eggroll.api;

/**
 * One hidden layer of a {@link NetworkSpec}. The engine trains fully connected ({@link Dense})
 * layers; other layer kinds (convolutions) implement this interface and are resolved in
 * {@link NetworkSpec#resolve(int, int)}, the one place that turns a spec into the engine's
 * network shape.
 */
public interface LayerSpec {

    /** The layer's name: the name of the weight matrix that feeds it. */
    String name();

    /** Its number of neurons (outputs). */
    int width();

    /**
     * A fully connected layer of LIF neurons.
     *
     * @param name  the name of its weight matrix, e.g. {@code "hidden"}
     * @param width its number of neurons
     */
    record Dense(String name, int width) implements LayerSpec {

        /** Checks the name and the width. */
        public Dense {
            NetworkSpec.checkName(name);
            if (width < 1) {
                throw new IllegalArgumentException("layer " + name + ": width must be >= 1, got " + width);
            }
        }
    }
}
