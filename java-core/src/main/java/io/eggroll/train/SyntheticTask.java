package io.eggroll.train;

import io.eggroll.data.Fingerprint;
import io.eggroll.data.SpikeDataset;
import java.util.SplittableRandom;

/**
 * A built-in spike-pattern classification task: K classes, each a template of Poisson rates over
 * D inputs (a random quarter of the inputs fire at a high rate, the rest at a low rate). A sample
 * is a Bernoulli draw per input and step from its class template, so samples of one class share
 * rates but never spikes. Deterministic in (seed, split, index); held as bit-packed frames.
 */
public final class SyntheticTask implements SpikeDataset {

    private final String name;
    private final int size;
    private final int inputs;
    private final int steps;
    private final int classes;
    private final int words;
    private final long[] bits;
    private final int[] labels;
    private final String fingerprint;

    private SyntheticTask(String name, int size, int inputs, int steps, int classes, long[] bits, int[] labels) {
        this.name = name;
        this.size = size;
        this.inputs = inputs;
        this.steps = steps;
        this.classes = classes;
        this.words = (inputs + 63) >>> 6;
        this.bits = bits;
        this.labels = labels;
        this.fingerprint = digest();
    }

    /** The splits the generator draws, each from a stream of its own. */
    public enum Part {
        TRAIN(0x7A1L), TEST(0x7E5L), VALIDATION(0x7B3L);

        private final long salt;

        Part(long salt) {
            this.salt = salt;
        }
    }

    /** {@link #generate(long, Part, int, int, int, int, double, double)} of the train or the test split. */
    public static SyntheticTask generate(long seed, boolean train, int size, int inputs, int steps, int classes,
                                         double highRate, double lowRate) {
        return generate(seed, train ? Part.TRAIN : Part.TEST, size, inputs, steps, classes, highRate, lowRate);
    }

    /**
     * Builds one split. Templates depend on the seed only, so the splits share classes; samples
     * depend on (seed, split, index).
     */
    public static SyntheticTask generate(long seed, Part part, int size, int inputs, int steps, int classes,
                                         double highRate, double lowRate) {
        if (inputs < 1 || steps < 1 || classes < 2 || size < 1) {
            throw new IllegalArgumentException("synthetic task needs inputs >= 1, timesteps >= 1, classes >= 2, size >= 1;"
                    + " got inputs=" + inputs + ", timesteps=" + steps + ", classes=" + classes + ", size=" + size);
        }
        double[][] rate = new double[classes][inputs];
        SplittableRandom tr = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + 17);
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < inputs; i++) {
                rate[c][i] = tr.nextInt(4) == 0 ? highRate : lowRate;
            }
        }
        int words = (inputs + 63) >>> 6;
        long[] bits = new long[size * steps * words];
        int[] labels = new int[size];
        for (int s = 0; s < size; s++) {
            SplittableRandom r = new SplittableRandom(seed ^ part.salt << 40 ^ (long) s * 0xBF58476D1CE4E5B9L);
            int c = s % classes;
            labels[s] = c;
            for (int t = 0; t < steps; t++) {
                int off = (s * steps + t) * words;
                for (int i = 0; i < inputs; i++) {
                    if (r.nextDouble() < rate[c][i]) {
                        bits[off + (i >>> 6)] |= 1L << (i & 63);
                    }
                }
            }
        }
        return new SyntheticTask("synthetic-" + part.name().toLowerCase(java.util.Locale.ROOT), size, inputs, steps, classes, bits, labels);
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int inputs() {
        return inputs;
    }

    @Override
    public int timesteps() {
        return steps;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    @Override
    public int activeInputs(int i, int t, int[] out) {
        int off = (i * steps + t) * words;
        int n = 0;
        for (int w = 0; w < words; w++) {
            long x = bits[off + w];
            while (x != 0) {
                out[n++] = (w << 6) + Long.numberOfTrailingZeros(x);
                x &= x - 1;
            }
        }
        return n;
    }

    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String name() {
        return name;
    }

    private String digest() {
        return new Fingerprint().add(size, inputs, steps, classes).add(bits).add(labels).hex();
    }
}
