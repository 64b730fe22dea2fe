package io.eggroll.data;

import java.util.Arrays;

/**
 * A growable, reusable list of DVS events held in primitive arrays (no object per event).
 * Readers decode one file into a buffer, the converter fills one per sample; callers reuse a
 * buffer per thread with {@link #clear()}.
 *
 * <p>Fields follow the N-MNIST record: {@code x} column and {@code y} row (0-based),
 * polarity {@code p} (1 = ON, 0 = OFF) and timestamp {@code t} in microseconds.
 */
public final class EventBuffer {

    private int[] x;
    private int[] y;
    private int[] t;
    private byte[] p;
    private int size;

    public EventBuffer() {
        this(1024);
    }

    public EventBuffer(int initialCapacity) {
        int cap = Math.max(16, initialCapacity);
        x = new int[cap];
        y = new int[cap];
        t = new int[cap];
        p = new byte[cap];
    }

    public void clear() {
        size = 0;
    }

    public int size() {
        return size;
    }

    /** Ensures room for {@code capacity} events without further growth. */
    public void ensureCapacity(int capacity) {
        if (capacity > x.length) {
            int cap = Math.max(capacity, x.length + (x.length >> 1));
            x = Arrays.copyOf(x, cap);
            y = Arrays.copyOf(y, cap);
            t = Arrays.copyOf(t, cap);
            p = Arrays.copyOf(p, cap);
        }
    }

    public void add(int x, int y, int polarity, int timeUs) {
        if (size == this.x.length) {
            ensureCapacity(size + 1);
        }
        this.x[size] = x;
        this.y[size] = y;
        this.p[size] = (byte) polarity;
        this.t[size] = timeUs;
        size++;
    }

    public int x(int i) {
        return x[check(i)];
    }

    public int y(int i) {
        return y[check(i)];
    }

    /** Polarity of event {@code i}: 1 = ON, 0 = OFF. */
    public int p(int i) {
        return p[check(i)];
    }

    /** Timestamp of event {@code i} in microseconds. */
    public int t(int i) {
        return t[check(i)];
    }

    private int check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("event " + i + " of " + size);
        }
        return i;
    }

    /** Smallest timestamp, or 0 for an empty buffer. */
    public int minTime() {
        if (size == 0) {
            return 0;
        }
        int m = Integer.MAX_VALUE;
        for (int i = 0; i < size; i++) {
            m = Math.min(m, t[i]);
        }
        return m;
    }

    /** Largest timestamp, or 0 for an empty buffer. */
    public int maxTime() {
        int m = 0;
        for (int i = 0; i < size; i++) {
            m = Math.max(m, t[i]);
        }
        return m;
    }

    /** Number of ON (p = 1) events. */
    public int onCount() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            n += p[i];
        }
        return n;
    }

    /** A copy holding exactly the current events. */
    public EventBuffer copy() {
        EventBuffer c = new EventBuffer(size);
        System.arraycopy(x, 0, c.x, 0, size);
        System.arraycopy(y, 0, c.y, 0, size);
        System.arraycopy(t, 0, c.t, 0, size);
        System.arraycopy(p, 0, c.p, 0, size);
        c.size = size;
        return c;
    }

    /** Element-wise equality of the events (order matters). */
    public boolean sameEvents(EventBuffer o) {
        return size == o.size
                && Arrays.equals(x, 0, size, o.x, 0, size)
                && Arrays.equals(y, 0, size, o.y, 0, size)
                && Arrays.equals(t, 0, size, o.t, 0, size)
                && Arrays.equals(p, 0, size, o.p, 0, size);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("EventBuffer[" + size + "]{");
        for (int i = 0; i < Math.min(size, 8); i++) {
            sb.append(i == 0 ? "" : ", ")
                    .append('(').append(x[i]).append(',').append(y[i]).append(',')
                    .append(p[i]).append(',').append(t[i]).append(')');
        }
        return sb.append(size > 8 ? ", ...}" : "}").toString();
    }
}
