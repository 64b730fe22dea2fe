package io.eggroll.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.cli.DataCommand;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DataCommandTest {

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new DataCommand());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpListsSubcommands() {
        Run r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("fetch", "convert", "inspect", "bin", "prepare");
    }

    @Test
    void prepareChecksAndBinsEventTasks(@TempDir Path dir) throws Exception {
        Path rec = EventFixtures.writeUnits(dir.resolve("rec"));
        Run r = run("prepare", "--task", "events", "--data", rec.toString(), "--work-dir", dir.resolve("work").toString(),
                "-T", "3", "--window-us", "0:3000", "--threads", "1");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("(events, sensor 70 units, 2 classes)").contains("events-train, 2 samples, T=3");
        Run shd = run("prepare", "--task", "shd", "--data", EventFixtures.shd("ok").toString(), "--work-dir",
                dir.resolve("work").toString(), "--threads", "1");
        assertThat(shd.code()).as(shd.err()).isZero();
        assertThat(shd.out()).contains("(shd, sensor 700 units, 20 classes)").contains("shd-test, 4 samples");
        Files.writeString(rec.resolve("train/a.csv"), "0,70\n");
        Run bad = run("prepare", "--task", "events", "--data", rec.toString(), "--work-dir", dir.resolve("work").toString());
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains(rec.resolve("train/a.csv").toString()).contains("line 1: unit '70' is off the sensor");
        assertThat(run("prepare", "--task", "gestures", "--data", rec.toString()).err()).contains("'shd' or 'events'");
    }

    @Test
    void convertInspectAndBinEndToEnd(@TempDir Path dir) throws Exception {
        DataFixtures.writeFakeMnist(dir.resolve("mnist"), 12, 6);
        Run c = run("convert", "--mnist", dir.resolve("mnist").toString(), "--out", dir.resolve("conv").toString(),
                "--limit-train", "10", "--threads", "2");
        assertThat(c.code()).as(c.err()).isZero();
        assertThat(c.out()).contains("Train: 10 samples converted", "Test: 6 samples converted");
        assertThat(c.err()).contains("[convert train]");

        Path file = dir.resolve("conv/Train/1/00002.bin");
        Path png = dir.resolve("pics/one.png");
        Run i = run("inspect", file.toString(), "--png", png.toString());
        assertThat(i.code()).as(i.err()).isZero();
        assertThat(i.out()).contains("events ", "ON fraction", "span", "wrote " + png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(3 * 34 * 8 + 4 * 4);
        boolean red = false;
        boolean blue = false;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xFFFFFF;
                red |= (rgb >> 16) > 100 && (rgb & 0xFF) == 0;
                blue |= (rgb & 0xFF) > 100 && (rgb >> 16) == 0;
            }
        }
        assertThat(red).as("ON pixels drawn").isTrue();
        assertThat(blue).as("OFF pixels drawn").isTrue();

        Run d = run("inspect", dir.resolve("conv").toString(), "--png", dir.resolve("d.png").toString());
        assertThat(d.code()).as(d.err()).isZero();
        assertThat(d.out()).contains("samples 10 ", "samples 6 ", "per sample mean", "samples per class:");
        assertThat(dir.resolve("d.png")).exists();

        Run b = run("bin", dir.resolve("conv/Test").toString(), "--out", dir.resolve("t.ebin").toString(), "-T", "4");
        assertThat(b.code()).as(b.err()).isZero();
        assertThat(b.out()).contains("6 samples, T=4", "fingerprint ");
        assertThat(BinnedSpikeDataset.open(dir.resolve("t.ebin")).size()).isEqualTo(6);
    }

    @Test
    void errorsAreOneLineWithExitCodeOne(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("S/2"));
        Files.write(dir.resolve("S/2/00001.bin"), new byte[] {1, 2, 3, 4, 5, 6});
        Run r = run("inspect", dir.resolve("S/2/00001.bin").toString(), "--no-png");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: ").contains("00001.bin at byte offset 5");
        Run lenient = run("inspect", dir.resolve("S").toString(), "--no-png", "--lenient");
        assertThat(lenient.code()).isZero();
        assertThat(lenient.out()).contains("skipped 1 malformed");
        Run w = run("bin", dir.resolve("S").toString(), "--out", dir.resolve("x").toString(), "--window-us", "5");
        assertThat(w.code()).isEqualTo(2);
        assertThat(w.err()).contains("--window-us must be START:END");
        Run f = run("fetch", "--out", dir.resolve("m").toString(), "--from", dir.resolve("none").toString(),
                "--npm", "", "--mirror", "http://127.0.0.1:1/");
        assertThat(f.code()).isEqualTo(2);
        assertThat(f.err()).contains("Sources tried:", "(1) directory", "skipped", "127.0.0.1:1");
    }
}
