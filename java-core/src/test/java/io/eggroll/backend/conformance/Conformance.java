package io.eggroll.backend.conformance;

import io.eggroll.backend.Backend;
import io.eggroll.backend.ModelState;
import io.eggroll.es.Fitness;
import io.eggroll.es.Generation;
import io.eggroll.rng.Noise;
import io.eggroll.rng.NoiseKind;
import io.eggroll.rng.PhiloxKnownAnswers;
import io.eggroll.snn.SpikeBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The conformance checks of a backend against a reference (the plain definition,
 * {@link DefinitionBackend}), as plain measurements (no test framework) so that both the JUnit
 * suite ({@link BackendConformanceTest}) and stand-alone checkers on machines without Maven (the
 * OpenCL {@code GpuCheck}) use the same code.
 *
 * <p>Stated bounds for backends that do not claim bit-exactness (the cpu backend does, and is
 * held to identical bits):
 * <ul>
 *   <li>Noise: bit-identical values.</li>
 *   <li>Readouts: identical in at least {@value #READOUT_AGREEMENT} of (member, sample) pairs.
 *       Backends follow the reference's float operation order, but a device may round a
 *       division or accumulate differently; a membrane potential within an ulp of the threshold
 *       can then flip one spike, which changes that pair's readout.</li>
 *   <li>Fitness (negative cross-entropy at temperature T): log-softmax moves by at most
 *       {@code 2 ||dz||_inf} when its input moves by dz, so member i's fitness may differ by at
 *       most {@code 2 sum_s ||d readout_is||_1 / (B T)} plus {@value #FITNESS_ROUNDING} for
 *       rounding; identical readouts give identical fitness.</li>
 *   <li>Update: every weight, bias and optimizer moment within {@value #UPDATE_RELATIVE}
 *       relative of the reference (relative to the larger of the two values, floored at
 *       1e-3 times the tensor's largest magnitude so that values near zero are not held to
 *       an unreachable standard).</li>
 * </ul>
 */
public final class Conformance {

    public static final double READOUT_AGREEMENT = 0.999;
    public static final double FITNESS_ROUNDING = 1e-5;
    public static final double UPDATE_RELATIVE = 1e-5;

    private Conformance() {}

    /** Noise values that differ in at least one bit from {@link Noise#at}, out of {@code checked}. */
    public record NoiseResult(int checked, int mismatches, String firstMismatch) {}

    /** Random counters over every kind and both distributions; counts values not bit-identical. */
    public static NoiseResult noise(NoiseProbe probe, long seed, int count) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int checked = 0;
        int bad = 0;
        String first = null;
        for (NoiseKind kind : NoiseKind.values()) {
            for (int kindCode = Noise.KIND_A; kindCode <= Noise.KIND_FULL; kindCode++) {
                long key = rnd.nextLong();
                int pair = rnd.nextInt(1 << 20);
                int gen = rnd.nextInt(1 << 16);
                int stream = Noise.stream(rnd.nextInt(8), kindCode);
                int[] elements = new int[count];
                for (int i = 0; i < count; i++) {
                    elements[i] = i < 16 ? i : rnd.nextInt(Integer.MAX_VALUE);
                }
                float[] got = probe.noise(key, pair, gen, stream, kind, elements);
                for (int i = 0; i < count; i++) {
                    float want = Noise.at(key, pair, gen, stream, kind, Integer.toUnsignedLong(elements[i]));
                    checked++;
                    if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(got[i])) {
                        bad++;
                        if (first == null) {
                            first = kind + " seed=" + key + " pair=" + pair + " gen=" + gen + " stream=" + stream
                                    + " element=" + elements[i] + ": want " + want + " got " + got[i];
                        }
                    }
                }
            }
        }
        return new NoiseResult(checked, bad, first);
    }

    /**
     * The Philox known-answer vectors ({@link PhiloxKnownAnswers}, eggroll's 10 rounds) through a
     * backend's noise: Rademacher element {@code 128 b + 32 w + i} is bit i of word w of block b,
     * so the 128 elements of a block spell out its four Philox words. Vectors whose first counter
     * word (the block) does not fit a 32-bit element index are left out. Returns one line per
     * vector that differs, empty when all match.
     */
    public static List<String> knownAnswers(NoiseProbe probe) {
        List<String> bad = new ArrayList<>();
        for (PhiloxKnownAnswers.Vector v : PhiloxKnownAnswers.eggrollRounds()) {
            int[] c = v.counter();
            if (Integer.toUnsignedLong(c[0]) >= 1L << 25) {
                continue;
            }
            int[] elements = new int[128];
            for (int e = 0; e < 128; e++) {
                elements[e] = c[0] * 128 + e;
            }
            float[] values = probe.noise(v.seed(), c[1], c[2], c[3], NoiseKind.RADEMACHER, elements);
            int[] words = new int[4];
            for (int e = 0; e < 128; e++) {
                words[e >> 5] |= (values[e] > 0 ? 1 : 0) << (e & 31);
            }
            if (!Arrays.equals(words, v.expected())) {
                bad.add(v + ": got words " + Arrays.toString(words) + ", want " + Arrays.toString(v.expected()));
            }
        }
        return bad;
    }

    /**
     * Readout comparison of one evaluation: how many (member, sample) pairs are identical, the
     * largest fitness difference and its bound, the largest readout difference.
     */
    public record ReadoutResult(int pairs, int identical, double maxFitnessDiff, double maxFitnessExcess,
                                double maxReadoutDiff, String firstDifference) {

        public double agreement() {
            return pairs == 0 ? 1.0 : (double) identical / pairs;
        }

        public ReadoutResult plus(ReadoutResult o) {
            return new ReadoutResult(pairs + o.pairs, identical + o.identical,
                    Math.max(maxFitnessDiff, o.maxFitnessDiff), Math.max(maxFitnessExcess, o.maxFitnessExcess),
                    Math.max(maxReadoutDiff, o.maxReadoutDiff), firstDifference != null ? firstDifference : o.firstDifference);
        }

        public static ReadoutResult empty() {
            return new ReadoutResult(0, 0, 0, 0, 0, null);
        }
    }

    /** Evaluates the case's whole population on both backends and compares. */
    public static ReadoutResult evaluate(Backend reference, Backend candidate, ConformanceCase c) {
        reference.load(c.state());
        candidate.load(c.state());
        Generation g = c.generation();
        float[] want = reference.evaluate(c.batch(), g);
        float[] got = candidate.evaluate(c.batch(), g);
        return compare(want, got, g.es().population(), c.batch(), c.state().network().outputs(),
                g.es().temperature(), c.toString());
    }

    /** Runs the unperturbed network of the case on both backends and compares (one member). */
    public static ReadoutResult infer(Backend reference, Backend candidate, ConformanceCase c) {
        reference.load(c.state());
        candidate.load(c.state());
        float[] want = reference.infer(c.batch());
        float[] got = candidate.infer(c.batch());
        return compare(want, got, 1, c.batch(), c.state().network().outputs(), c.generation().es().temperature(),
                c + " (infer)");
    }

    /** Compares readouts {@code members x B x C} and the negative cross-entropy fitness they give. */
    public static ReadoutResult compare(float[] want, float[] got, int members, SpikeBatch batch, int classes,
                                        float temperature, String what) {
        if (want.length != got.length) {
            throw new AssertionError(what + ": readout length " + got.length + ", expected " + want.length);
        }
        int samples = batch.samples();
        float[] fw = Fitness.compute(io.eggroll.es.FitnessKind.NEG_CROSS_ENTROPY, temperature, want, members, samples,
                classes, batch.labels());
        float[] fg = Fitness.compute(io.eggroll.es.FitnessKind.NEG_CROSS_ENTROPY, temperature, got, members, samples,
                classes, batch.labels());
        int identical = 0;
        double maxDiff = 0;
        double maxFit = 0;
        double maxExcess = 0;
        String first = null;
        for (int i = 0; i < members; i++) {
            double l1Sum = 0;
            for (int s = 0; s < samples; s++) {
                int off = (i * samples + s) * classes;
                boolean same = true;
                for (int c = 0; c < classes; c++) {
                    double d = Math.abs((double) want[off + c] - got[off + c]);
                    if (Float.floatToRawIntBits(want[off + c]) != Float.floatToRawIntBits(got[off + c])) {
                        same = false;
                    }
                    l1Sum += Double.isNaN(d) ? Double.POSITIVE_INFINITY : d;
                    maxDiff = Math.max(maxDiff, Double.isNaN(d) ? Double.POSITIVE_INFINITY : d);
                }
                if (same) {
                    identical++;
                } else if (first == null) {
                    first = what + ": member " + i + " sample " + s + ": want "
                            + Arrays.toString(Arrays.copyOfRange(want, off, off + classes)) + " got "
                            + Arrays.toString(Arrays.copyOfRange(got, off, off + classes));
                }
            }
            double df = Math.abs((double) fw[i] - fg[i]);
            if (Double.isNaN(df)) {
                df = Double.isNaN(fw[i]) && Double.isNaN(fg[i]) ? 0 : Double.POSITIVE_INFINITY;
            }
            double bound = 2 * l1Sum / ((double) samples * temperature) + FITNESS_ROUNDING * (1 + Math.abs(fw[i]));
            maxFit = Math.max(maxFit, df);
            maxExcess = Math.max(maxExcess, df - bound);
        }
        return new ReadoutResult(members * samples, identical, maxFit, maxExcess, maxDiff, first);
    }

    /** The largest relative difference over all tensors and optimizer buffers, and where it is. */
    public record UpdateResult(int updates, double maxRelative, long values, long bitIdentical, String worst) {}

    /**
     * Loads the case on both backends, applies {@code updates} generations of updates with the
     * same random shaped fitness, and compares the resident states.
     */
    public static UpdateResult update(Backend reference, Backend candidate, ConformanceCase c, int updates) {
        reference.load(c.state());
        candidate.load(c.state());
        Generation g0 = c.generation();
        float[] shaped = c.randomShapedFitness();
        int effective = 0;
        for (int i = 0; i < shaped.length; i += 2) {
            effective += shaped[i] != 0f || shaped[i + 1] != 0f ? 2 : 0;
        }
        effective = Math.max(2, effective);
        for (int u = 0; u < updates; u++) {
            Generation g = new Generation(g0.seed(), g0.index() + u, g0.es());
            float lr = c.state().optimizer().learningRateAt(c.state().optimizerState().step() + u + 1);
            reference.update(g, shaped, effective, lr);
            candidate.update(g, shaped, effective, lr);
        }
        ModelState want = reference.state();
        ModelState got = candidate.state();
        if (want.optimizerState().step() != got.optimizerState().step()) {
            throw new AssertionError(c + ": optimizer step " + got.optimizerState().step() + ", expected "
                    + want.optimizerState().step());
        }
        Diff d = new Diff();
        d.tensors("param", want.params().tensors(), got.params().tensors());
        d.tensors("m", want.optimizerState().first(), got.optimizerState().first());
        d.tensors("v", want.optimizerState().second(), got.optimizerState().second());
        return new UpdateResult(updates, d.max, d.values, d.identical, d.worst == null ? "" : c + ": " + d.worst);
    }

    private static final class Diff {
        double max;
        long values;
        long identical;
        String worst;

        void tensors(String what, float[][] want, float[][] got) {
            for (int t = 0; t < want.length; t++) {
                if (want[t].length != got[t].length) {
                    throw new AssertionError(what + "[" + t + "] has " + got[t].length + " values, expected "
                            + want[t].length);
                }
                double tmax = 0;
                for (float x : want[t]) {
                    tmax = Math.max(tmax, Math.abs(x));
                }
                for (int i = 0; i < want[t].length; i++) {
                    double a = want[t][i];
                    double b = got[t][i];
                    values++;
                    if (Float.floatToRawIntBits(want[t][i]) == Float.floatToRawIntBits(got[t][i])) {
                        identical++;
                        continue;
                    }
                    double denom = Math.max(Math.max(Math.abs(a), Math.abs(b)), 1e-3 * tmax);
                    double rel = denom == 0 ? Double.POSITIVE_INFINITY : Math.abs(a - b) / denom;
                    if (Double.isNaN(rel)) {
                        rel = Double.POSITIVE_INFINITY;
                    }
                    if (rel > max) {
                        max = rel;
                        worst = what + "[" + t + "][" + i + "]: want " + want[t][i] + " got " + got[t][i];
                    }
                }
            }
        }
    }
}
