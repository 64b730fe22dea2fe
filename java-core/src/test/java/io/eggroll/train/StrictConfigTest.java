package io.eggroll.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.es.LrDecay;
import io.eggroll.rng.NoiseKind;
import io.eggroll.snn.Readout;
import java.nio.file.Files;
import io.eggroll.testing.Fixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 13, "Strict input" 10-13: a config file is a JSON object, merged into its task's preset, null-free and in range. */
class StrictConfigTest {

    // ------------------------------------------------------------------ 10: not an object

    @ParameterizedTest
    @ValueSource(strings = {"[1,2]", "null", "42", "\"hello\"", "true", "", "   \n"})
    void aConfigThatIsNotAnObjectIsAnErrorNamingTheFile(String json, @TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("cfg.json"), json);
        assertThatThrownBy(() -> TrainConfig.load(file))
                .isInstanceOf(TrainConfig.ConfigException.class)
                .hasMessageStartingWith(file + ": ")
                .hasMessageMatching(".*(JSON object|empty).*");
    }

    // ------------------------------------------------------------------ 11: field-by-field merge

    @Test
    void theEmptyObjectIsTheNmnistPresetUnchanged() {
        assertThat(TrainConfig.fromJson("{}", "x").toJson()).isEqualTo(TrainConfig.defaults("nmnist").toJson());
        assertThat(TrainConfig.fromJson("{\"task\": \"synthetic\"}", "x").toJson())
                .isEqualTo(TrainConfig.defaults("synthetic").toJson());
    }

    @Test
    void aResolvedConfigReadsBackIdentically() {
        for (String task : new String[] {"nmnist", "synthetic"}) {
            String json = TrainConfig.defaults(task).toJson();
            assertThat(TrainConfig.fromJson(json, "x").toJson()).isEqualTo(json);
        }
    }

    @Test
    void aNestedObjectMergesIntoThePresetFieldByField() {
        TrainConfig c = TrainConfig.fromJson("{\"es\": {\"population\": 8}, \"optimizer\": {\"learningRate\": 0.01},"
                + " \"data\": {\"workDir\": \"elsewhere\"}, \"network\": {\"initGain\": 2}}", "x");
        TrainConfig preset = TrainConfig.defaults("nmnist");
        assertThat(c.es.population()).isEqualTo(8);
        assertThat(c.es.sigma()).isEqualTo(preset.es.sigma());
        assertThat(c.es.rank()).isEqualTo(preset.es.rank());
        assertThat(c.optimizer.learningRate()).isEqualTo(0.01f);
        assertThat(c.optimizer.decay()).isEqualTo(LrDecay.COSINE);
        assertThat(c.data.workDir).isEqualTo("elsewhere");
        assertThat(c.data.pool).isEqualTo(2);
        assertThat(c.network.initGain).isEqualTo(2f);
        assertThat(c.network.hidden).containsExactly(128);
        assertThat(c.network.readout).isEqualTo(Readout.MEMBRANE);
    }

    @Test
    void theSyntheticTaskMergesIntoItsOwnPreset() {
        TrainConfig c = TrainConfig.fromJson("{\"task\": \"synthetic\", \"es\": {\"noise\": \"RADEMACHER\"}}", "x");
        assertThat(c.es.noise()).isEqualTo(NoiseKind.RADEMACHER);
        assertThat(c.es.population()).isEqualTo(64);
        assertThat(c.es.sigma()).isEqualTo(0.05f);
        assertThat(c.optimizer.decay()).isEqualTo(LrDecay.CONSTANT);
    }

    @Test
    void anUnknownTaskIsNamed() {
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"task\": \"cifar\"}", "cfg.json"))
                .isInstanceOf(TrainConfig.ConfigException.class)
                .hasMessageContaining("cfg.json").hasMessageContaining("'task'").hasMessageContaining("cifar");
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"task\": 42}", "cfg.json"))
                .isInstanceOf(TrainConfig.ConfigException.class).hasMessageContaining("'task'");
    }

    // ------------------------------------------------------------------ 12: nulls

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"network\": null}|network",
        "{\"es\": null}|es",
        "{\"es\": {\"noise\": null}}|es.noise",
        "{\"task\": null}|task",
        "{\"optimizer\": null}|optimizer",
        "{\"optimizer\": {\"kind\": null}}|optimizer.kind",
        "{\"data\": null}|data",
        "{\"data\": {\"workDir\": null}}|data.workDir",
        "{\"synthetic\": null}|synthetic",
        "{\"name\": null}|name",
        "{\"backend\": null}|backend",
        "{\"seed\": null}|seed",
        "{\"network\": {\"hidden\": null}}|network.hidden",
        "{\"network\": {\"hidden\": [64, null]}}|network.hidden[1]",
        "{\"network\": {\"readout\": null}}|network.readout",
    })
    void aNullIsAnErrorNamingTheField(String json, String field) {
        assertThatThrownBy(() -> TrainConfig.fromJson(json, "cfg.json"))
                .isInstanceOf(TrainConfig.ConfigException.class)
                .hasMessageStartingWith("cfg.json: field '" + field + "' is null");
    }

    @Test
    void theNullableFieldsMayBeNull() {
        TrainConfig c = TrainConfig.fromJson("{\"device\": null, \"data\": {\"dir\": null}}", "x");
        assertThat(c.device).isNull();
        assertThat(c.data.dir).isNull();
    }

    @Test
    void validateNamesANullSetInCode() {
        TrainConfig c = TrainConfig.defaults("nmnist");
        c.data = null;
        assertThatThrownBy(c::validate).isInstanceOf(TrainConfig.ConfigException.class).hasMessageContaining("data");
        TrainConfig d = TrainConfig.defaults("nmnist");
        d.network.readout = null;
        assertThatThrownBy(d::validate).isInstanceOf(TrainConfig.ConfigException.class).hasMessageContaining("network.readout");
    }

    @Test
    void trainRefusesABadConfigBeforeCreatingTheRun(@TempDir Path tmp) throws Exception {
        Path runs = tmp.resolve("runs");
        for (String json : new String[] {"[1,2]", "{\"task\": \"synthetic\", \"es\": {\"noise\": null}}",
            "{\"task\": \"synthetic\", \"threads\": 5000}"}) {
            Path file = Files.writeString(tmp.resolve("cfg.json"), json);
            assertThat(Fixtures.runCli(new StringBuilder(), "train", "--config", file.toString(), "--runs-dir",
                    runs.toString(), "--quiet")).isEqualTo(2);
            assertThat(runs).doesNotExist();
        }
    }

    // ------------------------------------------------------------------ 13: strict syntax and ranges

    @Test
    void trailingGarbageIsRefused() {
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"batch\": 8} x", "cfg.json"))
                .isInstanceOf(TrainConfig.ConfigException.class).hasMessageStartingWith("cfg.json: ");
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"batch\": 8}{}", "cfg.json"))
                .isInstanceOf(TrainConfig.ConfigException.class).hasMessageStartingWith("cfg.json: ");
        assertThat(TrainConfig.fromJson("{\"batch\": 8}\n  \n", "cfg.json").batch).isEqualTo(8);
    }

    @Test
    void aDuplicateKeyIsRefused() {
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"batch\": 8, \"batch\": 16}", "cfg.json"))
                .isInstanceOf(TrainConfig.ConfigException.class).hasMessageContaining("batch");
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"es\": {\"sigma\": 0.1, \"sigma\": 0.2}}", "cfg.json"))
                .isInstanceOf(TrainConfig.ConfigException.class).hasMessageContaining("sigma");
    }

    @Test
    void aFractionForAnIntegerOrANumberForAChoiceOrAStringIsRefused() {
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"batch\": 2.5}", "cfg.json"))
                .isInstanceOf(TrainConfig.ConfigException.class).hasMessageContaining("batch");
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"network\": {\"readout\": 0}}", "cfg.json"))
                .isInstanceOf(TrainConfig.ConfigException.class).hasMessageContaining("network.readout");
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"name\": 5}", "cfg.json"))
                .isInstanceOf(TrainConfig.ConfigException.class).hasMessageContaining("'name'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"synthetic\": {\"highRate\": 1.5}}|synthetic.highRate|1.5",
        "{\"synthetic\": {\"lowRate\": -0.1}}|synthetic.lowRate|-0.1",
        "{\"data\": {\"windowMs\": 1e300}}|data.windowMs|1.0E300",
        "{\"data\": {\"windowMs\": 0}}|data.windowMs|0.0",
        "{\"threads\": 5000}|threads|5000",
        "{\"threads\": -1}|threads|-1",
        "{\"data\": {\"limitTrain\": -5}}|data.limitTrain|-5",
        "{\"data\": {\"limitTest\": -5}}|data.limitTest|-5",
        "{\"data\": {\"timesteps\": 1000000}}|data.timesteps|1000000",
        "{\"synthetic\": {\"classes\": 1}}|synthetic.classes|1",
        "{\"batch\": 0}|batch|0",
        "{\"evalSamples\": -1}|evalSamples|-1",
        "{\"network\": {\"hidden\": [0]}}|network.hidden[0]|0",
        "{\"network\": {\"decay\": 1.5}}|network.decay|1.5",
        "{\"network\": {\"initGain\": 1e39}}|network.initGain|Infinity",
        "{\"es\": {\"sigma\": 1e39}}|es.sigma|Infinity",
        "{\"es\": {\"population\": 1000000000}}|es.population|1000000000",
        "{\"optimizer\": {\"beta1\": 1}}|optimizer.beta1|1.0",
        "{\"optimizer\": {\"epsilon\": 1e39}}|optimizer.epsilon|Infinity",
    })
    void aValueOutOfRangeIsAnErrorNamingFieldAndValue(String json, String field, String value) {
        assertThatThrownBy(() -> TrainConfig.fromJson(json, "cfg.json"))
                .isInstanceOf(TrainConfig.ConfigException.class)
                .hasMessageStartingWith("cfg.json: ")
                .hasMessageContaining(field)
                .hasMessageContaining(value);
    }

    @Test
    void anOverflowingNumberIsAnErrorNamingTheField() {
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"generations\": 1e300}", "cfg.json"))
                .isInstanceOf(TrainConfig.ConfigException.class).hasMessageContaining("generations");
        assertThatThrownBy(() -> TrainConfig.fromJson("{\"seed\": 123456789012345678901234567890}", "cfg.json"))
                .isInstanceOf(TrainConfig.ConfigException.class).hasMessageContaining("seed");
    }

    @Test
    void aNegativeLimitOnTheCommandLineIsRefused(@TempDir Path tmp) {
        Path runs = tmp.resolve("runs");
        assertThat(Fixtures.runCli(new StringBuilder(), "train", "--task", "synthetic", "--limit-train", "-5",
                "--runs-dir", runs.toString(), "--quiet")).isEqualTo(2);
        assertThat(runs).doesNotExist();
    }

    @Test
    void evalRefusesANegativeSampleCount(@TempDir Path tmp) {
        java.io.PrintStream old = System.err;
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Fixtures.runCli(new StringBuilder(), "eval", "--run", tmp.toString(), "--samples", "-5");
        } finally {
            System.setErr(old);
        }
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("--samples").contains("-5");
    }

    @Test
    void aCommandLineLimitBelowZeroIsRefusedByValidate() {
        TrainConfig c = TrainConfig.defaults("synthetic");
        c.data.limitTrain = -5;
        assertThatThrownBy(c::validate).isInstanceOf(TrainConfig.ConfigException.class)
                .hasMessageContaining("data.limitTrain").hasMessageContaining("-5");
    }
}
