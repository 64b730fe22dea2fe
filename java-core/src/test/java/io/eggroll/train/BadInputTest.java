package io.eggroll.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.es.EsConfig;
import io.eggroll.es.FitnessShaping;
import io.eggroll.es.Shaping;
import io.eggroll.snn.SnnConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input of the foundation issue yields a clear error naming the field and value. */
class BadInputTest {

    @Test
    void rankAboveMinOfTheLayerIsValidButOneTooLargeForAnArrayIsNamed() {
        assertThatCode(() -> EsConfig.eggroll(8, 20, 0.1f).validateFor(SnnConfig.of(64, 10, 10)))
                .doesNotThrowAnyException();
        EsConfig es = EsConfig.eggroll(8, 1 << 26, 0.1f);
        assertThatThrownBy(() -> es.validateFor(SnnConfig.of(64, 10, 10)))
                .hasMessageContaining("es.rank = 67108864").hasMessageContaining("layer 0 (64 x 10)");
        assertThatThrownBy(() -> EsConfig.eggroll(8, 0, 0.1f)).hasMessageContaining("es.rank must be >= 1, got 0");
    }

    @Test
    void sigmaNotPositive() {
        assertThatThrownBy(() -> EsConfig.eggroll(8, 1, 0f)).hasMessageContaining("es.sigma").hasMessageContaining("0.0");
        assertThatThrownBy(() -> EsConfig.eggroll(8, 1, -0.1f)).hasMessageContaining("es.sigma").hasMessageContaining("-0.1");
    }

    @Test
    void populationOddOrTooSmall() {
        assertThatThrownBy(() -> EsConfig.eggroll(7, 1, 0.1f)).hasMessageContaining("es.population").hasMessageContaining("7");
        assertThatThrownBy(() -> EsConfig.eggroll(0, 1, 0.1f)).hasMessageContaining("es.population").hasMessageContaining("0");
    }

    @Test
    void zeroGenerations() {
        TrainConfig c = new TrainConfig();
        c.generations = 0;
        assertThatThrownBy(c::validate).hasMessageContaining("generations").hasMessageContaining("0");
    }

    @Test
    void configFieldWithTheWrongType() {
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"es\": {\"population\": \"many\"}}", "cfg.json"))
                .hasMessageContaining("cfg.json").hasMessageContaining("es.population")
                .hasMessageContaining("an integer").hasMessageContaining("\"many\"");
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"es\": {\"sigma\": true}}", "cfg.json"))
                .hasMessageContaining("es.sigma").hasMessageContaining("a number");
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"es\": {\"noise\": \"uniform\"}}", "cfg.json"))
                .hasMessageContaining("es.noise").hasMessageContaining("GAUSSIAN");
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"batchsize\": 3}", "cfg.json"))
                .hasMessageContaining("unknown field 'batchsize'");
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"batch\": 3,", "cfg.json"))
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void unreadableCheckpoint(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("nope.ckpt");
        assertThatThrownBy(() -> Checkpoint.read(missing)).hasMessageContaining("nope.ckpt").hasMessageContaining("cannot read");
        Path junk = tmp.resolve("junk.ckpt");
        Files.writeString(junk, "this is not a checkpoint at all, just text");
        assertThatThrownBy(() -> Checkpoint.read(junk)).hasMessageContaining("junk.ckpt").hasMessageContaining("bad magic");
    }

    @Test
    void corruptOrTruncatedCheckpoint(@TempDir Path tmp) throws Exception {
        TrainConfig c = TrainerTest.small();
        c.generations = 1;
        RunDirectory run = RunDirectory.create(tmp.resolve("r"), c, false);
        TrainerTest.train(c, 1, run);
        byte[] good = Files.readAllBytes(run.latestCheckpoint());
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x10;
        Path bad = tmp.resolve("flipped.ckpt");
        Files.write(bad, flipped);
        assertThatThrownBy(() -> Checkpoint.read(bad)).hasMessageContaining("flipped.ckpt").hasMessageContaining("CRC");
        Path cut = tmp.resolve("cut.ckpt");
        Files.write(cut, java.util.Arrays.copyOf(good, good.length - 100));
        assertThatThrownBy(() -> Checkpoint.read(cut)).hasMessageContaining("cut.ckpt");
        assertThat(Checkpoint.read(run.latestCheckpoint()).generation()).isZero();
    }

    @Test
    void mismatchedCheckpointIsRefusedOnResume(@TempDir Path tmp) throws Exception {
        TrainConfig c = TrainerTest.small();
        c.generations = 2;
        c.name = "mismatch";
        RunDirectory run = RunDirectory.create(tmp.resolve("mismatch"), c, false);
        TrainerTest.train(c, 1, run);
        String[] resume = {"train", "--resume", "--name", "mismatch", "--runs-dir", tmp.toString(), "--generations", "4"};
        // The checkpoint as a run on other data would have left it: the task now yields different data.
        Checkpoint.Data ck = Checkpoint.read(run.latestCheckpoint());
        TrainConfig changed = c.copy();
        changed.synthetic.trainSamples = 500;
        String other = TaskData.synthetic(changed).train().fingerprint();
        assertThat(other).isNotEqualTo(ck.datasetFingerprint());
        Checkpoint.write(run.latestCheckpoint(), new Checkpoint.Data(ck.config(), ck.generation(), ck.state(), other,
                ck.elapsedSeconds()));
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = io.eggroll.cli.Main.commandLine();
        cli.setErr(new java.io.PrintWriter(err, true));
        assertThat(cli.execute(resume)).as("exit code; stderr: %s", err).isNotZero();
        assertThat(err.toString()).contains("cannot resume: the training data differ", other);
        assertThat(Checkpoint.read(run.latestCheckpoint()).generation()).as("nothing trained").isEqualTo(ck.generation());
        // The checkpoint of the data it was trained on resumes.
        Checkpoint.write(run.latestCheckpoint(), ck);
        cli = io.eggroll.cli.Main.commandLine();
        assertThat(cli.execute(resume)).isZero();
        assertThat(Checkpoint.read(run.latestCheckpoint()).generation()).isEqualTo(3);
    }

    @Test
    void nanFitnessExcludesItsPair() {
        float[] f = {0.1f, Float.NaN, 0.3f, 0.2f, Float.POSITIVE_INFINITY, 0.5f};
        FitnessShaping.Shaped s = FitnessShaping.shape(Shaping.CENTERED_RANKS, f);
        assertThat(s.excluded()).containsExactly(0, 1, 4, 5);
        assertThat(s.effectivePopulation()).isEqualTo(2);
        assertThat(s.weights()).containsExactly(0f, 0f, 0.5f, -0.5f, 0f, 0f);
    }
}
