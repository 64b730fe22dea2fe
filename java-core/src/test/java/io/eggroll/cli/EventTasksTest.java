package io.eggroll.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.data.EventFixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --task shd} and {@code --task events} train end to end on tiny files. */
class EventTasksTest {

    @TempDir
    Path tmp;

    record Outcome(int exit, String err) {}

    Outcome train(String task, Path data, String... extra) throws Exception {
        Path cfg = tmp.resolve(task + ".json");
        Files.writeString(cfg, "{\"task\": \"" + task + "\", \"data\": {\"workDir\": \""
                + tmp.resolve("work").toString().replace("\\", "\\\\") + "\"}}");
        List<String> a = new ArrayList<>(List.of("train", "--config", cfg.toString(), "--name", task, "--runs-dir",
                tmp.resolve("runs").toString(), "--generations", "3", "--population", "8", "--hidden", "8",
                "--batch", "4", "--eval-every", "2", "--eval-samples", "4", "--threads", "1", "--quiet"));
        if (data != null) {
            a.addAll(List.of("--data", data.toString()));
        }
        a.addAll(List.of(extra));
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        return new Outcome(cl.execute(a.toArray(String[]::new)), err.toString());
    }

    static Path shdFixture() {
        return EventFixtures.shd("ok");
    }

    @Test
    void shdTrainsOnItsHdf5Files() throws Exception {
        Outcome r = train("shd", shdFixture(), "--timesteps", "10", "--window-ms", "500");
        assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
        Path run = tmp.resolve("runs/shd");
        assertThat(Files.readAllLines(run.resolve("metrics.jsonl"))).hasSizeGreaterThanOrEqualTo(3);
        String config = Files.readString(run.resolve("config.json"));
        assertThat(config).contains("\"task\" : \"shd\"").contains("\"pool\" : 5");
        // 700 units pooled by 5 (the preset) feed 140 inputs; 20 classes.
        assertThat(r.err()).contains("[140, 8, 20]");
        assertThat(Files.list(tmp.resolve("work/cache")).map(p -> p.getFileName().toString()).toList())
                .anyMatch(n -> n.startsWith("shd-train-T10-0-500000-"));
    }

    @Test
    void eventsTrainsOnGenericFiles() throws Exception {
        Path data = EventFixtures.writeUnits(tmp.resolve("rec"));
        Outcome r = train("events", data, "--task", "events", "--timesteps", "3", "--window-ms", "3", "--pool", "2");
        assertThat(r.exit()).as("stderr: %s", r.err()).isZero();
        assertThat(r.err()).contains("[35, 8, 2]");
        assertThat(Files.readAllLines(tmp.resolve("runs/events/metrics.jsonl"))).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void anEventTaskWithoutDataSaysWhatToGive() throws Exception {
        Outcome r = train("events", null);
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("task events needs --data DIR").contains("manifest.json");
    }

    @Test
    void aBadManifestFailsNamingFileAndField() throws Exception {
        Path data = EventFixtures.writeUnits(tmp.resolve("rec"));
        Files.writeString(data.resolve("manifest.json"), "{\"sensor\": {\"units\": 70}, \"samples\": []}");
        Outcome r = train("events", data);
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains(data.resolve("manifest.json").toString()).contains("missing field 'classes'");
    }
}
