package io.eggroll.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.data.SpikeDataset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An empty split is refused; a training split that lacks classes is trained on with a warning. */
class TasksTest {

    /** A dataset of {@code labels.length} samples with no spikes. */
    private record Labels(String name, int classes, int... labels) implements SpikeDataset {
        @Override public int size() { return labels.length; }
        @Override public int inputs() { return 4; }
        @Override public int timesteps() { return 2; }
        @Override public int label(int i) { return labels[i]; }
        @Override public int activeInputs(int i, int t, int[] out) { return 0; }
        @Override public String fingerprint() { return name; }
    }

    private static String warnings(TaskData d) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Tasks.checkSplits(d, new PrintStream(buf, true, StandardCharsets.UTF_8));
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void emptySplitsAreRefusedByName() {
        assertThatThrownBy(() -> warnings(new TaskData(new Labels("tr", 3), new Labels("va", 3, 0), new Labels("te", 3, 0, 1, 2))))
                .hasMessageContaining("dataset split tr is empty").hasMessageContaining("train on");
        assertThatThrownBy(() -> warnings(new TaskData(new Labels("tr", 3, 0, 1, 2), new Labels("va", 3, 0), new Labels("te", 3))))
                .hasMessageContaining("dataset split te is empty").hasMessageContaining("score on");
        assertThatThrownBy(() -> warnings(new TaskData(new Labels("tr", 3, 0, 1, 2), new Labels("va", 3),
                new Labels("te", 3, 0)))).hasMessageContaining("dataset split va is empty");
    }

    @Test
    void missingClassesAreNamedInAWarning() {
        assertThat(warnings(new TaskData(new Labels("tr", 4, 0, 2, 2), new Labels("va", 4, 1), new Labels("te", 4, 0, 1, 2, 3))))
                .contains("training split tr (3 samples) has no sample of class(es) [1, 3] of 4");
        assertThat(warnings(new TaskData(new Labels("tr", 2, 1, 0), new Labels("va", 2, 1), new Labels("te", 2, 0)))).isEmpty();
    }
}
