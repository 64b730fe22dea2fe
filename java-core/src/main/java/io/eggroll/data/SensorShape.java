package io.eggroll.data;

/**
 * The geometry of an event sensor: {@code channels x height x width} inputs, an event at column
 * {@code x}, row {@code y} and channel (polarity) {@code p} driving input
 * {@code (p * height + y) * width + x}, as lava-dl flattens {@code [p, y, x]}.
 *
 * <p>A one-dimensional sensor of {@code n} units (SHD's 700 cochlea channels, an electrode array)
 * is {@code 1 x 1 x n}: unit {@code u} is {@code x = u}, {@code y = p = 0}, so spatial pooling by
 * {@code f} merges runs of {@code f} neighbouring units into one input.
 */
public record SensorShape(int channels, int height, int width) {

    /** The largest number of inputs a sensor may have (2^24: 2 MiB a bit-packed frame). */
    public static final int MAX_INPUTS = 1 << 24;

    /** N-MNIST's ATIS crop: 2 polarities x 34 x 34. */
    public static final SensorShape NMNIST = new SensorShape(2, NmnistFormat.HEIGHT, NmnistFormat.WIDTH);

    public SensorShape {
        if (channels < 1 || height < 1 || width < 1 || (long) channels * height * width > MAX_INPUTS) {
            throw new IllegalArgumentException("sensor must have channels, height, width >= 1 and at most "
                    + MAX_INPUTS + " inputs, got " + channels + " x " + height + " x " + width);
        }
    }

    /** A one-dimensional sensor of {@code n} units: {@code 1 x 1 x n}. */
    public static SensorShape units(int n) {
        return new SensorShape(1, 1, n);
    }

    /** Number of inputs, {@code channels * height * width}. */
    public int inputs() {
        return channels * height * width;
    }

    /** Bytes of one bit-packed frame: {@code ceil(inputs / 8)}. */
    public int frameBytes() {
        return (inputs() + 7) >>> 3;
    }

    /** True if an event at {@code (x, y, p)} lies on the sensor. */
    public boolean contains(int x, int y, int p) {
        return x >= 0 && x < width && y >= 0 && y < height && p >= 0 && p < channels;
    }

    /** Input index of an event on the sensor. */
    public int index(int x, int y, int p) {
        return (p * height + y) * width + x;
    }

    /** True for a {@code 1 x 1 x n} sensor. */
    public boolean oneDimensional() {
        return channels == 1 && height == 1;
    }

    @Override
    public String toString() {
        return oneDimensional() ? width + " units" : channels + " x " + height + " x " + width;
    }
}
