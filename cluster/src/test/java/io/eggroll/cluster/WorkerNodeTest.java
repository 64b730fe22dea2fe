package io.eggroll.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.backend.ModelState;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.es.EsConfig;
import io.eggroll.es.Fitness;
import io.eggroll.es.FitnessShaping;
import io.eggroll.es.Generation;
import io.eggroll.train.schedule.ScheduleRecord;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.train.BatchSampler;
import io.eggroll.train.TaskData;
import io.eggroll.train.TrainConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's replica and slice evaluation, in process, against the cpu reference. */
class WorkerNodeTest {

    private TrainConfig cfg;
    private TaskData data;
    private ModelState initial;
    private CpuBackend reference;
    private WorkerNode worker;

    @BeforeEach
    void setUp() {
        long seed = new SplittableRandom().nextLong(); // fresh random inputs every run
        cfg = smallConfig(seed);
        data = TaskData.synthetic(cfg);
        SnnConfig net = cfg.networkConfig(data.train().inputs(), data.train().classes());
        initial = ModelState.fresh(Params.init(net, cfg.seed, cfg.network.initGain), cfg.optimizerConfig());
        reference = new CpuBackend(2);
        reference.load(initial);
        worker = new WorkerNode(new CpuBackend(1), null, null);
    }

    @AfterEach
    void tearDown() {
        reference.close();
        worker.backend().close();
    }

    static TrainConfig smallConfig(long seed) {
        TrainConfig c = new TrainConfig();
        c.name = "cluster-test";
        c.seed = seed;
        c.generations = 6;
        c.batch = 12;
        c.threads = 1;
        c.evalEvery = 3;
        c.evalSamples = 60;
        c.network.hidden = new int[] {12};
        c.es = c.es.withPopulation(14);
        c.es = c.es.withRank(2);
        c.optimizer = c.optimizer.withKind(io.eggroll.es.OptimizerKind.ADAM);
        c.optimizer = c.optimizer.withLearningRate(0.05f);
        c.synthetic.inputs = 24;
        c.synthetic.classes = 4;
        c.synthetic.timesteps = 8;
        c.synthetic.trainSamples = 120;
        c.synthetic.testSamples = 60;
        return c;
    }

    private PrepareTask prepare(int baseGeneration, ModelState base, List<ScheduleRecord> records, String hash) {
        return new PrepareTask("run-1", "coordinator-1", "10.0.0.1:5701", cfg, data.train().fingerprint(), baseGeneration,
                base, records, hash);
    }

    /** Full-population fitness of generation g on the reference. */
    private float[] referenceFitness(int g) {
        EsConfig es = cfg.esConfig();
        SpikeBatch batch = SpikeBatch.gather(data.train(), new BatchSampler(cfg.seed, data.train().size(), cfg.batch)
                .indices(g));
        float[] readouts = reference.evaluate(batch, new Generation(cfg.seed, g, es));
        return Fitness.compute(es.fitness(), es.temperature(), readouts, es.population(), batch.samples(),
                initial.network().outputs(), batch.labels());
    }

    /** Runs generation g on the reference (evaluate, shape, update) and returns its schedule record. */
    private ScheduleRecord referenceStep(int g) {
        EsConfig es = cfg.esConfig();
        FitnessShaping.Shaped s = FitnessShaping.shape(es.shaping(), referenceFitness(g));
        reference.update(new Generation(cfg.seed, g, es), s.weights(), s.effectivePopulation(), cfg.optimizer.learningRate());
        return new ScheduleRecord(g, es.population(), es.rank(), es.sigma(), cfg.optimizer.learningRate(), g + 1,
                s.effectivePopulation(), s.weights());
    }

    @Test
    void aRunTooLargeForTheWorkersHeapIsRefusedBeforeItsDataAreLoaded() {
        TrainConfig huge = cfg.copy();
        huge.network.hidden = new int[] {40_000, 40_000, 40_000}; // 1.6e9 floats a layer: above any test heap
        huge.validate();
        PrepareReply r = worker.prepare(new PrepareTask("run-1", "coordinator-1", "10.0.0.1:5701", huge,
                data.train().fingerprint(), 0, initial, List.of(), initial.params().sha256()));
        assertThat(r.accepted).isFalse();
        assertThat(r.message).contains("refused the run: the run does not fit this worker's heap: the run needs at "
                + "least").contains("network.hidden[1]");
    }

    @Test
    void aCoordinatorThatLeavesWithoutEndingItsRunFreesTheWorker() {
        assertThat(worker.prepare(prepare(0, initial, List.of(), initial.params().sha256())).accepted).isTrue();
        worker.memberLeft("some-other-member", "10.0.0.9:5701");
        worker.evaluate(new EvaluateTask("run-1", 0, 0, 1, false, List.of())); // still serving run-1
        worker.memberLeft("coordinator-1", "10.0.0.1:5701");
        assertThatThrownBy(() -> worker.evaluate(new EvaluateTask("run-1", 0, 0, 1, false, List.of())))
                .hasMessageContaining("is not prepared for run run-1");
    }

