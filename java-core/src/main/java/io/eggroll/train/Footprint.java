package io.eggroll.train;

import io.eggroll.data.NmnistFormat;
import io.eggroll.es.EsMode;
import io.eggroll.train.TrainConfig.ConfigException;
import io.eggroll.util.FileSize;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What a training run allocates, sized from its config before anything is: the longest arrays
 * (each must be indexable by an {@code int}) and the heap they take together. Computed in
 * {@code long} arithmetic that saturates instead of overflowing, so a config with absurd widths is
 * refused by name, never by an {@code ArithmeticException} or an {@code OutOfMemoryError} after the
 * run has started. The sizes follow the cpu backend (the host-side arrays of every backend are no
 * larger): weights and optimizer moments, the update's sums, each thread's evaluation scratch, a
 * batch's layer-1 input and readouts, the cpu backend's all-pairs layer-1 projections, and the synthetic
 * task's spike bits.
 */
public final class Footprint {

    /** Pairs the cpu update multiplies at once (CpuBackend.UPDATE_PAIR_BLOCK). */
    private static final long UPDATE_PAIR_BLOCK = 64;

    /**
     * One kind of array: {@code count} arrays of {@code length} elements of {@code elementBytes}
     * each; {@code field} is the config field that makes it large, {@code what} what it holds.
     */
    private record Item(String field, String what, long length, int elementBytes, long count) {
        long bytes() {
            return mul(mul(length, elementBytes), count);
        }
    }

    private final List<Item> items = new ArrayList<>();

    private Footprint() {}

    /** The footprint of {@code c} (whose fields are in range: call after {@link TrainConfig#validate()}'s checks). */
    public static Footprint of(TrainConfig c) {
        Footprint f = new Footprint();
        boolean synthetic = c.task.equals("synthetic");
        long inputs = synthetic ? c.synthetic.inputs
                : 2L * Math.ceilDiv(NmnistFormat.WIDTH, c.data.pool) * Math.ceilDiv(NmnistFormat.HEIGHT, c.data.pool);
        long classes = synthetic ? c.synthetic.classes : 10;
        long steps = synthetic ? c.synthetic.timesteps : c.data.timesteps;
        long[] sizes;
        String[] fields;
        long[][] matrices = null; // conv networks: each layer's weight matrix (m, n), a kernel for a conv layer
        if (c.network.layers != null && (synthetic || c.task.equals("nmnist"))) {
            // the input shape is known: the layer shapes are computed exactly (a shape that does not fit is refused)
            io.eggroll.snn.SnnConfig net = c.networkConfig(Math.toIntExact(inputs), Math.toIntExact(classes));
            int[] s = net.sizes();
            sizes = new long[s.length];
            fields = new String[s.length];
            matrices = new long[net.layers()][];
            for (int l = 0; l < s.length; l++) {
                sizes[l] = s[l];
                fields[l] = l > 0 && l < s.length - 1 ? "network.layers[" + (l - 1) + "]" : null;
            }
            for (int l = 0; l < net.layers(); l++) {
                matrices[l] = new long[] {net.fanIn(l), net.fanOut(l)};
            }
        } else {
            // network.layers on a task whose input shape is known only from its files: the dense entries
            int[] hidden = c.network.layers == null ? c.network.hidden
                    : java.util.Arrays.stream(c.network.layers).filter(e -> e.conv == null).mapToInt(e -> e.dense).toArray();
            sizes = new long[hidden.length + 2];
            fields = new String[sizes.length];
            for (int i = 0; i < hidden.length; i++) {
                sizes[i + 1] = hidden[i];
                fields[i + 1] = c.network.layers == null ? "network.hidden[" + i + "]" : "network.layers";
            }
        }
        sizes[0] = inputs;
        fields[0] = synthetic ? "synthetic.inputs" : null; // N-MNIST's inputs are few, whatever data.pool
        sizes[sizes.length - 1] = classes;
        fields[sizes.length - 1] = synthetic ? "synthetic.classes" : null;
        long population = c.es.population();
        long rank = c.es.mode() == EsMode.EGGROLL ? Math.max(1, c.es.rank()) : 0;
        long threads = c.resolvedThreads();
        long moments = (c.optimizer.usesFirstMoment() ? 1 : 0) + (c.optimizer.usesSecondMoment() ? 1 : 0);
        long block = Math.min(UPDATE_PAIR_BLOCK, population / 2);

        for (int l = 0; l + 1 < sizes.length; l++) {
            long m = matrices == null ? sizes[l] : matrices[l][0];
            long n = matrices == null ? sizes[l + 1] : matrices[l][1];
            // the wider side names the field, unless it is N-MNIST's fixed inputs or classes
            String field = fields[l] == null || (fields[l + 1] != null && n >= m) ? fields[l + 1] : fields[l];
            if (field == null) {
                field = c.network.layers != null ? "network.layers" : "network.hidden";
            }
            String layer = String.format(Locale.ROOT, "layer %d (%d x %d)", l + 1, m, n);
            // parameters, optimizer moments, the update's sum (held for every layer until applied)
            f.add(field, "the weights of " + layer + ", their optimizer state and update", mul(m, n), 4, 2 + moments);
            if (rank > 0) {
                long q = mul(block, rank);
                f.add(field, "the update's noise factors of " + layer, mul(m, q), 4, 1);
                f.add(field, "the update's noise factors of " + layer, mul(q, n), 4, 1);
                f.add(field, "each thread's evaluation scratch of " + layer, mul(m, n + rank), 4, threads);
            } else {
                f.add(field, "each thread's full-rank noise of " + layer, mul(m, n), 4, threads);
            }
        }
        f.add("batch", "a batch's layer-1 input (batch x timesteps x the first hidden layer's neurons)",
                mul(mul(c.batch, steps), sizes[1]), 4, 1);
        if (rank > 0) {
            // the cpu backend's layer-1 projections of all pairs at once, where it forms them
            long width = mul(population / 2, rank);
            long projections = mul(mul(width, c.batch), steps);
            long side = mul(width, inputs);
            if (projections <= io.eggroll.backend.cpu.CpuBackend.MAX_PROJECTIONS
                    && side <= io.eggroll.backend.cpu.CpuBackend.MAX_PROJECTIONS) {
                f.add("es.population", "layer 1's x A of every pair (pairs x rank x batch x timesteps)",
                        projections, 4, 1);
                f.add("es.population", "every pair's layer-1 A factor side by side (inputs x pairs x rank)", side, 4, 1);
            }
        }
        f.add("es.population", "a batch's readouts (es.population x batch x classes)",
                mul(mul(population, c.batch), classes), 4, 1);
        if (synthetic) {
            long words = Math.ceilDiv(inputs, 64);
            f.add("synthetic.trainSamples", "the synthetic training spikes (samples x timesteps x inputs bits)",
                    mul(mul(c.synthetic.trainSamples, steps), words), 8, 1);
            f.add("synthetic.testSamples", "the synthetic test spikes (samples x timesteps x inputs bits)",
                    mul(mul(c.synthetic.testSamples, steps), words), 8, 1);
            f.add("data.validation", "the synthetic validation spikes (samples x timesteps x inputs bits)",
                    mul(mul(c.data.validationCount(c.synthetic.trainSamples), steps), words), 8, 1);
        }
        return f;
    }

