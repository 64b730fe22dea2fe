package io.eggroll.data;

/**
 * A labelled set of binary spike-frame samples: sample {@code i} is {@code timesteps()} frames,
 * each a set of active input indices in {@code [0, inputs())}. This is what the trainer and every
 * backend consume; the synthetic task, binned N-MNIST and test fixtures all implement it.
 *
 * <p>Implementations must be safe for concurrent reads: backends gather batches from several
 * threads.
 */
public interface SpikeDataset {

    /** Number of samples. */
    int size();

    /** Number of input channels per frame (for N-MNIST: 2 x 34 x 34 = 2312). */
    int inputs();

    /** Number of frames per sample. */
    int timesteps();

    /** Number of classes; labels lie in {@code [0, classes())}. */
    int classes();

    /** Label of sample {@code i}. */
    int label(int i);

    /**
     * Writes the active input indices of sample {@code i} at frame {@code t} into {@code out}, in
     * increasing order, and returns how many there are. {@code out} has room for
     * {@code inputs()} entries.
     */
    int activeInputs(int i, int t, int[] out);

    /**
     * A short stable digest of the content (shapes, labels, spikes). Two datasets with equal
     * fingerprints hold the same samples; checkpoints and distributed workers use it to refuse
     * mismatched data.
     */
    String fingerprint();

    /** A human-readable name for logs and metrics, e.g. {@code "nmnist-train"}. */
    String name();
}