    @Test
    void aWorkerWritesOnlyUnderItsOwnWorkDirectory() {
        TrainConfig remote = cfg.copy();
        remote.data.workDir = "/etc/planted-by-coordinator";
        assertThat(worker.localConfig(remote).data.workDir).isEqualTo(WorkerNode.DEFAULT_WORK_DIR);
        try (CpuBackend b = new CpuBackend(1)) {
            WorkerNode own = new WorkerNode(b, null, java.nio.file.Path.of("/scratch/worker-1"));
            assertThat(own.localConfig(remote).data.workDir).isEqualTo("/scratch/worker-1");
        }
    }

    @Test
    void slicesReproduceTheFullEvaluationAndRecordsKeepTheReplicaInStep() {
        slicesReproduceTheFullEvaluation();
    }

    /** Evolved thresholds and decays travel with the replica and its updates like the weights. */
    @Test
    void evolvedNeuronParametersWorkThroughTheWorkersBackend() {
        reference.close();
        cfg.network.evolveThreshold = true;
        cfg.network.evolveDecay = true;
        SnnConfig net = cfg.networkConfig(data.train().inputs(), data.train().classes());
        initial = ModelState.fresh(Params.init(net, cfg.seed, cfg.network.initGain), cfg.optimizerConfig());
        reference = new CpuBackend(2);
        reference.load(initial);
        slicesReproduceTheFullEvaluation();
        assertThat(reference.state().params().threshold(0)).isNotEqualTo(initial.params().threshold(0));
    }

    private void slicesReproduceTheFullEvaluation() {
        PrepareReply r = worker.prepare(prepare(0, initial, List.of(), initial.params().sha256()));
        assertThat(r.accepted).as(r.message).isTrue();
        int pairs = cfg.es.population() / 2;
        List<ScheduleRecord> pending = new ArrayList<>();
        for (int g = 0; g < 3; g++) {
            float[] full = referenceFitness(g);
            float[] gathered = new float[full.length];
            int split = 1 + g; // a different slice layout every generation
            SliceResult a = worker.evaluate(new EvaluateTask("run-1", g, 0, split, false, pending));
            SliceResult b = worker.evaluate(new EvaluateTask("run-1", g, split, pairs - split, false, List.of()));
            System.arraycopy(a.fitness, 0, gathered, 0, a.fitness.length);
            System.arraycopy(b.fitness, 0, gathered, a.fitness.length, b.fitness.length);
            assertThat(gathered).isEqualTo(full);
            assertThat(a.correct + b.correct).isBetween(0L, (long) cfg.es.population() * cfg.batch);
            pending = List.of(referenceStep(g));
        }
        SliceResult sync = worker.evaluate(new EvaluateTask("run-1", 3, 0, 0, true, pending));
        assertThat(sync.fitness).isEmpty();
        assertThat(sync.weightsHash).isEqualTo(reference.state().params().sha256());
    }

    /** A conv network crosses the wire (its shapes with its state) and a worker's slices are the reference's. */
    @Test
    void aConvNetworkTravelsAndItsSlicesReproduceTheFullEvaluation() {
        cfg.network.hidden = null;
        cfg.network.layers = new io.eggroll.train.LayerSpec[] {io.eggroll.train.LayerSpec.conv(3, 3, 1)};
        cfg.synthetic.inputs = 25; // a 1 x 5 x 5 image
        data = TaskData.synthetic(cfg);
        SnnConfig net = cfg.networkConfig(data.train().inputs(), data.train().classes());
        assertThat(net.hasConv()).isTrue();
        initial = ModelState.fresh(Params.init(net, cfg.seed, cfg.network.initGain), cfg.optimizerConfig());
        reference.load(initial);
        com.hazelcast.internal.serialization.SerializationService ss =
                new com.hazelcast.internal.serialization.impl.DefaultSerializationServiceBuilder()
                        .addDataSerializableFactory(Wire.FACTORY_ID, new Wire.Factory()).build();
        PrepareTask sent = prepare(0, initial, List.of(), initial.params().sha256());
        PrepareTask got = ss.toObject(ss.toData(sent));
        PrepareReply r = worker.prepare(got);
        assertThat(r.accepted).as(r.message).isTrue();
        assertThat(r.weightsHash).isEqualTo(initial.params().sha256());
        assertThat(worker.backend().state().network()).isEqualTo(net);
        int pairs = cfg.es.population() / 2;
        float[] full = referenceFitness(0);
        SliceResult a = worker.evaluate(new EvaluateTask("run-1", 0, 0, 2, false, List.of()));
        SliceResult b = worker.evaluate(new EvaluateTask("run-1", 0, 2, pairs - 2, false, List.of()));
        float[] gathered = new float[full.length];
        System.arraycopy(a.fitness, 0, gathered, 0, a.fitness.length);
        System.arraycopy(b.fitness, 0, gathered, a.fitness.length, b.fitness.length);
        assertThat(gathered).isEqualTo(full);
    }

