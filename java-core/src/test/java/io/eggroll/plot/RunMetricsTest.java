package io.eggroll.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunMetricsTest {

    @TempDir
    Path dir;

    @Test
    void theValidationAccuracyIsReadUnderTheNewAndTheOldKey() throws IOException {
        Path f = dir.resolve("metrics.jsonl");
        Files.writeString(f, """
                {"generation":0,"heldout_accuracy":0.5,"seconds":1.5}
                {"generation":1,"val_accuracy":0.6,"seconds":3.0}
                {"generation":2,"val_accuracy":null,"seconds":4.5}
                {"generation":3,"val_accuracy":0.7,"heldout_accuracy":0.1,"seconds":6.0}
                """);
        RunMetrics m = RunMetrics.read(f);
        Charts.Series byGen = m.series("v", "generation", 1, RunMetrics.VALIDATION_KEYS, 100);
        assertThat(byGen.x()).containsExactly(1, 2, 4);
        assertThat(byGen.y()).containsExactly(50, 60, 70);
        Charts.Series byMinute = m.series("v", "seconds", 60, RunMetrics.VALIDATION_KEYS, 1);
        assertThat(byMinute.x()).containsExactly(0.025, 0.05, 0.1);
        assertThat(m.lastSeconds()).isEqualTo(6.0);
    }

    @Test
    void aLastLineCutShortIsLeftOut() throws IOException {
        Path f = dir.resolve("metrics.jsonl");
        Files.writeString(f, "{\"generation\":0,\"fitness_mean\":-2.3,\"seconds\":1}\n{\"generation\":1,\"fitn");
        RunMetrics m = RunMetrics.read(f);
        assertThat(m.series("f", "generation", 1, java.util.List.of("fitness_mean"), 1).x()).containsExactly(1);
    }

    @Test
    void aBadLineElsewhereIsAnErrorNamingTheFileAndLine() throws IOException {
        Path f = dir.resolve("metrics.jsonl");
        Files.writeString(f, "{\"generation\":0}\nnot json\n{\"generation\":2}\n");
        assertThatThrownBy(() -> RunMetrics.read(f)).isInstanceOf(IOException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("line 2");
    }
}
