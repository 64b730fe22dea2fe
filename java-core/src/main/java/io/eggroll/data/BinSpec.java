package io.eggroll.data;

/**
 * How events become frames: the window {@code [windowStartUs, windowEndUs)} is split into
 * {@code timesteps} equal bins, {@code bin = floor((t - start) * T / (end - start))}; events with
 * {@code t < start} or {@code t >= end} are dropped; several events of one input in one bin make
 * one spike (OR binning). Input index {@link SensorShape#index}: {@code p*34*34 + y*34 + x} for
 * N-MNIST, as lava-dl flattens {@code [p, y, x]}.
 *
 * <p>Frames are stored bit-packed: input {@code i} of a frame is bit {@code i & 7} of byte
 * {@code i >>> 3}, so a frame is {@link SensorShape#frameBytes()} bytes (N-MNIST: 2312 / 8 = 289)
 * and a sample {@code frameBytes * T} bytes. The methods without a sensor are N-MNIST's.
 */
public record BinSpec(int timesteps, long windowStartUs, long windowEndUs) {

    /** Bytes of one bit-packed N-MNIST frame. */
    public static final int FRAME_BYTES = NmnistFormat.INPUTS / 8;

    /** T frames over 0..300 ms. */
    public static BinSpec of(int timesteps) {
        return new BinSpec(timesteps, 0, 300_000);
    }

    public BinSpec {
        if (timesteps < 1 || timesteps > 100_000) {
            throw new IllegalArgumentException("timesteps must be in 1..100000, got " + timesteps);
        }
        if (windowStartUs < 0 || windowEndUs <= windowStartUs) {
            throw new IllegalArgumentException("window must satisfy 0 <= start < end, got start="
                    + windowStartUs + " us, end=" + windowEndUs + " us");
        }
    }

    /** The bin of timestamp {@code tUs}, or -1 if it lies outside the window. */
    public int bin(long tUs) {
        if (tUs < windowStartUs || tUs >= windowEndUs) {
            return -1;
        }
        return (int) ((tUs - windowStartUs) * timesteps / (windowEndUs - windowStartUs));
    }

    /** Bytes of one binned N-MNIST sample. */
    public long sampleBytes() {
        return sampleBytes(SensorShape.NMNIST);
    }

    /** Bytes of one binned sample of {@code sensor}. */
    public long sampleBytes(SensorShape sensor) {
        return (long) sensor.frameBytes() * timesteps;
    }

    /** Input index of an N-MNIST event. */
    public static int inputIndex(int x, int y, int p) {
        return SensorShape.NMNIST.index(x, y, p);
    }

    /** {@link #binInto(EventBuffer, SensorShape, byte[], int)} for N-MNIST's sensor. */
    public int binInto(EventBuffer events, byte[] dst, int offset) {
        return binInto(events, SensorShape.NMNIST, dst, offset);
    }

    /**
     * ORs the events into the bit-packed frames at {@code dst[offset .. offset + sampleBytes(sensor))}
     * (which the caller zeroes first) and returns how many events fell inside the window.
     *
     * @throws IllegalArgumentException if an event in the window lies off the sensor (readers
     *     refuse such events first, naming the file)
     */
    public int binInto(EventBuffer events, SensorShape sensor, byte[] dst, int offset) {
        int frameBytes = sensor.frameBytes();
        int kept = 0;
        for (int e = 0; e < events.size(); e++) {
            int b = bin(events.t(e));
            if (b < 0) {
                continue;
            }
            int x = events.x(e);
            int y = events.y(e);
            int p = events.p(e);
            if (!sensor.contains(x, y, p)) {
                throw new IllegalArgumentException("event " + e + " at (x=" + x + ", y=" + y + ", p=" + p
                        + ") lies off the " + sensor + " sensor");
            }
            int in = sensor.index(x, y, p);
            dst[offset + b * frameBytes + (in >>> 3)] |= (byte) (1 << (in & 7));
            kept++;
        }
        return kept;
    }
}