    private void add(String field, String what, long length, int elementBytes, long count) {
        items.add(new Item(field, what, length, elementBytes, count));
    }

    /** Heap bytes of every array together (saturating at {@code Long.MAX_VALUE}). */
    public long bytes() {
        long sum = 0;
        for (Item i : items) {
            sum = add(sum, i.bytes());
        }
        return sum;
    }

    /** Throws a {@link ConfigException} naming the field when an array would be too long for an int index. */
    public void requireIndexable() {
        for (Item i : items) {
            if (i.length() > FileSize.MAX_ARRAY) {
                throw new ConfigException(String.format(Locale.ROOT, "%s is too large: %s would need %s elements, "
                        + "more than a Java array holds (%d); make %s smaller", i.field(), i.what(),
                        i.length() == Long.MAX_VALUE ? "more than 2^63" : Long.toString(i.length()), FileSize.MAX_ARRAY, i.field()));
            }
        }
    }

    /**
     * Throws a {@link ConfigException} when the run needs more than {@code maxMemory} bytes of
     * heap, naming the fields whose arrays take the most; also {@link #requireIndexable()}.
     */
    public void requireFits(long maxMemory) {
        requireIndexable();
        long need = bytes();
        if (need <= maxMemory) {
            return;
        }
        List<Item> largest = new ArrayList<>(items);
        largest.sort(Comparator.comparingLong(Item::bytes).reversed());
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "the run needs at least %s of heap, and this JVM has at most %s: ", mib(need), mib(maxMemory)));
        for (int k = 0; k < Math.min(3, largest.size()); k++) {
            Item i = largest.get(k);
            sb.append(k == 0 ? "" : ", ").append(i.field()).append(" (").append(i.what()).append(": ")
                    .append(mib(i.bytes())).append(')');
        }
        sb.append("; make ").append(largest.get(0).field())
                .append(" smaller, or give the JVM more heap (EGGROLL_JAVA_OPTS=-Xmx<size>)");
        throw new ConfigException(sb.toString());
    }

    private static String mib(long bytes) {
        return bytes == Long.MAX_VALUE ? "more than 8 EiB" : String.format(Locale.ROOT, "%,d MiB", Math.ceilDiv(bytes, 1L << 20));
    }

    private static long mul(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return (hi == 0 && lo >= 0) ? lo : Long.MAX_VALUE;
    }

    private static long add(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }
}
