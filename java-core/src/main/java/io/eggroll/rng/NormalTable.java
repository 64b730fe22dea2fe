package io.eggroll.rng;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The standard normal inverse-CDF table, read from the C header shared with native/ and the
 * OpenCL kernels ({@code io/eggroll/kernels/eggroll_rng.h}), so it is defined exactly once.
 */
public final class NormalTable {

    public static final String HEADER = "io/eggroll/kernels/eggroll_rng.h";
    public static final int BITS = 12;
    public static final int SIZE = 1 << BITS;

    private static final float[] TABLE = load();

    private NormalTable() {}

    /** Value at table index {@code k} in [0, 4096). */
    public static float at(int k) {
        return TABLE[k];
    }

    /** A copy of the whole table. */
    public static float[] copy() {
        return TABLE.clone();
    }

    private static float[] load() {
        String text;
        try (InputStream in = NormalTable.class.getClassLoader().getResourceAsStream(HEADER)) {
            if (in == null) {
                throw new IllegalStateException("resource " + HEADER
                        + " is missing from the classpath (the eggroll-kernels jar)");
            }
            text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + HEADER + ": " + e.getMessage(), e);
        }
        int open = text.indexOf("EGG_NORMAL_TABLE[EGG_NORMAL_TABLE_SIZE] = {");
        int close = open < 0 ? -1 : text.indexOf("};", open);
        if (open < 0 || close < 0) {
            throw new IllegalStateException(HEADER + " has no EGG_NORMAL_TABLE initialiser");
        }
        Matcher m = Pattern.compile("-?0x[0-9a-fA-F.]+p[+-]?\\d+f")
                .matcher(text.substring(open + 40, close));
        float[] table = new float[SIZE];
        int n = 0;
        while (m.find()) {
            if (n == SIZE) {
                throw new IllegalStateException(HEADER + ": EGG_NORMAL_TABLE has more than " + SIZE + " entries");
            }
            table[n++] = Float.parseFloat(m.group());
        }
        if (n != SIZE) {
            throw new IllegalStateException(HEADER + ": EGG_NORMAL_TABLE has " + n + " entries, expected " + SIZE);
        }
        return table;
    }
}
