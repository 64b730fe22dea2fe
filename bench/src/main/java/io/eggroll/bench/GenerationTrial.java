package io.eggroll.bench;

import io.eggroll.backend.Backend;
import io.eggroll.es.EsConfig;
import io.eggroll.es.EsMode;
import io.eggroll.es.Eggroll;
import io.eggroll.es.Fitness;
import io.eggroll.es.FitnessShaping;
import io.eggroll.es.Generation;
import io.eggroll.snn.SnnConfig;
import io.eggroll.util.Parallel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One ES generation on a backend, timed in its parts: {@code evaluate} (the population on the
 * batch), {@code host} (fitness and shaping), {@code update} (the gradient estimate and the
 * optimizer step) and their sum {@code generation}. Optionally also {@code noise}: the time to
 * generate, alone, every factor the evaluation generates (not part of {@code generation}).
 */
public final class GenerationTrial {

    /** Keys of the timings a trial returns. */
    public static final String GENERATION = "generation";
    public static final String EVALUATE = "evaluate";
    public static final String HOST = "host";
    public static final String UPDATE = "update";
    public static final String NOISE = "noise";

    private final Backend backend;
    private final Workload work;
    private final EsConfig es;
    private final Parallel noisePool;
    private final boolean fixedGeneration;
    private final long seed;
    private int next;
    private float[] lastReadouts;
    private int lastLivePairs;

    /**
     * @param noisePool       workers for the noise-only timing, or null to skip it
     * @param fixedGeneration run generation 0 every time (identical work and results each call,
     *                        when the state is reloaded before each call); else 0, 1, 2, ...
     * @param seed            the run seed keying the noise
     */
    public GenerationTrial(Backend backend, Workload work, EsConfig es, Parallel noisePool, boolean fixedGeneration,
                           long seed) {
        this.seed = seed;
        this.backend = backend;
        this.work = work;
        this.es = es;
        this.noisePool = noisePool;
        this.fixedGeneration = fixedGeneration;
    }

    public Map<String, Double> run() {
        Generation g = new Generation(seed, fixedGeneration ? 0 : next++, es);
        long t0 = System.nanoTime();
        float[] readouts = backend.evaluate(work.spikes(), g);
        double eval = Alternation.since(t0);
        long t1 = System.nanoTime();
        float[] fitness = Fitness.compute(es.fitness(), es.temperature(), readouts, es.population(), work.batch(),
                work.net().outputs(), work.spikes().labels());
        FitnessShaping.Shaped shaped = FitnessShaping.shape(es.shaping(), fitness);
        double host = Alternation.since(t1);
        long t2 = System.nanoTime();
        backend.update(g, shaped.weights(), shaped.effectivePopulation(), work.state().optimizer().learningRate());
        double update = Alternation.since(t2);
        lastReadouts = readouts;
        lastLivePairs = livePairs(shaped.weights());
        Map<String, Double> t = new LinkedHashMap<>();
        t.put(GENERATION, eval + host + update);
        t.put(EVALUATE, eval);
        t.put(HOST, host);
        t.put(UPDATE, update);
        if (noisePool != null) {
            t.put(NOISE, evaluationNoise(noisePool, g, work.net()));
        }
        return t;
    }

    /** The rank of the configuration this trial runs. */
    public int rank() {
        return es.rank();
    }

    /** Antithetic pairs of the latest call whose weight {@code f_2k - f_2k+1} is not 0: the pairs the update sums. */
    public int lastLivePairs() {
        return lastLivePairs;
    }

    static int livePairs(float[] shaped) {
        int live = 0;
        for (float d : Eggroll.pairWeights(shaped)) {
            live += d != 0f ? 1 : 0;
        }
        return live;
    }

    /** The readouts of the latest call ({@code N x B x C}). */
    public float[] lastReadouts() {
        return lastReadouts;
    }

    /**
     * Seconds to generate every perturbation factor one evaluation of generation {@code g} needs
     * (A and B, or E for full rank, and the bias noise, for every pair and layer), parallel over
     * pairs like the cpu backend.
     */
    public static double evaluationNoise(Parallel pool, Generation g, SnnConfig net) {
        EsConfig es = g.es();
        boolean lowRank = es.mode() == EsMode.EGGROLL;
        int r = es.rank();
        float[][][] buf = new float[pool.threads()][][];
        long t0 = System.nanoTime();
        pool.forEach(es.pairs(), (w, k) -> {
            float[][] b = buf[w];
            if (b == null) {
                b = buf[w] = new float[3 * net.layers()][];
                for (int l = 0; l < net.layers(); l++) {
                    int m = net.fanIn(l);
                    int n = net.fanOut(l);
                    b[3 * l] = new float[lowRank ? m * r : Math.multiplyExact(m, n)];
                    b[3 * l + 1] = new float[n * r];
                    b[3 * l + 2] = new float[n];
                }
            }
            for (int l = 0; l < net.layers(); l++) {
                int m = net.fanIn(l);
                int n = net.fanOut(l);
                if (lowRank) {
                    Eggroll.factorA(g.seed(), k, g.index(), l, es.noise(), m, r, b[3 * l]);
                    Eggroll.factorB(g.seed(), k, g.index(), l, es.noise(), n, r, b[3 * l + 1]);
                } else {
                    Eggroll.fullNoise(g.seed(), k, g.index(), l, es.noise(), m, n, b[3 * l]);
                }
                if (es.biasNoise()) {
                    Eggroll.biasNoise(g.seed(), k, g.index(), l, es.noise(), n, b[3 * l + 2]);
                }
            }
        });
        return Alternation.since(t0);
    }

    /** Perturbation bytes one member holds while it is evaluated: r(m + n) (or m n) plus n bias values per layer. */
    public static long bytesInFlight(EsConfig es, SnnConfig net) {
        long values = 0;
        for (int l = 0; l < net.layers(); l++) {
            values += es.perturbationValues(net.fanIn(l), net.fanOut(l)) + (es.biasNoise() ? net.fanOut(l) : 0);
        }
        return 4 * values;
    }

    /**
     * Perturbation bytes per member at rest: the 8-byte run seed plus the 4-byte generation and
     * pair counters that key its noise streams, whatever m and n are.
     */
    public static long bytesAtRest() {
        return Long.BYTES + 2 * Integer.BYTES;
    }
}
