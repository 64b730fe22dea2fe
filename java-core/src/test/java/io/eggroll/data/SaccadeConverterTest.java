package io.eggroll.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaccadeConverterTest {

    private static MnistSet fake(int n) {
        return new MnistSet(n, 28, 28, DataFixtures.syntheticDigits(n, 11), DataFixtures.labels(n));
    }

    @Test
    void saccadePathIsTheClosedTriangle() {
        double[] o = new double[2];
        SaccadeConverter.saccadeOffset(105_000, o);
        assertThat(o).containsExactly(3.5, 7.0);
        SaccadeConverter.saccadeOffset(210_000, o);
        assertThat(o).containsExactly(7.0, 0.0);
        SaccadeConverter.saccadeOffset(315_000, o);
        assertThat(o).containsExactly(0.0, 0.0);
        SaccadeConverter.saccadeOffset(52_500, o);
        assertThat(o).containsExactly(1.75, 3.5);
    }

    @Test
    void outputIsIdenticalForAnyThreadCountAndDependsOnSeed(@TempDir Path dir) throws Exception {
        MnistSet m = fake(24);
        SaccadeConverter c = new SaccadeConverter(DvsParams.DEFAULT);
        c.convert(m, Split.TRAIN, dir.resolve("a"), 0, 5, 1, false, null);
        c.convert(m, Split.TRAIN, dir.resolve("b"), 0, 5, 3, false, null);
        c.convert(m, Split.TRAIN, dir.resolve("c"), 0, 6, 2, false, null);
        List<NmnistSample> a = NmnistReader.listSplit(dir.resolve("a/Train"));
        assertThat(a).hasSize(24);
        int differ = 0;
        for (NmnistSample s : a) {
            Path rel = dir.resolve("a").relativize(s.file());
            byte[] bytesA = Files.readAllBytes(s.file());
            assertThat(Files.readAllBytes(dir.resolve("b").resolve(rel))).as(rel.toString()).isEqualTo(bytesA);
            if (!java.util.Arrays.equals(bytesA, Files.readAllBytes(dir.resolve("c").resolve(rel)))) {
                differ++;
            }
        }
        assertThat(differ).as("another seed changes the recordings").isEqualTo(24);
        // same seed, different split: different noise and mismatch
        assertThat(SaccadeConverter.sampleSeed(5, Split.TRAIN, 1)).isNotEqualTo(SaccadeConverter.sampleSeed(5, Split.TEST, 1));
    }

    @Test
    void statisticsLookLikeARecording(@TempDir Path dir) throws Exception {
        MnistSet m = fake(40);
        SaccadeConverter.Stats st = new SaccadeConverter(DvsParams.DEFAULT)
                .convert(m, Split.TEST, dir, 0, 0, 2, false, null);
        assertThat(st.samples()).isEqualTo(40);
        // Synthetic rings and bars are simpler than digits; real MNIST gives ~4,400 (docs/DATA.md).
        assertThat(st.meanEvents()).isBetween(500.0, 12_000.0);
        assertThat(st.maxTimeUs()).isLessThanOrEqualTo(320_000);
        assertThat(st.onFraction()).isBetween(0.3, 0.7);
        NmnistReader.forEach(dir.resolve("Test"), false, (s, e) -> {
            assertThat(e.onCount()).isPositive();
            assertThat(e.size() - e.onCount()).isPositive();
            for (int i = 1; i < e.size(); i++) {
                assertThat(e.t(i)).isGreaterThanOrEqualTo(e.t(i - 1));
            }
            // events in all three saccades
            int[] perSaccade = new int[3];
            for (int i = 0; i < e.size(); i++) {
                perSaccade[Math.min(2, e.t(i) / 105_000)]++;
            }
            for (int c : perSaccade) {
                assertThat(c).isGreaterThan(e.size() / 10);
            }
        });
    }

    @Test
    void blankImageGivesOnlyNoise(@TempDir Path dir) throws Exception {
        MnistSet blank = new MnistSet(1, 28, 28, new byte[784], new byte[] {0});
        SaccadeConverter.Stats st = new SaccadeConverter(DvsParams.DEFAULT).convert(blank, Split.TRAIN, dir, 0, 0, 1, false, null);
        // 0.5 Hz x 1156 px x 0.315 s = 182 expected noise events
        assertThat(st.events()).isBetween(120L, 250L);
        DvsParams quiet = new DvsParams(0.3, 0.3, 0.03, 1000, 0, 0.3, 1000, 315_000);
        st = new SaccadeConverter(quiet).convert(blank, Split.TRAIN, dir, 0, 0, 1, true, null);
        assertThat(st.events()).isZero();
    }

    @Test
    void refractoryPeriodHoldsPerPixel(@TempDir Path dir) throws Exception {
        DvsParams p = new DvsParams(0.05, 0.05, 0.0, 2000, 0, 0.3, 1000, 315_000);
        new SaccadeConverter(p).convert(fake(3), Split.TRAIN, dir, 0, 0, 1, false, null);
        NmnistReader.forEach(dir.resolve("Train"), false, (s, e) -> {
            int[] last = new int[34 * 34];
            java.util.Arrays.fill(last, -1_000_000);
            for (int i = 0; i < e.size(); i++) {
                int px = e.y(i) * 34 + e.x(i);
                assertThat(e.t(i) - last[px]).isGreaterThanOrEqualTo(1999);
                last[px] = e.t(i);
            }
        });
    }
}
