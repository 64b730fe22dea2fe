package io.eggroll.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads the tiny SHD-layout files under src/test/resources/io/eggroll/data/shd, written once by
 * the make_fixtures.py beside them with h5py in the released files' layout and dtypes.
 */
class ShdEventsTest {

    static Path fixture(String name) {
        return EventFixtures.shd(name);
    }

    @Test
    void readsTheReleasedLayout() throws Exception {
        ShdEvents shd = ShdEvents.open(fixture("ok"));
        assertThat(shd.id()).isEqualTo("shd");
        assertThat(shd.classes()).isEqualTo(20);
        assertThat(shd.sensor()).isEqualTo(SensorShape.units(700));
        EventSource train = shd.split(Split.TRAIN);
        assertThat(train.name()).isEqualTo("shd-train");
        assertThat(train.size()).isEqualTo(12);
        assertThat(train.label(0)).isZero();
        assertThat(train.label(5)).isEqualTo(1);
        EventBuffer e = new EventBuffer();
        train.read(0, e);
        // make_fixtures.py: 60 spikes per sample, sample 0 in units 0..34, times 0..0.5 s as float16;
        // the first spike of sample 0 is unit 16 at float16(0.003546) s.
        assertThat(e.size()).isEqualTo(60);
        assertThat(e.x(0)).isEqualTo(16);
        assertThat(e.t(0)).isEqualTo(3546);
        for (int i = 0; i < e.size(); i++) {
            assertThat(e.x(i)).isBetween(0, 34);
            assertThat(e.y(i)).isZero();
            assertThat(e.p(i)).isZero();
            assertThat(e.t(i)).isBetween(0, 500_000);
        }
        train.read(5, e);
        for (int i = 0; i < e.size(); i++) {
            assertThat(e.x(i)).isBetween(35, 69);
        }
        assertThat(shd.split(Split.TEST).size()).isEqualTo(4);
    }

    @Test
    void float32TimesReadToo() throws Exception {
        EventSource s = ShdEvents.open(fixture("float32")).split(Split.TRAIN);
        EventBuffer e = new EventBuffer();
        s.read(1, e);
        assertThat(e.size()).isEqualTo(60);
        assertThat(s.label(1)).isEqualTo(1);
    }

    @Test
    void aUnitOffTheSensorNamesFileSampleAndField(@TempDir Path work) {
        Path dir = fixture("badunit");
        PrepareOptions opts = PrepareOptions.defaults().withWorkDir(work).withThreads(1);
        assertThatThrownBy(() -> EventData.prepare(ShdEvents.open(dir), opts, null))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining(dir.resolve("shd_train.h5").toString())
                .hasMessageContaining("spikes/units[1][3] = 700")
                .hasMessageContaining("0..699");
    }

    @Test
    void aMissingLabelsDatasetIsNamed() {
        Path dir = fixture("nolabels");
        assertThatThrownBy(() -> ShdEvents.open(dir).split(Split.TRAIN))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining("shd_train.h5")
                .hasMessageContaining("missing dataset labels");
    }

    @Test
    void aFolderWithoutTheFilesSaysWhereToGetThem(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("shd_train.h5.gz"), "x");
        assertThatThrownBy(() -> ShdEvents.open(dir))
                .hasMessageContaining("shd_train.h5").hasMessageContaining("unpack")
                .hasMessageContaining("zenkelab.org/datasets");
    }

    @Test
    void aFileThatIsNotHdf5IsNamed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("shd_train.h5"), "not hdf5 at all");
        Files.copy(fixture("ok").resolve("shd_test.h5"), dir.resolve("shd_test.h5"));
        assertThatThrownBy(() -> ShdEvents.open(dir).split(Split.TRAIN))
                .isInstanceOf(EventFormatException.class)
                .hasMessageContaining(dir.resolve("shd_train.h5").toString());
        assertThat(ShdEvents.open(dir).split(Split.TEST).size()).isEqualTo(4);
    }

    @Test
    void binsAndPoolsLikeAnyOtherSource(@TempDir Path work) throws Exception {
        PrepareOptions opts = PrepareOptions.defaults().withWorkDir(work).withThreads(2)
                .withBins(new BinSpec(10, 0, 500_000));
        EventData.Prepared p = EventData.prepare(ShdEvents.open(fixture("ok")), opts, null);
        assertThat(p.train().inputs()).isEqualTo(700);
        assertThat(p.train().classes()).isEqualTo(20);
        assertThat(p.train().size()).isEqualTo(12);
        assertThat(p.test().size()).isEqualTo(4);
        assertThat(p.train().name()).isEqualTo("shd-train");
        // Every spike of sample 1 (label 1) lies in units 35..69: pooled by 5, inputs 7..13.
        SpikeDataset pooled = PooledSpikeDataset.of(p.train(), p.sensor(), 5);
        assertThat(pooled.inputs()).isEqualTo(140);
        int[] out = new int[140];
        int active = 0;
        for (int t = 0; t < pooled.timesteps(); t++) {
            int n = pooled.activeInputs(1, t, out);
            for (int k = 0; k < n; k++) {
                assertThat(out[k]).isBetween(7, 13);
            }
            active += n;
        }
        assertThat(active).isPositive();
        // Same files, same binning: the cache is reused (same file, same fingerprint).
        EventData.Prepared again = EventData.prepare(ShdEvents.open(fixture("ok")), opts, null);
        assertThat(again.train().file()).isEqualTo(p.train().file());
        assertThat(again.train().fingerprint()).isEqualTo(p.train().fingerprint());
        BinnedSpikeDataset.open(p.train().file()).verify();
    }
}
