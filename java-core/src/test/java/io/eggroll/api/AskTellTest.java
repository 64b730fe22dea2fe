package io.eggroll.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.backend.Backend;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.es.EsConfig;
import io.eggroll.es.Generation;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.train.LocalEvaluator;
import io.eggroll.train.TaskData;
import io.eggroll.train.TrainConfig;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AskTellTest {

    static AskTell small(int population) {
        return AskTell.builder().network(NetworkSpec.dense(8)).inputs(12).outputs(3)
                .es(EsConfig.eggroll(population, 2, 0.1f)).optimizer(OptimizerConfig.adam(0.05f)).seed(5)
                .backend("cpu", 1).build();
    }

    @Test
    void aMembersForwardGivesWhatThePopulationForwardGivesItBitForBit() {
        SpikeBatch batch = SpikeBatch.bernoulli(new SplittableRandom(3), 4, 6, 12, 0.3, 3);
        try (AskTell es = small(8)) {
            for (int gen = 0; gen < 2; gen++) {
                Population pop = es.ask();
                PopulationOutputs all = pop.evaluate(batch);
                for (Member m : pop) {
                    MemberForward f = pop.forward(m);
                    for (int s = 0; s < batch.samples(); s++) {
                        assertThat(f.apply(batch, s)).as("member %d sample %d", m.index(), s)
                                .isEqualTo(all.scores(m.index(), s));
                    }
                }
                float[] fitness = new float[pop.size()];
                for (int i = 0; i < fitness.length; i++) {
                    fitness[i] = all.scores(i, 0)[0];
                }
                es.tell(fitness);
            }
        }
    }

    @Test
    void tellAppliesTheTrainingLoopsUpdate() {
        // The same run twice: through the Trainer, and through ask/tell fed with the fitness the
        // loop's evaluator gives. The weights must agree bit for bit.
        TrainConfig c = TrainingTest.small();
        TaskData d = TaskData.synthetic(c);
        SnnConfig net = c.networkConfig(d.train().inputs(), d.train().classes());
        String want = TrainingTest.trainerWeights(c, d);
        try (AskTell es = AskTell.builder().network(NetworkSpec.of(c.network)).inputs(net.inputs())
                .outputs(net.outputs()).es(c.es).optimizer(c.optimizerConfig()).seed(c.seed).backend("cpu", 1).build();
             Backend scorer = new CpuBackend(1)) {
            LocalEvaluator ev = new LocalEvaluator(scorer, d.train(), c.seed, c.batch);
            for (int gen = 0; gen < c.generations; gen++) {
                Population pop = es.ask();
                scorer.load(es.state());
                es.tell(ev.evaluate(new Generation(pop.seed(), pop.generation(), es.es())).fitness());
            }
            assertThat(es.state().params().sha256()).isEqualTo(want);
            assertThat(es.network().params().sha256()).isEqualTo(want);
        }
    }

    @Test
    void aNonFiniteFitnessLeavesItsPairOut() {
        try (AskTell es = small(6)) {
            float[] f = {1, 2, Float.NaN, 0, 3, 4};
            AskTell.Told told = es.tell(f);
            assertThat(told.excluded()).containsExactly(2, 3);
            assertThat(told.effectivePopulation()).isEqualTo(4);
            assertThat(es.generation()).isEqualTo(1);
        }
    }

    @Test
    void aToldGenerationCannotBeEvaluatedAndTheFitnessMustMatchThePopulation() {
        try (AskTell es = small(4)) {
            Population first = es.ask();
            assertThat(es.ask()).isSameAs(first);
            assertThatThrownBy(() -> es.tell(new float[3])).hasMessageContaining("3 fitness values for a population of 4");
            es.tell(new float[] {1, 0, 0, 1});
            assertThatThrownBy(() -> first.forward(0)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("generation 0 was told");
            assertThat(es.ask().generation()).isEqualTo(1);
        }
    }

    @Test
    void factorsOfANamedMatrixHaveItsShapeAndTheMembersSign() {
        try (AskTell es = small(4)) {
            Population pop = es.ask();
            Population.LowRank even = pop.factors(pop.member(0), "hidden0");
            Population.LowRank odd = pop.factors(pop.member(1), "hidden0");
            assertThat(even.a()).hasSize(12 * 2);
            assertThat(even.b()).hasSize(8 * 2);
            assertThat(odd.a()).isEqualTo(even.a());
            assertThat(odd.scale()).isEqualTo(-even.scale());
            assertThat(pop.factors(pop.member(2), "output").a()).hasSize(8 * 2).isNotEqualTo(even.b());
            assertThatThrownBy(() -> pop.factors(pop.member(0), "nope")).hasMessageContaining("[hidden0, output]");
        }
    }
}
