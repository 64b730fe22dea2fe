package io.eggroll.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs contenders side by side in one process: every round runs each contender once, the order
 * rotating from round to round, so drift in the machine's load or clock reaches all of them alike.
 * Warm-up rounds run the same way and are discarded.
 */
public final class Alternation {

    /** One measured call: returns named durations in seconds (e.g. "evaluate", "update"). */
    @FunctionalInterface
    public interface Trial {
        Map<String, Double> run();
    }

    /** A named contender; {@code prepare} runs before each call, outside the measurement. */
    public record Contender(String name, Runnable prepare, Trial trial) {}

    /** Everything measured for one contender. */
    public record Measured(String name, Map<String, double[]> seconds, long peakHeapBytes) {
        public Summary summary(String key) {
            double[] v = seconds.get(key);
            if (v == null) {
                throw new IllegalArgumentException("contender " + name + " has no measurement '" + key + "'");
            }
            return Summary.of(v);
        }

        public boolean has(String key) {
            return seconds.containsKey(key);
        }
    }

    private Alternation() {}

    public static List<Measured> run(List<Contender> contenders, int warmup, int reps, Consumer<String> log) {
        if (reps < 1) {
            throw new IllegalArgumentException("repetitions must be >= 1, got " + reps);
        }
        if (warmup < 0) {
            throw new IllegalArgumentException("warm-up rounds must be >= 0, got " + warmup);
        }
        int c = contenders.size();
        List<Map<String, double[]>> times = new ArrayList<>();
        long[] peak = new long[c];
        for (int i = 0; i < c; i++) {
            times.add(new LinkedHashMap<>());
        }
        HeapProbe heap = new HeapProbe();
        for (int round = 0; round < warmup + reps; round++) {
            boolean measured = round >= warmup;
            log.accept((measured ? "repetition " + (round - warmup + 1) + "/" + reps : "warm-up " + (round + 1) + "/" + warmup));
            for (int k = 0; k < c; k++) {
                int i = (k + round) % c;
                Contender ct = contenders.get(i);
                ct.prepare().run();
                heap.reset();
                Map<String, Double> t = ct.trial().run();
                long p = heap.peakBytes();
                log.accept("  " + ct.name() + ": " + t);
                if (measured) {
                    peak[i] = Math.max(peak[i], p);
                    int rep = round - warmup;
                    for (var e : t.entrySet()) {
                        times.get(i).computeIfAbsent(e.getKey(), key -> new double[reps])[rep] = e.getValue();
                    }
                }
            }
        }
        List<Measured> out = new ArrayList<>();
        for (int i = 0; i < c; i++) {
            out.add(new Measured(contenders.get(i).name(), times.get(i), peak[i]));
        }
        return out;
    }

    /** Seconds since {@code t0} (a {@link System#nanoTime()} value). */
    public static double since(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
