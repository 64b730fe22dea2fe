package io.eggroll.data;

/**
 * Spatial OR-pooling of a {@code channels x height x width} spike dataset by an integer factor:
 * output pixel {@code (c, y / f, x / f)} is active in a frame when any input pixel it covers is
 * (for a height of 1, the one row stays one row: {@code x / f} alone).
 * The same transform as Tonic's spatial downsampling of events before binning; it divides the
 * first layer's fan-in, and so the dimension ES searches, by {@code f^2}.
 */
public final class PooledSpikeDataset implements SpikeDataset {

    private final SpikeDataset inner;
    private final int channels;
    private final int height;
    private final int width;
    private final int factor;
    private final int outH;
    private final int outW;
    private final int[] map;

    public PooledSpikeDataset(SpikeDataset inner, int channels, int height, int width, int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("data.pool must be >= 1, got " + factor);
        }
        if (channels * height * width != inner.inputs()) {
            throw new IllegalArgumentException("cannot pool " + inner.name() + ": " + inner.inputs() + " inputs are not "
                    + channels + " x " + height + " x " + width);
        }
        this.inner = inner;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.factor = factor;
        this.outH = (height + factor - 1) / factor;
        this.outW = (width + factor - 1) / factor;
        this.map = new int[inner.inputs()];
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    map[(c * height + y) * width + x] = (c * outH + y / factor) * outW + x / factor;
                }
            }
        }
    }

    /** N-MNIST's 2 x 34 x 34 sensor pooled by {@code factor} (1 returns the dataset itself). */
    public static SpikeDataset nmnist(SpikeDataset inner, int factor) {
        return of(inner, SensorShape.NMNIST, factor);
    }

    /**
     * {@code inner}, whose inputs are {@code sensor}'s, pooled by {@code factor} (1 returns the
     * dataset itself). A one-dimensional sensor ({@code 1 x 1 x n}) pools runs of {@code factor}
     * neighbouring units: SHD's 700 units by 5 give 140 inputs.
     */
    public static SpikeDataset of(SpikeDataset inner, SensorShape sensor, int factor) {
        return factor == 1 ? inner
                : new PooledSpikeDataset(inner, sensor.channels(), sensor.height(), sensor.width(), factor);
    }

    @Override
    public int size() {
        return inner.size();
    }

    @Override
    public int inputs() {
        return channels * outH * outW;
    }

    @Override
    public int timesteps() {
        return inner.timesteps();
    }

    @Override
    public int classes() {
        return inner.classes();
    }

    @Override
    public int label(int i) {
        return inner.label(i);
    }

    @Override
    public int activeInputs(int i, int t, int[] out) {
        int[] raw = new int[inner.inputs()];
        int n = inner.activeInputs(i, t, raw);
        long[] bits = new long[(inputs() + 63) >>> 6];
        for (int k = 0; k < n; k++) {
            int o = map[raw[k]];
            bits[o >>> 6] |= 1L << (o & 63);
        }
        int count = 0;
        for (int w = 0; w < bits.length; w++) {
            long x = bits[w];
            while (x != 0) {
                out[count++] = (w << 6) + Long.numberOfTrailingZeros(x);
                x &= x - 1;
            }
        }
        return count;
    }

    @Override
    public String fingerprint() {
        return inner.fingerprint() + "-pool" + factor;
    }

    @Override
    public String name() {
        return inner.name() + "-pool" + factor;
    }
}
