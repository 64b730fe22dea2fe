package io.eggroll.rng;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The Philox4x32 known-answer vectors of {@code io/eggroll/kernels/philox_kat.txt} (eggroll-kernels),
 * the one copy every test reads: Java, the C library and the devices.
 */
public final class PhiloxKnownAnswers {

    public static final String RESOURCE = "io/eggroll/kernels/philox_kat.txt";

    private PhiloxKnownAnswers() {}

    /** One vector: {@code philox4x32(rounds, counter, k0, k1) == expected}. */
    public record Vector(int rounds, int[] counter, int k0, int k1, int[] expected) {

        /** The run seed whose halves are this key: {@code (k1 << 32) | k0}. */
        public long seed() {
            return ((long) k1 << 32) | Integer.toUnsignedLong(k0);
        }

        @Override
        public String toString() {
            return "R=" + rounds + " ctr=" + hex(counter) + " key=" + hex(new int[] {k0, k1});
        }
    }

    public static List<Vector> all() {
        List<Vector> out = new ArrayList<>();
        try (InputStream in = PhiloxKnownAnswers.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath (it ships in eggroll-kernels)");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                String[] f = t.split("\\s+");
                if (f.length != 11) {
                    throw new IllegalStateException(RESOURCE + ": expected 11 fields, got " + f.length + ": " + t);
                }
                int[] w = new int[10];
                for (int i = 0; i < 10; i++) {
                    w[i] = Integer.parseUnsignedInt(f[i + 1], 16);
                }
                out.add(new Vector(Integer.parseInt(f[0]), new int[] {w[0], w[1], w[2], w[3]}, w[4], w[5],
                        new int[] {w[6], w[7], w[8], w[9]}));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The vectors with eggroll's round count, {@link Philox#ROUNDS}. */
    public static List<Vector> eggrollRounds() {
        return all().stream().filter(v -> v.rounds() == Philox.ROUNDS).toList();
    }

    private static String hex(int[] w) {
        StringBuilder sb = new StringBuilder();
        for (int x : w) {
            sb.append(sb.isEmpty() ? "" : " ").append(String.format("%08x", x));
        }
        return sb.toString();
    }
}
