package io.eggroll.train;

import io.eggroll.backend.Backend;
import io.eggroll.backend.ModelState;
import io.eggroll.data.SpikeDataset;
import io.eggroll.es.EsConfig;
import io.eggroll.es.FitnessShaping;
import io.eggroll.es.Generation;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.train.schedule.ScheduleRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ES generation loop, the one every run goes through: the {@link PopulationEvaluator} gives
 * each member's fitness on the minibatch keyed by (seed, generation); the loop shapes it on the
 * host, leaves out members with non-finite fitness, applies the update on the backend with the
 * step's learning rate, and emits the generation's schedule record. It writes metrics each
 * generation, checks accuracy on the validation split every {@code evalEvery} generations and writes atomic
 * checkpoints every {@code checkpointEvery}. A failure mid-run leaves the last checkpoint intact.
 */
public final class Trainer {

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);

    /** The outcome of a run. */
    public record Result(ModelState state, int generations, double validationAccuracy, double seconds,
                         List<GenerationStats> history) {}

    private final TrainConfig cfg;
    private final SpikeDataset train;
    private final SpikeDataset validation;
    private final Backend backend;
    private final RunDirectory run;
    private final PopulationEvaluator evaluator;
    private final List<TrainListener> listeners = new ArrayList<>();
    private volatile boolean stopRequested;
    private volatile boolean stopped;

    /** A run whose population this process's {@code backend} evaluates. */
    public Trainer(TrainConfig cfg, SpikeDataset train, SpikeDataset validation, Backend backend, RunDirectory run) {
        this(cfg, train, validation, backend, run, LocalEvaluator.of(backend, train, cfg));
    }

    /**
     * A run whose population {@code evaluator} evaluates; {@code backend} holds the weights, applies
     * the updates and runs the periodic checks on {@code validation}. {@code run} may be null (nothing written).
     */
    public Trainer(TrainConfig cfg, SpikeDataset train, SpikeDataset validation, Backend backend, RunDirectory run,
                   PopulationEvaluator evaluator) {
        this.cfg = cfg;
        this.train = train;
        this.validation = validation;
        this.backend = backend;
        this.run = run;
        this.evaluator = evaluator;
    }

    public Trainer listen(TrainListener l) {
        listeners.add(l);
        return this;
    }

    /**
     * Asks the loop to stop after the generation in flight (any thread may call it, e.g. a
     * shutdown hook on SIGINT): it finishes that generation, writes its checkpoint and returns.
     */
    public void requestStop() {
        stopRequested = true;
    }

    /** Whether the last {@link #run} stopped early on {@link #requestStop}; its checkpoint is then the last generation run. */
    public boolean stopped() {
        return stopped;
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
        stopped = false;
        OptimizerConfig optimizer = state.optimizer();
        long step = state.optimizerState().step();
        List<GenerationStats> history = new ArrayList<>();
        double validationAcc = Double.NaN;
        if (start == 0 && run != null) {
            checkpoint(run.initialCheckpoint(), -1, elapsedBefore);
        }
        evaluator.begin(state, start);
        try {
            long t0 = System.nanoTime();
            for (int gen = start; gen < cfg.generations; gen++) {
                long g0 = System.nanoTime();
                Generation g = new Generation(cfg.seed, gen, es);
                PopulationEvaluator.Fitnesses f = evaluator.evaluate(g);
                // The update path ask/tell shares (EsUpdate): shaping, exclusion, the optimizer step.
                EsUpdate.Applied applied = EsUpdate.apply(backend, g, f.fitness(), optimizer, step, this::excluded);
                step = applied.step();
                FitnessShaping.Shaped shaped = applied.shaped();
                float learningRate = applied.learningRate();
                ScheduleRecord record = applied.record();
                evaluator.updated(record, applied.updateNanos());
                for (TrainListener l : listeners) {
                    l.onUpdate(record);
                }
                boolean last = gen == cfg.generations - 1;
                double acc = Double.NaN;
                if ((gen + 1) % cfg.evalEvery == 0 || last) {
                    acc = Evaluation.of(backend, validation, cfg.evalSamples, cfg.batch * 8).accuracy();
                    validationAcc = acc;
                }
                double now = elapsedBefore + (System.nanoTime() - t0) / 1e9;
                double genSec = (System.nanoTime() - g0) / 1e9;
                GenerationStats s = GenerationStats.of(gen, f.fitness(), f.correct(), cfg.batch, acc, now, genSec,
                        shaped.excluded(), learningRate, es.sigma());
                history.add(s);
                if (run != null) {
                    run.appendMetrics(s);
                }
                for (TrainListener l : listeners) {
                    l.onStats(s, cfg.generations);
                }
                boolean stopping = stopRequested && !last;
                if (run != null && ((gen + 1) % cfg.checkpointEvery == 0 || last || stopping)) {
                    checkpoint(run.latestCheckpoint(), gen, now);
                }
                if (stopping) {
                    LOG.info("stopped on request after generation {}", gen);
                    stopped = true;
                    return new Result(backend.state(), gen + 1, validationAcc,
                            elapsedBefore + (System.nanoTime() - t0) / 1e9, history);
                }
            }
            ModelState end = backend.state();
            evaluator.end(cfg.generations, end);
            double total = elapsedBefore + (System.nanoTime() - t0) / 1e9;
            return new Result(end, cfg.generations, validationAcc, total, history);
        } finally {
            evaluator.stop();
        }
    }

    /** A member with non-finite fitness: its antithetic pair is excluded from the update (warned and reported). */
    private void excluded(int gen, int m, float fitness) {
        LOG.warn("generation {}: member {} has fitness {}; its antithetic pair is excluded from the update",
                gen, m, fitness);
        for (TrainListener l : listeners) {
            l.onExcluded(gen, m, fitness);
        }
    }

    private void checkpoint(Path file, int gen, double elapsed) {
        ModelState st = backend.state();
        try {
            Checkpoint.write(file, new Checkpoint.Data(cfg, gen, st, train.fingerprint(), elapsed));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
        for (TrainListener l : listeners) {
            l.onCheckpoint(gen, file);
        }
        if (gen >= 0) {
            evaluator.checkpointed(gen, st);
        }
    }
}
