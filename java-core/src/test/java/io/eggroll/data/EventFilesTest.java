package io.eggroll.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventFilesTest {

    static Path writeUnits(Path dir) throws Exception {
        return EventFixtures.writeUnits(dir);
    }

    @Test
    void readsAOneDimensionalDataset(@TempDir Path dir) throws Exception {
        EventFiles ds = EventFiles.open(writeUnits(dir));
        assertThat(ds.sensor()).isEqualTo(SensorShape.units(70));
        assertThat(ds.classes()).isEqualTo(2);
        assertThat(ds.classNames()).containsExactly("low", "high");
        EventSource train = ds.split(Split.TRAIN);
        assertThat(train.name()).isEqualTo("events-train");
        assertThat(train.size()).isEqualTo(2);
        assertThat(train.label(0)).isZero();
        assertThat(train.label(1)).isEqualTo(1);
        EventBuffer e = new EventBuffer();
        train.read(0, e);
        assertThat(e.size()).isEqualTo(3);
        assertThat(e.x(1)).isEqualTo(69);
        assertThat(e.t(1)).isEqualTo(1500);
        assertThat(e.y(1)).isZero();
        assertThat(ds.split(Split.TEST).size()).isEqualTo(1);
    }

    @Test
    void binsTheTailBitsOfAnOddSensor(@TempDir Path dir) throws Exception {
        writeUnits(dir.resolve("src"));
        PrepareOptions opts = PrepareOptions.defaults().withWorkDir(dir.resolve("work")).withThreads(2)
                .withBins(new BinSpec(3, 0, 3000));
        EventData.Prepared p = EventData.prepare(EventFiles.open(dir.resolve("src")), opts, null);
        BinnedSpikeDataset train = p.train();
        assertThat(train.inputs()).isEqualTo(70);
        int[] out = new int[70];
        // sample a: unit 3 at 0 us (bin 0), unit 69 twice at 1500 us (bin 1, one spike: OR)
        assertThat(active(train, 0, 0, out)).containsExactly(3);
        assertThat(active(train, 0, 1, out)).containsExactly(69);
        assertThat(active(train, 0, 2, out)).isEmpty();
        // sample b: unit 64 (the first bit after the whole long) in bin 0, unit 65 in bin 2
        assertThat(active(train, 1, 0, out)).containsExactly(64);
        assertThat(active(train, 1, 2, out)).containsExactly(65);
        assertThat(p.test().size()).isEqualTo(1);
        assertThat(p.test().label(0)).isEqualTo(1);
        // Pooled by 8: 70 units -> 9 inputs; unit 69 -> 8
        SpikeDataset pooled = PooledSpikeDataset.of(train, p.sensor(), 8);
        assertThat(pooled.inputs()).isEqualTo(9);
        assertThat(active(pooled, 0, 1, out)).containsExactly(8);
    }

    private static int[] active(SpikeDataset d, int i, int t, int[] out) {
        return java.util.Arrays.copyOf(out, d.activeInputs(i, t, out));
    }

    @Test
    void readsATwoDimensionalSensorWithTimesInSeconds(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("s.csv"), "0.001, 2, 1, 1\n0.0025,0,0,0\n");
        Files.writeString(dir.resolve(EventFiles.MANIFEST), """
                {"sensor": {"width": 3, "height": 2, "polarities": 2}, "timeUnit": "s", "classes": 3,
                 "samples": [{"file": "s.csv", "label": 2, "split": "train"},
                             {"file": "./s.csv", "label": 0, "split": "test"}]}""");
        EventFiles ds = EventFiles.open(dir);
        EventBuffer e = new EventBuffer();
        ds.split(Split.TRAIN).read(0, e);
        assertThat(e.size()).isEqualTo(2);
        assertThat(e.t(0)).isEqualTo(1000);
        assertThat(e.t(1)).isEqualTo(2500);
        assertThat(ds.sensor().index(e.x(0), e.y(0), e.p(0))).isEqualTo((1 * 2 + 1) * 3 + 2);
    }

    private static String manifest(String samplesAndMore) {
        return "{\"sensor\": {\"units\": 4}, \"classes\": [\"a\", \"b\"], " + samplesAndMore + "}";
    }

    private static void assertRefused(Path dir, String manifestJson, String... messageParts) throws Exception {
        Files.writeString(dir.resolve(EventFiles.MANIFEST), manifestJson);
        var t = assertThatThrownBy(() -> EventFiles.open(dir)).isInstanceOf(EventFormatException.class)
                .hasMessageContaining(dir.resolve(EventFiles.MANIFEST).toString());
        for (String part : messageParts) {
            t.hasMessageContaining(part);
        }
    }

    @Test
    void badManifestsAreRefusedNamingTheField(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("x.csv"), "0,1\n");
        String ok = "{\"file\": \"x.csv\", \"label\": \"a\", \"split\": \"train\"}";
        assertRefused(dir, "{\"classes\": 2, \"samples\": []}", "missing field 'sensor'");
        assertRefused(dir, "{\"sensor\": {\"units\": 4}, \"samples\": []}", "missing field 'classes'");
        assertRefused(dir, manifest("\"samples\": [{\"label\": \"a\", \"split\": \"train\"}]"),
                "missing field 'samples[0].file'");
        assertRefused(dir, manifest("\"samples\": [" + ok.replace("\"a\"", "\"c\"") + "]"),
                "samples[0].label \"c\" is not one of the classes [a, b]");
        assertRefused(dir, manifest("\"samples\": [" + ok.replace("\"a\"", "2") + "]"),
                "samples[0].label must be a class name or an index 0..1");
        assertRefused(dir, manifest("\"samples\": [" + ok.replace("train", "valid") + "]"),
                "samples[0].split must be \"train\" or \"test\"");
        assertRefused(dir, manifest("\"samples\": [" + ok.replace("x.csv", "../x.csv") + "]"),
                "samples[0].file \"../x.csv\" lies outside");
        assertRefused(dir, manifest("\"samples\": [" + ok.replace("x.csv", "y.csv") + "]"),
                "samples[0].file \"y.csv\": no such file");
        assertRefused(dir, manifest("\"samples\": [], \"labels\": 3"), "unknown field 'labels'");
        assertRefused(dir, manifest("\"samples\": [], \"timeUnit\": \"min\""), "timeUnit");
        assertRefused(dir, "{\"sensor\": {\"width\": 0, \"height\": 1, \"polarities\": 1}, \"classes\": 2, \"samples\": []}",
                "field 'sensor.width' must be an integer 1..");
        assertRefused(dir, "{\"sensor\": {\"units\": 4}, \"classes\": [\"a\", \"a\"], \"samples\": []}", "classes[1]");
        assertRefused(dir, "{\"sensor\": ", "not valid JSON");
        assertThatThrownBy(() -> EventFiles.open(dir.resolve("nowhere"))).hasMessageContaining("manifest.json");
    }

    @Test
    void badEventsAreRefusedNamingFileAndLine(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve(EventFiles.MANIFEST),
                manifest("\"samples\": [{\"file\": \"x.csv\", \"label\": \"a\", \"split\": \"train\"}]"));
        Files.writeString(dir.resolve("x.csv"), "0,1\n");
        EventFiles ds = EventFiles.open(dir);
        Path f = dir.resolve("x.csv");
        EventBuffer e = new EventBuffer();
        assertThatThrownBy(() -> ds.readSample(f, "0,1\n5,4\n".getBytes(), e))
                .isInstanceOf(EventFormatException.class).hasMessageContaining(f.toString())
                .hasMessageContaining("line 2: unit '4' is off the sensor (4 units): must be an integer 0..3");
        assertThatThrownBy(() -> ds.readSample(f, "-1,0\n".getBytes(), e)).hasMessageContaining("line 1: t '-1'");
        assertThatThrownBy(() -> ds.readSample(f, "1,2,3\n".getBytes(), e))
                .hasMessageContaining("line 1: expected 2 comma-separated fields (t,unit), got 3");
        assertThatThrownBy(() -> ds.readSample(f, "NaN,1\n".getBytes(), e)).hasMessageContaining("t 'NaN'");
        assertThatThrownBy(() -> ds.readSample(f, new byte[] {(byte) 0xC3, 0x28}, e)).hasMessageContaining("not UTF-8");
        // Through the binning too: the cache build names the sample file.
        Files.writeString(f, "0,1\n7,9\n");
        PrepareOptions opts = PrepareOptions.defaults().withWorkDir(dir.resolve("work")).withThreads(1);
        assertThatThrownBy(() -> EventData.prepare(ds, opts, null)).isInstanceOf(EventFormatException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("line 2");
    }
}
