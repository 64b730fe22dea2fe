package io.eggroll.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eggroll.backend.Backend;
import io.eggroll.backend.ModelState;
import io.eggroll.data.SpikeDataset;
import io.eggroll.es.EsConfig;
import io.eggroll.es.Fitness;
import io.eggroll.es.FitnessShaping;
import io.eggroll.es.Generation;
import io.eggroll.snn.SpikeBatch;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ES loop: sample a minibatch keyed by (seed, generation), evaluate the population, compute
 * and shape fitness on the host, update on the backend; write metrics each generation and atomic
 * checkpoints periodically. A failure mid-run leaves the last checkpoint intact.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    /** The outcome of a run. */
    public record Result(ModelState state, int generations, double heldoutAccuracy, double seconds,
                         List<GenerationStats> history) {}

    private final TrainConfig cfg;
    private final SpikeDataset train;
    private final SpikeDataset heldout;
    private final Backend backend;
    private final RunDirectory run;
    private final List<TrainListener> listeners = new ArrayList<>();

    public Trainer(TrainConfig cfg, SpikeDataset train, SpikeDataset heldout, Backend backend, RunDirectory run) {
        this.cfg = cfg;
        this.train = train;
        this.heldout = heldout;
        this.backend = backend;
        this.run = run;
    }

    public Trainer listen(TrainListener l) {
        listeners.add(l);
        return this;
    }

    /**
     * Runs generations {@code [start, cfg.generations)} from the given state. {@code elapsedBefore}
     * is the wall time already spent (when resuming).
     */
    public Result run(ModelState state, int start, double elapsedBefore) {
        EsConfig es = cfg.esConfig();
        es.validateFor(state.network());
        if (state.network().inputs() != train.inputs() || state.network().outputs() < train.classes()) {
            throw new IllegalArgumentException("network " + state.network() + " does not fit dataset " + train.name()
                    + " (" + train.inputs() + " inputs, " + train.classes() + " classes)");
        }
        backend.load(state);
        BatchSampler sampler = new BatchSampler(cfg.seed, train.size(), cfg.batch);
        List<GenerationStats> history = new ArrayList<>();
        long t0 = System.nanoTime();
        double heldoutAcc = Double.NaN;
        int classes = state.network().outputs();
        if (start == 0 && run != null) {
            checkpoint(run.initialCheckpoint(), -1, elapsedBefore);
        }
        for (int gen = start; gen < cfg.generations; gen++) {
            long g0 = System.nanoTime();
            Generation g = new Generation(cfg.seed, gen, es);
            SpikeBatch batch = SpikeBatch.gather(train, sampler.indices(gen));
            float[] readouts = backend.evaluate(batch, g);
            float[] fitness = Fitness.compute(es.fitness(), es.temperature(), readouts, es.population(),
                    batch.samples(), classes, batch.labels());
            FitnessShaping.Shaped shaped = FitnessShaping.shape(es.shaping(), fitness);
            for (int m : shaped.excluded()) {
                if (!Float.isFinite(fitness[m])) {
                    LOG.warn("generation {}: member {} has fitness {}; its antithetic pair is excluded from the update",
                            gen, m, fitness[m]);
                    for (TrainListener l : listeners) {
                        l.onExcluded(gen, m, fitness[m]);
                    }
                }
            }
            if (shaped.effectivePopulation() == 0) {
                throw new IllegalStateException("generation " + gen + ": every member's fitness is NaN or infinite; "
                        + "the network diverged (try a smaller optimizer.learningRate or es.sigma)");
            }
            backend.update(g, shaped.weights(), shaped.effectivePopulation());
            for (TrainListener l : listeners) {
                l.onUpdate(g, shaped.weights(), shaped.effectivePopulation());
            }
            boolean last = gen == cfg.generations - 1;
            double acc = Double.NaN;
            if ((gen + 1) % cfg.evalEvery == 0 || last) {
                acc = evaluate(backend, heldout, cfg.evalSamples, cfg.batch * 8).accuracy();
                heldoutAcc = acc;
            }
            double now = elapsedBefore + (System.nanoTime() - t0) / 1e9;
            double genSec = (System.nanoTime() - g0) / 1e9;
            GenerationStats s = stats(gen, fitness, readouts, batch, classes, acc, now, genSec, shaped.excluded(),
                    es.population());
            history.add(s);
            if (run != null) {
                run.appendMetrics(s);
            }
            for (TrainListener l : listeners) {
                l.onStats(s, cfg.generations);
            }
            if (run != null && ((gen + 1) % cfg.checkpointEvery == 0 || last)) {
                checkpoint(run.latestCheckpoint(), gen, now);
            }
        }
        double total = elapsedBefore + (System.nanoTime() - t0) / 1e9;
        return new Result(backend.state(), cfg.generations, heldoutAcc, total, history);
    }

    private void checkpoint(Path file, int gen, double elapsed) {
        try {
            Checkpoint.write(file, new Checkpoint.Data(cfg, gen, backend.state(), train.fingerprint(), elapsed));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
        for (TrainListener l : listeners) {
            l.onCheckpoint(gen, file);
        }
    }

    private static GenerationStats stats(int gen, float[] fitness, float[] readouts, SpikeBatch batch, int classes,
                                         double heldout, double seconds, double genSec, int[] excluded, int n) {
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        int finite = 0;
        for (float f : fitness) {
            if (Float.isFinite(f)) {
                sum += f;
                max = Math.max(max, f);
                finite++;
            }
        }
        int samples = batch.samples();
        int correct = 0;
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < samples; s++) {
                correct += Fitness.argmax(readouts, (i * samples + s) * classes, classes) == batch.labels()[s] ? 1 : 0;
            }
        }
        return new GenerationStats(gen, finite == 0 ? Double.NaN : sum / finite, max,
                (double) correct / ((long) n * samples), heldout, seconds, genSec,
                (double) n * samples / genSec, excluded);
    }

    /** Accuracy and confusion matrix of the resident network on (a prefix of) a dataset. */
    public record Evaluation(double accuracy, int samples, long[][] confusion) {
        public double classAccuracy(int c) {
            long total = 0;
            for (long x : confusion[c]) {
                total += x;
            }
            return total == 0 ? Double.NaN : (double) confusion[c][c] / total;
        }
    }

    /**
     * Runs the unperturbed network on {@code limit} samples (0 = all) in chunks. A limited
     * evaluation takes every (size / limit)-th sample, so it covers all classes even when the
     * dataset is ordered by class.
     */
    public static Evaluation evaluate(Backend backend, SpikeDataset data, int limit, int chunk) {
        int n = limit == 0 ? data.size() : Math.min(limit, data.size());
        int size = data.size();
        int classes = data.classes();
        long[][] confusion = new long[classes][classes];
        int correct = 0;
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            int[] ids = new int[to - from];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = (int) ((long) (from + i) * size / n);
            }
            SpikeBatch b = SpikeBatch.gather(data, ids);
            float[] scores = backend.infer(b);
            int c = scores.length / b.samples();
            for (int s = 0; s < b.samples(); s++) {
                int pred = Fitness.argmax(scores, s * c, c);
                int label = b.labels()[s];
                if (pred == label) {
                    correct++;
                }
                if (pred >= 0 && pred < classes) {
                    confusion[label][pred]++;
                }
            }
        }
        return new Evaluation(n == 0 ? 0 : (double) correct / n, n, confusion);
    }

    /** Metrics JSON for one generation, as written to metrics.jsonl. */
    static String toJson(GenerationStats s) {
        ObjectMapper om = new ObjectMapper();
        ObjectNode o = om.createObjectNode();
        o.put("generation", s.generation());
        putNumber(o, "fitness_mean", s.fitnessMean());
        putNumber(o, "fitness_max", s.fitnessMax());
        putNumber(o, "minibatch_accuracy", s.minibatchAccuracy());
        putNumber(o, "heldout_accuracy", s.heldoutAccuracy());
        o.put("seconds", Math.round(s.seconds() * 1000) / 1000.0);
        o.put("generation_seconds", Math.round(s.generationSeconds() * 10000) / 10000.0);
        o.put("member_evals_per_second", Math.round(s.memberEvaluationsPerSecond()));
        o.putPOJO("excluded_members", s.excludedMembers());
        return o.toString();
    }

    private static void putNumber(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) {
            o.put(k, v);
        } else {
            o.putNull(k);
        }
    }

    /** Appends to a file, creating it. */
    static void append(Path file, String line) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND)) {
            w.write(line);
            w.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }
}
