package io.eggroll.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.backend.Backend;
import io.eggroll.backend.ModelState;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.es.EsMode;
import io.eggroll.es.Generation;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.train.schedule.ScheduleRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrainerTest {

    /** A small, fast synthetic config (the task's defaults, shortened). */
    static TrainConfig small() {
        TrainConfig c = new TrainConfig();
        c.synthetic.trainSamples = 600;
        c.synthetic.testSamples = 300;
        c.synthetic.inputs = 48;
        c.synthetic.timesteps = 16;
        c.network.hidden = new int[] {24};
        c.es = c.es.withPopulation(32);
        c.batch = 32;
        c.generations = 5;
        c.evalEvery = 1000;
        c.checkpointEvery = 5;
        return c;
    }

    static Trainer.Result train(TrainConfig c, int threads, RunDirectory run) {
        TaskData d = TaskData.synthetic(c);
        SnnConfig net = c.networkConfig(d.train().inputs(), d.train().classes());
        try (Backend b = new CpuBackend(threads)) {
            ModelState st = ModelState.fresh(Params.init(net, c.seed, c.network.initGain), c.optimizerConfig());
            return new Trainer(c, d.train(), d.validation(), b, run).run(st, 0, 0);
        }
    }

    @Test
    void oneAndTwoThreadsGiveTheSameWeightsBitForBit() {
        TrainConfig c = small();
        String one = train(c, 1, null).state().params().sha256();
        String two = train(c, 2, null).state().params().sha256();
        assertThat(two).isEqualTo(one);
        // And the weights did move.
        TrainConfig none = small();
        none.generations = 1;
        assertThat(train(none, 2, null).state().params().sha256()).isNotEqualTo(one);
    }

    @Test
    void resumeEqualsUninterruptedBitForBit(@TempDir Path tmp) {
        TrainConfig c = small();
        c.generations = 10;
        c.checkpointEvery = 4;
        c.es = c.es.withMode(EsMode.EGGROLL);
        c.es = c.es.withRank(2);
        String straight = train(c, 2, RunDirectory.create(tmp.resolve("a"), c, false)).state().params().sha256();

        // "Crash" after generation 8: a run of 8 generations leaves latest.ckpt at generation 7.
        TrainConfig first = c.copy();
        first.generations = 8;
        RunDirectory run = RunDirectory.create(tmp.resolve("b"), first, false);
        train(first, 1, run);
        Checkpoint.Data ck = Checkpoint.read(run.latestCheckpoint());
        assertThat(ck.generation()).isEqualTo(7);
        TaskData d = TaskData.synthetic(c);
        try (Backend b = new CpuBackend(2)) {
            Trainer.Result resumed = new Trainer(c, d.train(), d.validation(), b, run).run(ck.state(), ck.nextGeneration(), 0);
            assertThat(resumed.state().params().sha256()).isEqualTo(straight);
        }
    }

    @Test
    void aStopRequestFinishesTheGenerationInFlightCheckpointsItAndResumesBitForBit(@TempDir Path tmp) {
        TrainConfig c = small();
        c.generations = 8;
        c.checkpointEvery = 5;
        String straight = train(c, 1, RunDirectory.create(tmp.resolve("a"), c, false)).state().params().sha256();

        RunDirectory run = RunDirectory.create(tmp.resolve("b"), c, false);
        TaskData d = TaskData.synthetic(c);
        SnnConfig net = c.networkConfig(d.train().inputs(), d.train().classes());
        try (Backend b = new CpuBackend(1)) {
            Trainer t = new Trainer(c, d.train(), d.validation(), b, run);
            t.listen(new TrainListener() {
                @Override
                public void onStats(GenerationStats s, int total) {
                    if (s.generation() == 1) {
                        t.requestStop(); // as the SIGINT hook does, while generation 1 is in flight
                    }
                }
            });
            Trainer.Result r = t.run(ModelState.fresh(Params.init(net, c.seed, c.network.initGain),
                    c.optimizerConfig()), 0, 0);
            assertThat(t.stopped()).isTrue();
            assertThat(r.generations()).isEqualTo(2);
        }
        Checkpoint.Data ck = Checkpoint.read(run.latestCheckpoint());
        assertThat(ck.generation()).as("the generation in flight is checkpointed, not the one before the last "
                + "checkpointEvery").isEqualTo(1);
        try (Backend b = new CpuBackend(1)) {
            Trainer again = new Trainer(c, d.train(), d.validation(), b, run);
            Trainer.Result resumed = again.run(ck.state(), ck.nextGeneration(), ck.elapsedSeconds());
            assertThat(again.stopped()).isFalse();
            assertThat(resumed.state().params().sha256()).isEqualTo(straight);
        }
    }

    @ParameterizedTest(name = "{0} r={1}")
    @CsvSource({"EGGROLL, 1", "EGGROLL, 4", "FULL_RANK, 1"})
    void learnsTheSyntheticTask(String mode, int rank) {
        TrainConfig c = small();
        c.synthetic.inputs = 64;
        c.synthetic.trainSamples = 1000;
        c.network.hidden = new int[] {32};
        c.es = c.es.withPopulation(64);
        c.es = c.es.withMode(EsMode.valueOf(mode));
        c.es = c.es.withRank(rank);
        c.generations = 200;
        Trainer.Result r = train(c, 2, null);
        assertThat(r.validationAccuracy()).as("validation accuracy").isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void nanFitnessIsReportedWithTheMemberAndExcludedFromTheUpdate() {
        TrainConfig c = small();
        c.generations = 2;
        TaskData d = TaskData.synthetic(c);
        SnnConfig net = c.networkConfig(d.train().inputs(), d.train().classes());
        List<int[]> excluded = new ArrayList<>();
        List<Integer> effective = new ArrayList<>();
        try (Backend cpu = new CpuBackend(2); Backend poisoned = new NanMember(cpu, 5)) {
            ModelState st = ModelState.fresh(Params.init(net, 1, 1f), c.optimizerConfig());
            new Trainer(c, d.train(), d.validation(), poisoned, null).listen(new TrainListener() {
                @Override
                public void onExcluded(int generation, int member, float fitness) {
                    excluded.add(new int[] {generation, member});
                }

                @Override
                public void onUpdate(ScheduleRecord r) {
                    float[] shaped = r.shapedFitness();
                    effective.add(r.effectivePopulation());
                    assertThat(shaped[4]).isZero();
                    assertThat(shaped[5]).isZero();
                }
            }).run(st, 0, 0);
        }
        assertThat(excluded).extracting(x -> x[1]).containsExactly(5, 5);
        assertThat(effective).containsExactly(30, 30);
    }

    /** Wraps a backend and turns one member's readouts into NaN. */
    static final class NanMember implements Backend {
        private final Backend inner;
        private final int member;

        NanMember(Backend inner, int member) {
            this.inner = inner;
            this.member = member;
        }

        @Override public String name() { return "nan-" + inner.name(); }
        @Override public String device() { return inner.device(); }
        @Override public void load(ModelState s) { inner.load(s); }
        @Override public ModelState state() { return inner.state(); }
        @Override public float[] infer(SpikeBatch b) { return inner.infer(b); }
        @Override public void update(Generation g, float[] f, int n, float lr) { inner.update(g, f, n, lr); }
        @Override public void close() {}

        @Override
        public float[] evaluate(SpikeBatch b, Generation g, int first, int count) {
            float[] out = inner.evaluate(b, g, first, count);
            int per = b.samples() * (out.length / (2 * count * b.samples()));
            int local = member - 2 * first;
            if (local >= 0 && local < 2 * count) {
                out[local * per] = Float.NaN;
            }
            return out;
        }
    }
}
