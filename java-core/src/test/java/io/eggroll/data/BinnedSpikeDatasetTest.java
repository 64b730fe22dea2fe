package io.eggroll.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinnedSpikeDatasetTest {

    private static final String SRC = "ab".repeat(32);

    @Test
    void binRuleAtWindowBoundaries() {
        BinSpec b = new BinSpec(3, 1000, 4000);
        assertThat(b.bin(999)).isEqualTo(-1);
        assertThat(b.bin(1000)).isZero();
        assertThat(b.bin(1999)).isZero();
        assertThat(b.bin(2000)).isEqualTo(1);
        assertThat(b.bin(3999)).isEqualTo(2);
        assertThat(b.bin(4000)).as("t == end excluded").isEqualTo(-1);
        BinSpec odd = new BinSpec(7, 0, 300_000); // bins of 42857.14 us
        assertThat(odd.bin(42_857)).isZero();
        assertThat(odd.bin(42_858)).isEqualTo(1);
        assertThatThrownBy(() -> new BinSpec(0, 0, 1)).hasMessageContaining("timesteps");
        assertThatThrownBy(() -> new BinSpec(4, 5, 5)).hasMessageContaining("start=5");
    }

    @Test
    void orBinningAndInputIndexMatchLavaDl() {
        EventBuffer e = new EventBuffer();
        e.add(3, 2, 1, 10);   // ON: 1156 + 2*34 + 3 = 1227
        e.add(3, 2, 1, 20);   // same bin: OR
        e.add(33, 33, 0, 150_000); // OFF: 33*34+33 = 1155, bin 1
        e.add(0, 0, 0, 300_000);   // dropped
        BinSpec b = new BinSpec(2, 0, 300_000);
        byte[] frames = new byte[(int) b.sampleBytes()];
        assertThat(b.binInto(e, frames, 0)).isEqualTo(3);
        assertThat(frames[1227 >>> 3] & 0xFF).isEqualTo(1 << (1227 & 7));
        assertThat(frames[289 + (1155 >>> 3)] & 0xFF).isEqualTo(1 << (1155 & 7));
        int bits = 0;
        for (byte x : frames) {
            bits += Integer.bitCount(x & 0xFF);
        }
        assertThat(bits).isEqualTo(2);
    }

    /** Writes samples (one per label, including an empty one) and returns them in reading order. */
    private static List<EventBuffer> writeSplit(Path split, int n, long seed) throws Exception {
        for (int i = 1; i <= n; i++) {
            EventBuffer e = i == 3 ? new EventBuffer() : DataFixtures.randomEvents(50 + 37 * i, 320_000, seed + i);
            NmnistWriter.writeFile(split.resolve(Integer.toString(i % 10)).resolve(String.format("%05d.bin", i)), e);
        }
        List<EventBuffer> out = new ArrayList<>();
        NmnistReader.forEach(split, false, (s, e) -> out.add(e.copy()));
        return out;
    }

    @Test
    void cacheRoundTripEqualsInMemoryBinning(@TempDir Path dir) throws Exception {
        Path split = dir.resolve("Train");
        List<EventBuffer> events = writeSplit(split, 13, 1);
        List<NmnistSample> samples = NmnistReader.listSplit(split);
        BinSpec spec = new BinSpec(5, 20_000, 290_000);
        Path cache = dir.resolve("c.ebin");
        BinnedCacheWriter.Result r = BinnedCacheWriter.build(samples, spec, cache, SRC, "t-train", false, 3, null);
        BinnedSpikeDataset ds = BinnedSpikeDataset.open(cache);
        assertThat(Files.size(cache)).isEqualTo(128 + 16 + 13L * 5 * 289);
        assertThat(ds.size()).isEqualTo(13);
        assertThat(ds.inputs()).isEqualTo(2312);
        assertThat(ds.timesteps()).isEqualTo(5);
        assertThat(ds.classes()).isEqualTo(10);
        assertThat(ds.name()).isEqualTo("t-train");
        assertThat(ds.sourceFingerprint()).isEqualTo(SRC);
        assertThat(ds.fingerprint()).isEqualTo(r.dataset().fingerprint()).hasSize(64);
        ds.verify();
        int[] out = new int[2312];
        for (int i = 0; i < 13; i++) {
            assertThat(ds.label(i)).isEqualTo(samples.get(i).label());
            EventBuffer e = events.get(i);
            for (int t = 0; t < 5; t++) {
                TreeSet<Integer> expected = new TreeSet<>();
                for (int k = 0; k < e.size(); k++) {
                    if (spec.bin(e.t(k)) == t) {
                        expected.add(e.p(k) * 1156 + e.y(k) * 34 + e.x(k));
                    }
                }
                int n = ds.activeInputs(i, t, out);
                assertThat(java.util.Arrays.stream(out, 0, n).boxed().toList()).as("sample %d frame %d", i, t)
                        .containsExactlyElementsOf(expected);
            }
        }
        int emptyIdx = samples.stream().map(NmnistSample::index).toList().indexOf(3);
        for (int t = 0; t < 5; t++) {
            assertThat(ds.activeInputs(emptyIdx, t, out)).isZero();
        }
        assertThatThrownBy(() -> ds.activeInputs(13, 0, out)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void highestInputIndexIsReadFromTheLastByte(@TempDir Path dir) throws Exception {
        EventBuffer e = new EventBuffer();
        e.add(33, 33, 1, 0); // input 2311, the last bit of the 289th byte
        e.add(0, 0, 0, 0);   // input 0
        e.add(31, 31, 1, 0); // 1156 + 31*34 + 31 = 2241, inside the 36 longs
        NmnistWriter.writeFile(dir.resolve("S/5/00001.bin"), e);
        Path cache = dir.resolve("x.ebin");
        BinnedCacheWriter.build(NmnistReader.listSplit(dir.resolve("S")), BinSpec.of(1), cache, SRC, "x", false, 1, null);
        int[] out = new int[2312];
        BinnedSpikeDataset ds = BinnedSpikeDataset.open(cache);
        int n = ds.activeInputs(0, 0, out);
        assertThat(java.util.Arrays.copyOf(out, n)).containsExactly(0, 2241, 2311);
        assertThat(ds.label(0)).isEqualTo(5);
    }

    @Test
    void fingerprintChangesWhenDataChangesAndVerifyDetectsCorruption(@TempDir Path dir) throws Exception {
        Path split = dir.resolve("Train");
        writeSplit(split, 6, 1);
        BinSpec spec = BinSpec.of(4);
        BinnedSpikeDataset a = BinnedCacheWriter.build(NmnistReader.listSplit(split), spec, dir.resolve("a.ebin"), SRC,
                "a", false, 2, null).dataset();
        // same spikes, different name and source fingerprint: same content fingerprint
        BinnedSpikeDataset a2 = BinnedCacheWriter.build(NmnistReader.listSplit(split), spec, dir.resolve("a2.ebin"),
                "cd".repeat(32), "other", false, 1, null).dataset();
        assertThat(a2.fingerprint()).isEqualTo(a.fingerprint());
        EventBuffer e = new EventBuffer();
        e.add(1, 1, 1, 1);
        NmnistWriter.writeFile(split.resolve("1/00001.bin"), e);
        BinnedSpikeDataset b = BinnedCacheWriter.build(NmnistReader.listSplit(split), spec, dir.resolve("b.ebin"), SRC,
                "b", false, 2, null).dataset();
        assertThat(b.fingerprint()).isNotEqualTo(a.fingerprint());
        BinnedSpikeDataset c = BinnedCacheWriter.build(NmnistReader.listSplit(split), BinSpec.of(5), dir.resolve("c.ebin"),
                SRC, "c", false, 2, null).dataset();
        assertThat(c.fingerprint()).isNotEqualTo(b.fingerprint());

        Path file = dir.resolve("a.ebin");
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(raf.length() - 1);
            int v = raf.read();
            raf.seek(raf.length() - 1);
            raf.write(v ^ 0x10);
        }
        assertThatThrownBy(() -> BinnedSpikeDataset.open(file).verify()).hasMessageContaining("fingerprint mismatch")
                .hasMessageContaining(file.toString());
    }

    @Test
    void lenientBuildSkipsMalformedFilesAndHeaderIsValidated(@TempDir Path dir) throws Exception {
        Path split = dir.resolve("Test");
        writeSplit(split, 5, 2);
        Files.createDirectories(split.resolve("7"));
        Files.write(split.resolve("7/00007.bin"), new byte[] {1, 2, 3});
        List<NmnistSample> samples = NmnistReader.listSplit(split);
        assertThatThrownBy(() -> BinnedCacheWriter.build(samples, BinSpec.of(2), dir.resolve("s.ebin"), SRC, "s",
                false, 2, null)).isInstanceOf(NmnistFormatException.class).hasMessageContaining("00007.bin");
        assertThat(dir.resolve("s.ebin.tmp")).as("a failed binning leaves no temporary file").doesNotExist();
        assertThat(dir.resolve("s.ebin")).doesNotExist();
        BinnedCacheWriter.Result r = BinnedCacheWriter.build(samples, BinSpec.of(2), dir.resolve("l.ebin"), SRC, "l",
                true, 2, null);
        assertThat(r.skipped()).isEqualTo(1);
        assertThat(r.problems().getFirst()).contains("00007.bin");
        assertThat(r.dataset().size()).isEqualTo(5);
        r.dataset().verify();
        assertThat(java.util.stream.IntStream.range(0, 5).map(r.dataset()::label).boxed().toList())
                .containsExactly(1, 2, 3, 4, 5);

        Path trunc = dir.resolve("t.ebin");
        Files.write(trunc, java.util.Arrays.copyOf(Files.readAllBytes(dir.resolve("l.ebin")), 500));
        assertThatThrownBy(() -> BinnedSpikeDataset.open(trunc)).hasMessageContaining("does not match the header");
        Files.write(trunc, new byte[200]);
        assertThatThrownBy(() -> BinnedSpikeDataset.open(trunc)).hasMessageContaining("bad magic");
    }
}
