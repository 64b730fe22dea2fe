package io.eggroll.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.plot.Charts;
import io.eggroll.plot.PlotFixtures;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotCommandTest {

    @TempDir
    Path dir;

    record Outcome(int exit, String err) {}

    Outcome plot(String... args) {
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 1];
        all[0] = "plot";
        System.arraycopy(args, 0, all, 1, args.length);
        return new Outcome(cl.execute(all), err.toString());
    }

    @Test
    void twoRunsAreDrawnIntoOnePng() throws Exception {
        Path a = PlotFixtures.run(dir.resolve("runs/a"), 12, 0.5, "heldout_accuracy", 3);
        Path b = PlotFixtures.run(dir.resolve("runs/b"), 8, 1.5, "val_accuracy", 2);
        Path out = dir.resolve("compare.png");
        Outcome o = plot(a.toString(), b.toString(), "--out", out.toString());
        assertThat(o.exit()).as(o.err()).isZero();
        BufferedImage img = PlotFixtures.png(out);
        assertThat(img.getWidth()).isEqualTo(Charts.PANEL_WIDTH);
        assertThat(img.getHeight()).isEqualTo(Charts.PANEL_HEIGHT);
    }

    @Test
    void aMissingRunDirectoryIsAnErrorNamingIt() throws Exception {
        Path a = PlotFixtures.run(dir.resolve("runs/a"), 4, 1, "val_accuracy", 2);
        Path out = dir.resolve("compare.png");
        Outcome o = plot(a.toString(), dir.resolve("runs/typo").toString(), "--out", out.toString());
        assertThat(o.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(o.err()).contains("not a run directory").contains("runs/typo");
        assertThat(out).doesNotExist();
    }

    @Test
    void anExistingOutputIsReplacedOnlyWithOverwrite() throws Exception {
        Path a = PlotFixtures.run(dir.resolve("runs/a"), 4, 1, "val_accuracy", 2);
        Path out = Files.writeString(dir.resolve("compare.png"), "keep me");
        Outcome refused = plot(a.toString(), "--out", out.toString());
        assertThat(refused.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(refused.err()).contains(out.toString()).contains("--overwrite");
        assertThat(Files.readString(out)).isEqualTo("keep me");
        Outcome replaced = plot(a.toString(), "--out", out.toString(), "--overwrite");
        assertThat(replaced.exit()).as(replaced.err()).isZero();
        assertThat(PlotFixtures.png(out)).isNotNull();
    }

    @Test
    void noRunDirectoryIsAUsageError() {
        Outcome o = plot();
        assertThat(o.exit()).isEqualTo(Main.BAD_INPUT);
        assertThat(o.err()).contains("RUN_DIR");
    }
}
