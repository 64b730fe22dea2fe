package io.eggroll.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NmnistReaderTest {

    @Test
    void aBinThatCannotBeDecodedWithinTheHeapIsRefusedBeforeItIsRead() throws Exception {
        Path f = Path.of("Train/3/00042.bin");
        long mib = 1L << 20;
        assertThatThrownBy(() -> NmnistReader.requireDecodable(f, 100 * mib, 256 * mib))
                .isInstanceOf(NmnistFormatException.class)
                .hasMessage(f + ": 104,857,600 bytes (100 MiB): reading it as an N-MNIST .bin file (one sample is a few "
                        + "KB) needs about 360 MiB of heap, and this JVM has at most 256 MiB; is it the right file? "
                        + "(EGGROLL_JAVA_OPTS=-Xmx<size> gives the JVM more)");
        NmnistReader.requireDecodable(f, 10 * mib, 256 * mib);
    }


    @Test
    void directoryRoundTripInSortedOrder(@TempDir Path root) throws Exception {
        List<EventBuffer> written = new ArrayList<>();
        // indices 1..12, label = index % 3 (written out of order on purpose)
        for (int idx = 12; idx >= 1; idx--) {
            EventBuffer e = DataFixtures.randomEvents(10 + idx, 300_000, idx);
            NmnistWriter.writeFile(NmnistWriter.sampleFile(root, Split.TRAIN, idx % 3, idx), e);
        }
        Files.writeString(root.resolve("Train/0/readme.txt"), "not an event file");
        Files.createDirectories(root.resolve("Train/extra"));
        List<NmnistSample> samples = NmnistReader.listSplit(root.resolve("Train"));
        assertThat(samples).extracting(NmnistSample::index).containsExactly(3, 6, 9, 12, 1, 4, 7, 10, 2, 5, 8, 11);
        assertThat(samples).extracting(NmnistSample::label).containsExactly(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2);
        List<Integer> sizes = new ArrayList<>();
        NmnistReader.ReadReport r = NmnistReader.forEach(root.resolve("Train"), false, (s, e) -> {
            assertThat(e.sameEvents(DataFixtures.randomEvents(10 + s.index(), 300_000, s.index()))).isTrue();
            sizes.add(e.size());
        });
        assertThat(r.read()).isEqualTo(12);
        assertThat(r.skipped()).isZero();
        assertThat(sizes).hasSize(12);
    }

    @Test
    void limitKeepsSmallestIndicesInReadingOrder(@TempDir Path root) throws Exception {
        for (int idx = 1; idx <= 10; idx++) {
            NmnistWriter.writeFile(NmnistWriter.sampleFile(root, Split.TEST, idx % 2, idx), new EventBuffer());
        }
        List<NmnistSample> lim = NmnistReader.limit(NmnistReader.listSplit(root.resolve("Test")), 4);
        assertThat(lim).extracting(NmnistSample::index).containsExactly(2, 4, 1, 3);
    }

    @Test
    void strictModeFailsOnMalformedFileLenientSkipsAndCounts(@TempDir Path root) throws Exception {
        NmnistWriter.writeFile(NmnistWriter.sampleFile(root, Split.TRAIN, 1, 1), DataFixtures.randomEvents(5, 1000, 1));
        Path bad1 = root.resolve("Train/1/00002.bin");
        Files.write(bad1, new byte[] {1, 2, 3, 4, 5, 6, 7});
        Path bad2 = root.resolve("Train/2/00003.bin");
        Files.createDirectories(bad2.getParent());
        Files.write(bad2, new byte[] {40, 1, 0, 0, 1});
        NmnistWriter.writeFile(NmnistWriter.sampleFile(root, Split.TRAIN, 3, 4), DataFixtures.randomEvents(5, 1000, 2));

        assertThatThrownBy(() -> NmnistReader.forEach(root.resolve("Train"), false, (s, e) -> {}))
                .isInstanceOf(NmnistFormatException.class)
                .hasMessageContaining(bad1.toString()).hasMessageContaining("byte offset 5");

        List<Integer> seen = new ArrayList<>();
        NmnistReader.ReadReport r = NmnistReader.forEach(root.resolve("Train"), true, (s, e) -> seen.add(s.index()));
        assertThat(seen).containsExactly(1, 4);
        assertThat(r.read()).isEqualTo(2);
        assertThat(r.skipped()).isEqualTo(2);
        assertThat(r.problems()).hasSize(2);
        assertThat(r.problems().get(1)).contains(bad2.toString()).contains("byte offset 0").contains("x=40");
    }

    @Test
    void missingOrEmptySplitFolderIsAClearError(@TempDir Path root) throws Exception {
        assertThatThrownBy(() -> NmnistReader.listSplit(root.resolve("Nope"))).hasMessageContaining("Nope");
        Files.createDirectories(root.resolve("Empty"));
        assertThatThrownBy(() -> NmnistReader.listSplit(root.resolve("Empty"))).hasMessageContaining("no digit folders");
    }
}