    @Test
    void aLateJoinerReplaysTheScheduleToTheCoordinatorsHash() {
        List<ScheduleRecord> records = new ArrayList<>();
        for (int g = 0; g < 4; g++) {
            records.add(referenceStep(g));
        }
        String hash = reference.state().params().sha256();
        PrepareReply r = worker.prepare(prepare(0, initial, records, hash));
        assertThat(r.accepted).as(r.message).isTrue();
        assertThat(r.weightsHash).isEqualTo(hash);
        assertThat(r.nextGeneration).isEqualTo(4);
        assertThat(r.message).contains("replayed 4 schedule records");

        // Dropping a record (a corrupted log) reaches other weights: refused, and no work is taken.
        List<ScheduleRecord> gap = new ArrayList<>(records);
        gap.remove(3);
        PrepareReply bad = worker.prepare(prepare(0, initial, gap, hash));
        assertThat(bad.accepted).isFalse();
        assertThat(bad.message).contains("reached weights sha256").contains(hash);
        assertThatThrownBy(() -> worker.evaluate(new EvaluateTask("run-1", 3, 0, 1, false, List.of())))
                .hasMessageContaining("not prepared for run run-1");
    }

    @Test
    void refusesOtherDataAndOtherProtocols() {
        PrepareTask t = new PrepareTask("run-2", "coordinator-1", "10.0.0.1:5701", cfg, "0123abcd", 0, initial, List.of(), initial.params().sha256());
        PrepareReply r = worker.prepare(t);
        assertThat(r.accepted).isFalse();
        assertThat(r.message).contains("dataset fingerprint mismatch").contains("0123abcd")
                .contains(data.train().fingerprint());

        PrepareTask old = prepare(0, initial, List.of(), initial.params().sha256());
        old.protocol = Wire.PROTOCOL_VERSION + 1;
        assertThat(worker.prepare(old).message).contains("protocol " + (Wire.PROTOCOL_VERSION + 1));

        PrepareTask other = prepare(0, initial, List.of(), initial.params().sha256());
        other.version = "0.0.1";
        assertThat(worker.prepare(other).message).contains("eggroll 0.0.1");
    }

    @Test
    void recordsMustArriveInOrder() {
        assertThat(worker.prepare(prepare(0, initial, List.of(), initial.params().sha256())).accepted).isTrue();
        ScheduleRecord r0 = referenceStep(0);
        ScheduleRecord r1 = referenceStep(1);
        assertThatThrownBy(() -> worker.evaluate(new EvaluateTask("run-1", 2, 0, 1, false, List.of(r1))))
                .hasMessageContaining("generation 1 arrived where generation 0 was expected");
        assertThat(Arrays.asList(r0.generation(), r1.generation())).containsExactly(0, 1);
    }

    @Test
    void aWorkerServesOneRunAtATimeAndNamesItToOtherCoordinators() {
        Set<String> members = new HashSet<>(Set.of("coordinator-1", "coordinator-2"));
        worker.setMembership(members::contains);
        assertThat(worker.prepare(prepare(0, initial, List.of(), initial.params().sha256())).accepted).isTrue();
        PrepareTask second = new PrepareTask("run-2", "coordinator-2", "10.0.0.2:5701", cfg, data.train().fingerprint(), 0,
                initial, List.of(), initial.params().sha256());

        PrepareReply refused = worker.prepare(second);

        assertThat(refused.accepted).isFalse();
        assertThat(refused.message).contains("serving run run-1", "coordinator 10.0.0.1:5701", "one run at a time");
        // the run it serves is untouched: its slices still evaluate, and its coordinator may re-admit it
        assertThat(worker.evaluate(new EvaluateTask("run-1", 0, 0, 1, false, List.of())).fitness).hasSize(2);
        assertThat(worker.prepare(prepare(0, initial, List.of(), initial.params().sha256())).accepted).isTrue();

        // released by its coordinator at the end of the run: the other run is admitted
        assertThat(worker.release("run-2")).isFalse();
        assertThat(worker.release("run-1")).isTrue();
        PrepareReply admitted = worker.prepare(second);
        assertThat(admitted.accepted).as(admitted.message).isTrue();
        assertThatThrownBy(() -> worker.evaluate(new EvaluateTask("run-1", 0, 0, 1, false, List.of())))
                .hasMessageContaining("it holds run run-2");

        // a coordinator that leaves the cluster (a crash) frees the worker too
        members.remove("coordinator-2");
        PrepareTask third = new PrepareTask("run-3", "coordinator-3", "10.0.0.3:5701", cfg, data.train().fingerprint(), 0,
                initial, List.of(), initial.params().sha256());
        PrepareReply afterCrash = worker.prepare(third);
        assertThat(afterCrash.accepted).as(afterCrash.message).isTrue();
    }

