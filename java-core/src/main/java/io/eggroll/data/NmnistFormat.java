package io.eggroll.data;

import java.nio.file.Path;

/**
 * The N-MNIST {@code .bin} event encoding (Orchard et al. 2015; see {@code docs/FORMATS.md}
 * section 1.2): no header, a sequence of 5-byte records, most significant byte first:
 * {@code x = b0; y = b1; p = b2 >>> 7; t = ((b2 & 0x7F) << 16) | (b3 << 8) | b4} (microseconds).
 *
 * <p>Decoding follows Tonic's {@code read_mnist_file}: a record with {@code y == 240} is a
 * "timestamp overflow" marker; it is dropped and every later timestamp gets {@code +8192} us.
 * Unlike Tonic, coordinates outside the 34 x 34 sensor are rejected rather than passed on.
 */
public final class NmnistFormat {

    /** Sensor width and height in pixels. */
    public static final int WIDTH = 34;
    public static final int HEIGHT = 34;
    /** Number of polarities. */
    public static final int POLARITIES = 2;
    /** Inputs per frame after binning: 2 x 34 x 34. */
    public static final int INPUTS = POLARITIES * WIDTH * HEIGHT;
    /** Bytes per event record. */
    public static final int RECORD_BYTES = 5;
    /** Row value marking a timestamp-overflow record (one past the 240-row ATIS array). */
    public static final int OVERFLOW_Y = 240;
    /** Increment applied to later timestamps per overflow marker (Tonic, event-Python). */
    public static final int OVERFLOW_INCREMENT_US = 1 << 13;
    /** Largest encodable timestamp: 23 bits. */
    public static final int MAX_TIME_US = (1 << 23) - 1;

    private NmnistFormat() {}

    /**
     * Decodes {@code length} bytes of a {@code .bin} file into {@code out} (cleared first).
     *
     * @param source the file name used in error messages
     * @throws NmnistFormatException if the length is not a multiple of 5 or a record holds a
     *     coordinate outside 34 x 34 (other than an overflow marker)
     */
    public static void decode(byte[] data, int length, Path source, EventBuffer out)
            throws NmnistFormatException {
        if (length % RECORD_BYTES != 0) {
            throw new NmnistFormatException(source, length - length % RECORD_BYTES,
                    "file length " + length + " is not a multiple of " + RECORD_BYTES
                            + " (truncated record of " + (length % RECORD_BYTES) + " byte(s))");
        }
        out.clear();
        out.ensureCapacity(length / RECORD_BYTES);
        int overflow = 0;
        for (int off = 0; off < length; off += RECORD_BYTES) {
            int x = data[off] & 0xFF;
            int y = data[off + 1] & 0xFF;
            int b2 = data[off + 2] & 0xFF;
            if (y == OVERFLOW_Y) {
                overflow += OVERFLOW_INCREMENT_US;
                continue;
            }
            if (x >= WIDTH || y >= HEIGHT) {
                throw new NmnistFormatException(source, off,
                        "event coordinate (x=" + x + ", y=" + y + ") outside the "
                                + WIDTH + "x" + HEIGHT + " sensor");
            }
            int t = ((b2 & 0x7F) << 16) | ((data[off + 3] & 0xFF) << 8) | (data[off + 4] & 0xFF);
            out.add(x, y, b2 >>> 7, t + overflow);
        }
    }

    /** Size in bytes of the encoding of {@code events}. */
    public static int encodedLength(EventBuffer events) {
        return events.size() * RECORD_BYTES;
    }

    /**
     * Encodes {@code events} into {@code dst} from offset 0 and returns the byte count.
     *
     * @throws IllegalArgumentException naming the event index and field if a value does not fit
     *     (coordinates outside 34 x 34, polarity other than 0/1, timestamp outside 0..2^23-1).
     *     Timestamps are written as they are: no overflow markers are generated.
     */
    public static int encode(EventBuffer events, byte[] dst) {
        int n = events.size();
        if (dst.length < n * RECORD_BYTES) {
            throw new IllegalArgumentException("buffer of " + dst.length + " bytes too small for "
                    + n + " events");
        }
        int off = 0;
        for (int i = 0; i < n; i++) {
            int x = events.x(i);
            int y = events.y(i);
            int p = events.p(i);
            int t = events.t(i);
            if (x < 0 || x >= WIDTH) {
                throw new IllegalArgumentException("event " + i + ": x=" + x + " outside 0.." + (WIDTH - 1));
            }
            if (y < 0 || y >= HEIGHT) {
                throw new IllegalArgumentException("event " + i + ": y=" + y + " outside 0.." + (HEIGHT - 1));
            }
            if (p != 0 && p != 1) {
                throw new IllegalArgumentException("event " + i + ": polarity=" + p + " is not 0 or 1");
            }
            if (t < 0 || t > MAX_TIME_US) {
                throw new IllegalArgumentException("event " + i + ": t=" + t
                        + " us outside the 23-bit range 0.." + MAX_TIME_US);
            }
            dst[off] = (byte) x;
            dst[off + 1] = (byte) y;
            dst[off + 2] = (byte) ((p << 7) | (t >>> 16));
            dst[off + 3] = (byte) (t >>> 8);
            dst[off + 4] = (byte) t;
            off += RECORD_BYTES;
        }
        return off;
    }
}
