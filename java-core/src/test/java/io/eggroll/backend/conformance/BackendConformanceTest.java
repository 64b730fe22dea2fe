package io.eggroll.backend.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.backend.Backend;
import io.eggroll.es.EsMode;
import io.eggroll.es.Generation;
import io.eggroll.rng.NoiseKind;
import io.eggroll.snn.Readout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The conformance suite every backend runs against the plain definition of the method
 * ({@link io.eggroll.es.Definition}, through {@link DefinitionBackend}), on fresh random networks
 * and inputs (the seed of each run is printed; set {@code -Deggroll.conformance.seed=S} to replay
 * one). Subclass it, create the backend in {@link #createBackend()} (skipping with an assumption
 * when the backend cannot run here), and expose its noise generator in {@link #noiseProbe}. The
 * bounds are stated in {@link Conformance}; a backend that claims {@link #bitExact()} is held to
 * identical bits instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendConformanceTest {

    /** Random cases per readout/update check; sized so the whole suite takes seconds. */
    protected int cases() {
        return 12;
    }

    /** Largest layer width of the random networks. */
    protected int maxWidth() {
        return 48;
    }

    /** The backend under test; called once per test class. */
    protected abstract Backend createBackend();

    /** The backend's device-side noise, for the bit-identity check. */
    protected abstract NoiseProbe noiseProbe(Backend backend);

    /**
     * Whether the backend follows the definition's float operation order exactly, so that every
     * readout and every updated value must have the definition's bits (the cpu backend does);
     * otherwise the stated bounds of {@link Conformance} apply.
     */
    protected boolean bitExact() {
        return false;
    }

    /** Whether the backend runs convolutional layers (the conv checks run only then). */
    protected boolean supportsConv() {
        return false;
    }

    protected Backend candidate;
    protected Backend reference;
    protected long seed;

    @BeforeAll
    void setUpBackends() {
        String fixed = System.getProperty("eggroll.conformance.seed");
        seed = fixed != null ? Long.parseLong(fixed) : new SplittableRandom().nextLong();
        System.out.println(getClass().getSimpleName() + ": conformance seed " + seed
                + " (replay with -Deggroll.conformance.seed=" + seed + ")");
        candidate = createBackend();
        reference = new DefinitionBackend();
    }

    @AfterAll
    void tearDownBackends() {
        if (candidate != null) {
            candidate.close();
        }
        if (reference != null) {
            reference.close();
        }
    }

    protected ConformanceCase randomCase(int i) {
        return ConformanceCase.random(seed * 31 + i, maxWidth(), i);
    }

    @Test
    void noiseIsBitIdenticalToTheJavaStreams() {
        Conformance.NoiseResult r = Conformance.noise(noiseProbe(candidate), seed, 256);
        assertThat(r.mismatches()).as("noise values not bit-identical (first: %s)", r.firstMismatch()).isZero();
        assertThat(r.checked()).isEqualTo(2 * 5 * 256);
    }

    @Test
    void noiseSpellsOutThePhiloxKnownAnswers() {
        assertThat(Conformance.knownAnswers(noiseProbe(candidate))).isEmpty();
    }

    @Test
    void readoutsAgreeWithTheDefinitionOnRandomNetworks() {
        Conformance.ReadoutResult total = Conformance.ReadoutResult.empty();
        boolean sawFullRank = false;
        boolean sawRademacher = false;
        boolean sawMembrane = false;
        boolean sawDeep = false;
        for (int i = 0; i < cases(); i++) {
            ConformanceCase c = randomCase(i);
            sawFullRank |= c.generation().es().mode() == EsMode.FULL_RANK;
            sawRademacher |= c.generation().es().noise() == NoiseKind.RADEMACHER;
            sawMembrane |= c.state().network().readout() == Readout.MEMBRANE;
            sawDeep |= c.state().network().layers() > 1;
            Conformance.ReadoutResult r = Conformance.evaluate(reference, candidate, c);
            assertThat(r.maxFitnessExcess()).as("fitness difference beyond the stated bound, %s", c).isLessThanOrEqualTo(0);
            total = total.plus(r);
        }
        assertThat(total.agreement()).as("identical (member, sample) readouts; first difference: %s",
                total.firstDifference()).isGreaterThanOrEqualTo(readoutAgreement());
        assertThat(sawFullRank && sawRademacher && sawMembrane && sawDeep)
                .as("the random cases cover full rank, Rademacher noise, membrane readouts and deep networks "
                        + "(seed %d)", seed).isTrue();
    }

    @Test
    void convReadoutsInferenceAndUpdatesAgreeWithTheDefinition() {
        org.junit.jupiter.api.Assumptions.assumeTrue(supportsConv(), "the backend runs no conv layers");
        Conformance.ReadoutResult readouts = Conformance.ReadoutResult.empty();
        Conformance.ReadoutResult inference = Conformance.ReadoutResult.empty();
        boolean sawFullRank = false;
        boolean sawTwoConvs = false;
        double active = 0;
        for (int i = 0; i < cases(); i++) {
            ConformanceCase c = ConformanceCase.randomConv(seed * 37 + i, i);
            sawFullRank |= c.generation().es().mode() == EsMode.FULL_RANK;
            sawTwoConvs |= c.state().network().conv(1) != null;
            Conformance.ReadoutResult r = Conformance.evaluate(reference, candidate, c);
            assertThat(r.maxFitnessExcess()).as("fitness difference beyond the stated bound, %s", c).isLessThanOrEqualTo(0);
            readouts = readouts.plus(r);
            inference = inference.plus(Conformance.infer(reference, candidate, c));
            active += activeFraction(c);
            Conformance.UpdateResult u = Conformance.update(reference, candidate, c, 2);
            assertThat(u.maxRelative()).as("largest relative difference: %s", u.worst())
                    .isLessThanOrEqualTo(Conformance.UPDATE_RELATIVE);
            if (bitExact()) {
                assertThat(u.bitIdentical()).as("values with the definition's bits; worst: %s", u.worst())
                        .isEqualTo(u.values());
            }
        }
        assertThat(readouts.agreement()).as("identical readouts; first difference: %s", readouts.firstDifference())
                .isGreaterThanOrEqualTo(readoutAgreement());
        assertThat(inference.agreement()).as("identical inference; first difference: %s", inference.firstDifference())
                .isGreaterThanOrEqualTo(readoutAgreement());
        assertThat(active / cases()).as("fraction of non-zero conv readouts").isGreaterThan(0.05);
        assertThat(sawFullRank && sawTwoConvs).as("the conv cases cover full rank and two conv layers (seed %d)", seed)
                .isTrue();
    }

    @Test
    void inferenceAgreesWithTheDefinition() {
        Conformance.ReadoutResult total = Conformance.ReadoutResult.empty();
        for (int i = 0; i < cases(); i++) {
            total = total.plus(Conformance.infer(reference, candidate, randomCase(1000 + i)));
        }
        assertThat(total.agreement()).as("first difference: %s", total.firstDifference())
                .isGreaterThanOrEqualTo(readoutAgreement());
    }

    private double readoutAgreement() {
        return bitExact() ? 1.0 : Conformance.READOUT_AGREEMENT;
    }

    @Test
    void readoutsAreNotTrivial() {
        // Guards the suite itself: the random networks must spike, or agreement proves nothing.
        double active = 0;
        for (int i = 0; i < cases(); i++) {
            active += activeFraction(randomCase(i));
        }
        assertThat(active / cases()).as("fraction of non-zero readouts").isGreaterThan(0.05);
    }

    /** The fraction of the definition's readouts of a case that are not 0. */
    private double activeFraction(ConformanceCase c) {
        reference.load(c.state());
        return nonZeroFraction(reference.evaluate(c.batch(), c.generation()));
    }

    @Test
    void pairSlicesGiveTheSameReadoutsAsTheWholePopulation() {
        ConformanceCase c = randomCase(77);
        Generation g = c.generation();
        candidate.load(c.state());
        float[] all = candidate.evaluate(c.batch(), g);
        int pairs = g.es().pairs();
        int first = pairs / 3;
        int count = Math.max(1, pairs - first - 1);
        float[] slice = candidate.evaluate(c.batch(), g, first, count);
        int row = c.batch().samples() * c.state().network().outputs();
        assertThat(slice).containsExactly(java.util.Arrays.copyOfRange(all, 2 * first * row, 2 * (first + count) * row));
        assertThat(candidate.evaluate(c.batch(), g)).as("same inputs, same bits").containsExactly(all);
    }

    @Test
    void updatesAgreeWithTheDefinition() {
        for (int i = 0; i < cases(); i++) {
            assertUpdatesAgree(randomCase(2000 + i), 3);
        }
    }

    /** {@code updates} updates of the candidate against the definition's, within the bound (or bit for bit). */
    private void assertUpdatesAgree(ConformanceCase c, int updates) {
        Conformance.UpdateResult r = Conformance.update(reference, candidate, c, updates);
        assertThat(r.maxRelative()).as("largest relative difference: %s, %s", r.worst(), c)
                .isLessThanOrEqualTo(Conformance.UPDATE_RELATIVE);
        if (bitExact()) {
            assertThat(r.bitIdentical()).as("values with the definition's bits; worst: %s, %s", r.worst(), c)
                    .isEqualTo(r.values());
        }
    }

    /**
     * Ranks above min(m, n): r = 20 on layers with 10 outputs (A is m x 20, B is 10 x 20), once
     * with r also above the fan-in (12 x 10), once behind a hidden layer; readouts and updates
     * against the definition, as for the random cases.
     */
    @Test
    void rankAboveALayersMinWidthAgreesWithTheDefinition() {
        int[][] shapes = {{40, 24, 10}, {12, 10}, {30, 16, 10}};
        Conformance.ReadoutResult total = Conformance.ReadoutResult.empty();
        double active = 0;
        for (int i = 0; i < 2 * shapes.length; i++) {
            ConformanceCase c = ConformanceCase.withRank(seed * 31 + 4000 + i, shapes[i % shapes.length], 20, i);
            assertThat(c.generation().es().rank()).isGreaterThan(c.state().network().fanOut(c.state().network().layers() - 1));
            Conformance.ReadoutResult r = Conformance.evaluate(reference, candidate, c);
            assertThat(r.maxFitnessExcess()).as("fitness difference beyond the stated bound, %s", c).isLessThanOrEqualTo(0);
            total = total.plus(r);
            reference.load(c.state());
            float[] readouts = reference.evaluate(c.batch(), c.generation());
            active += nonZeroFraction(readouts);
            assertUpdatesAgree(c, 2);
        }
        assertThat(total.agreement()).as("identical (member, sample) readouts; first difference: %s",
                total.firstDifference()).isGreaterThanOrEqualTo(readoutAgreement());
        assertThat(active / (2 * shapes.length)).as("fraction of non-zero readouts").isGreaterThan(0.05);
    }

    private static double nonZeroFraction(float[] x) {
        long nonzero = 0;
        for (float v : x) {
            nonzero += v != 0f ? 1 : 0;
        }
        return (double) nonzero / x.length;
    }

    @Test
    void stateRoundTripsThroughTheBackend() {
        ConformanceCase c = randomCase(3000);
        candidate.load(c.state());
        var back = candidate.state();
        assertThat(back.params().sha256()).isEqualTo(c.state().params().sha256());
        assertThat(back.network()).isEqualTo(c.state().network());
        assertThat(back.optimizerState().step()).isEqualTo(c.state().optimizerState().step());
    }

    /** End to end: the candidate trains the synthetic task as well as the definition from the same start. */
    @Test
    void trainingOnTheSyntheticTaskLearnsAsWellAsTheDefinition() {
        io.eggroll.train.TrainConfig cfg = new io.eggroll.train.TrainConfig();
        cfg.seed = 7;
        cfg.generations = 80;
        cfg.batch = 16;
        cfg.evalEvery = 80;
        cfg.network.hidden = new int[] {24};
        cfg.es = cfg.es.withPopulation(32);
        cfg.es = cfg.es.withRank(2);
        cfg.es = cfg.es.withSigma(0.1f);
        cfg.optimizer = cfg.optimizer.withLearningRate(0.2f);
        cfg.synthetic.classes = 4;
        cfg.synthetic.inputs = 32;
        cfg.synthetic.timesteps = 8;
        cfg.synthetic.trainSamples = 400;
        cfg.synthetic.testSamples = 200;
        io.eggroll.train.TaskData data = io.eggroll.train.TaskData.synthetic(cfg);
        io.eggroll.snn.SnnConfig net = cfg.networkConfig(data.train().inputs(), data.train().classes());
        io.eggroll.backend.ModelState init = io.eggroll.backend.ModelState.fresh(
                io.eggroll.snn.Params.init(net, cfg.seed, cfg.network.initGain), cfg.optimizerConfig());
        io.eggroll.train.Trainer.Result want =
                new io.eggroll.train.Trainer(cfg, data.train(), data.validation(), reference, null).run(init, 0, 0);
        io.eggroll.train.Trainer.Result got =
                new io.eggroll.train.Trainer(cfg, data.train(), data.validation(), candidate, null).run(init, 0, 0);
        double chance = 1.0 / cfg.synthetic.classes;
        System.out.printf("synthetic task, %d generations: validation accuracy definition %.3f, %s %.3f%n",
                cfg.generations, want.validationAccuracy(), candidate.name(), got.validationAccuracy());
        assertThat(want.validationAccuracy()).as("the definition's run itself learns").isGreaterThan(chance + 0.2);
        if (bitExact()) {
            assertThat(got.state().params().sha256()).as("same bits after training")
                    .isEqualTo(want.state().params().sha256());
        }
        assertThat(got.validationAccuracy()).isGreaterThanOrEqualTo(want.validationAccuracy() - 0.05);
        assertThat(got.history().getLast().fitnessMean())
                .isCloseTo(want.history().getLast().fitnessMean(), org.assertj.core.data.Offset.offset(0.05));
    }
}