    @Test
    void aSecuredWorkerRefusesTasksWithoutTheSecretsTagAndTagsItsAnswers() {
        ClusterSecret secret = ClusterSecret.of("s3cret-" + cfg.seed);
        ClusterSecret wrong = ClusterSecret.of("other-" + cfg.seed);
        worker.setSecret(secret);
        String hash = initial.params().sha256();

        PrepareReply unsigned = worker.prepare(prepare(0, initial, List.of(), hash));
        PrepareReply other = worker.prepare(prepare(0, initial, List.of(), hash).signed(wrong));
        assertThat(unsigned.accepted).isFalse();
        assertThat(other.accepted).isFalse();
        assertThat(other.message).contains("no valid cluster-secret tag", "10.0.0.1:5701", "run-1");

        PrepareTask forged = prepare(0, initial, List.of(), hash).signed(secret);
        forged.expectedHash = "0".repeat(64); // altered after signing
        assertThat(worker.prepare(forged).message).contains("no valid cluster-secret tag");

        PrepareReply ok = worker.prepare(prepare(0, initial, List.of(), hash).signed(secret));
        assertThat(ok.accepted).as(ok.message).isTrue();
        assertThat(secret.valid(ok.body("run-1"), ok.tag)).isTrue();
        assertThat(wrong.valid(ok.body("run-1"), ok.tag)).isFalse();
        assertThat(secret.valid(ok.body("run-2"), ok.tag)).as("bound to its run").isFalse();

        EvaluateTask task = new EvaluateTask("run-1", 0, 1, 2, false, List.of()).signed(secret);
        task.firstPair = 0; // tampered in transit
        assertThatThrownBy(() -> worker.evaluate(task)).isInstanceOf(SecurityException.class)
                .hasMessageContaining("no valid cluster-secret tag").hasMessageContaining("run run-1 generation 0");
        assertThatThrownBy(() -> worker.evaluate(new EvaluateTask("run-1", 0, 0, 2, false, List.of()).signed(wrong)))
                .isInstanceOf(SecurityException.class);

        SliceResult r = worker.evaluate(new EvaluateTask("run-1", 0, 0, 2, false, List.of()).signed(secret));
        assertThat(secret.valid(r.body("run-1"), r.tag)).isTrue();
        r.fitness[0] = -r.fitness[0] - 1; // a rogue or altered fitness no longer matches its tag
        assertThat(secret.valid(r.body("run-1"), r.tag)).isFalse();

        ReleaseTask release = new ReleaseTask("run-1");
        assertThat(worker.release(release)).as("unsigned release ignored").isFalse();
        release.tag = secret.tag(release.body());
        assertThat(worker.release(release)).isTrue();
    }

    @Test
    void theSecretComesFromAFileOrTheEnvironmentAndWithoutOneEveryTagPasses(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("secret"), "from-file\n");
        ClusterSecret fromFile = ClusterSecret.load(file, Map.of(ClusterSecret.ENV, "from-env"));
        ClusterSecret fromEnv = ClusterSecret.load(null, Map.of(ClusterSecret.ENV, "from-env"));
        ClusterSecret.Body body = ClusterSecret.body(Wire.RELEASE).s("run-1");
        assertThat(fromFile.valid(body, ClusterSecret.of("from-file").tag(body))).isTrue();
        assertThat(fromEnv.valid(body, ClusterSecret.of("from-env").tag(body))).isTrue();
        assertThat(fromFile.valid(body, fromEnv.tag(body))).isFalse();

        ClusterSecret none = ClusterSecret.load(null, Map.of());
        assertThat(none.configured()).isFalse();
        assertThat(none.tag(body)).isNull();
        assertThat(none.valid(body, null)).isTrue();
        assertThat(fromEnv.valid(body, null)).isFalse();

        Files.writeString(file, "  \n");
        assertThatThrownBy(() -> ClusterSecret.load(file, Map.of())).hasMessageContaining("is empty")
                .hasMessageContaining(file.toString());
        assertThatThrownBy(() -> ClusterSecret.load(dir.resolve("missing"), Map.of()))
                .hasMessageContaining("cannot read --cluster-secret-file");
    }
}
