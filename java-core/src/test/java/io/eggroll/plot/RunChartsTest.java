package io.eggroll.plot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.train.RunDirectory;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunChartsTest {

    @TempDir
    Path dir;

    @Test
    void aRunGetsItsFitnessAndAccuracyChartsWithTwoPanelsEach() throws IOException {
        Path run = PlotFixtures.run(dir.resolve("a"), 40, 0.5, "heldout_accuracy", 10);
        List<Path> files = RunCharts.write(new RunDirectory(run));
        assertThat(files).containsExactly(run.resolve("fitness.png"), run.resolve("accuracy.png"));
        for (Path f : files) {
            BufferedImage img = PlotFixtures.png(f);
            assertThat(img.getWidth()).isEqualTo(2 * Charts.PANEL_WIDTH);
            assertThat(img.getHeight()).isEqualTo(Charts.PANEL_HEIGHT);
        }
    }

    @Test
    void aRunWithoutGenerationsIsRefused() throws IOException {
        Path run = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(run.resolve("metrics.jsonl"), "");
        assertThatThrownBy(() -> RunCharts.write(new RunDirectory(run))).isInstanceOf(IOException.class)
                .hasMessageContaining("no generations");
    }

    @Test
    void runsAreComparedInOneChartWhateverTheirValidationKey() throws IOException {
        Path a = PlotFixtures.run(dir.resolve("a"), 30, 0.5, "heldout_accuracy", 5);
        Path b = PlotFixtures.run(dir.resolve("b"), 20, 2.0, "val_accuracy", 4);
        Path out = RunCharts.compare(List.of(a, b), dir.resolve("cmp.png"), false);
        BufferedImage img = PlotFixtures.png(out);
        assertThat(img.getWidth()).isEqualTo(Charts.PANEL_WIDTH);
        assertThat(img.getHeight()).isEqualTo(Charts.PANEL_HEIGHT);
        assertThat(PlotFixtures.png(RunCharts.compare(List.of(a, b), dir.resolve("log.png"), true))).isNotNull();
    }

    @Test
    void missingRunDirectoriesAreNamedTogether() throws IOException {
        Path a = PlotFixtures.run(dir.resolve("a"), 10, 1, "val_accuracy", 5);
        assertThatThrownBy(() -> RunCharts.compare(List.of(a, dir.resolve("nope"), dir.resolve("gone")),
                dir.resolve("x.png"), false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not run directories").hasMessageContaining("nope")
                .hasMessageContaining("gone").hasMessageNotContaining(a.toString() + ",");
        assertThat(dir.resolve("x.png")).doesNotExist();
    }

    @Test
    void aRunWithoutValidationAccuracyOrGivenTwiceIsRefused() throws IOException {
        Path a = PlotFixtures.run(dir.resolve("a"), 10, 1, "val_accuracy", 5);
        Path early = PlotFixtures.run(dir.resolve("early"), 3, 1, "val_accuracy", 50);
        assertThatThrownBy(() -> RunCharts.compare(List.of(a, early), dir.resolve("x.png"), false))
                .hasMessageContaining("no validation accuracy").hasMessageContaining("early");
        assertThatThrownBy(() -> RunCharts.compare(List.of(a, dir.resolve("a/../a")), dir.resolve("x.png"), false))
                .hasMessageContaining("given twice");
    }

    @Test
    void runsOfTheSameNameAreToldApartByTheirPath() throws IOException {
        Path a = PlotFixtures.run(dir.resolve("x/run"), 10, 1, "val_accuracy", 5);
        Path b = PlotFixtures.run(dir.resolve("y/run"), 10, 1, "val_accuracy", 5);
        assertThat(PlotFixtures.png(RunCharts.compare(List.of(a, b), dir.resolve("same.png"), false))).isNotNull();
    }
}
