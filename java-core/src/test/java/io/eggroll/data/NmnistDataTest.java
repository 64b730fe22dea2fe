package io.eggroll.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NmnistDataTest {

    @Test
    void anExplicitDataDirectoryIsUsedOrRefusedNeverReplaced(@TempDir Path dir) throws Exception {
        Map<String, String> hashes = DataFixtures.writeFakeMnist(dir.resolve("idx"), 30, 12);
        MnistFetcher.Options fo = DataFixtures.offline(dir.resolve("work/mnist"), dir.resolve("idx"), hashes);
        PrepareOptions o = PrepareOptions.defaults().withWorkDir(dir.resolve("work")).withLimits(4, 2).withThreads(1);
        assertThatThrownBy(() -> NmnistData.prepare(o.withDataDir(dir.resolve("missing")), fo, null))
                .hasMessageContaining("--data " + dir.resolve("missing")).hasMessageContaining("no such directory");
        Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(() -> NmnistData.prepare(o.withDataDir(dir.resolve("empty")), fo, null))
                .hasMessageContaining(dir.resolve("empty").toString()).hasMessageContaining("Train/ and Test/");
        assertThat(Files.exists(dir.resolve("work/nmnist-converted"))).as("nothing converted instead").isFalse();
    }

    @Test
    void convertsOnFirstUseThenReusesTheCache(@TempDir Path dir) throws Exception {
        Map<String, String> hashes = DataFixtures.writeFakeMnist(dir.resolve("idx"), 30, 12);
        PrepareOptions o = PrepareOptions.defaults().withWorkDir(dir.resolve("work")).withLimits(20, 10)
                .withBins(BinSpec.of(8)).withThreads(2);
        MnistFetcher.Options fo = DataFixtures.offline(dir.resolve("work/mnist"), dir.resolve("idx"), hashes);
        NmnistData.Prepared p = NmnistData.prepare(o, fo, null);
        assertThat(p.converted()).isTrue();
        assertThat(p.sourceDir()).isEqualTo(dir.resolve("work/nmnist-converted"));
        assertThat(p.train().size()).isEqualTo(20);
        assertThat(p.test().size()).isEqualTo(10);
        assertThat(p.train().timesteps()).isEqualTo(8);
        assertThat(p.train().name()).isEqualTo("conv-train");
        assertThat(Files.exists(dir.resolve("work/nmnist-converted/Train/3/00004.bin"))).isTrue();
        int[] out = new int[2312];
        long spikes = 0;
        for (int i = 0; i < p.train().size(); i++) {
            for (int t = 0; t < 8; t++) {
                spikes += p.train().activeInputs(i, t, out);
            }
        }
        assertThat(spikes).isPositive();

        long mtime = Files.getLastModifiedTime(p.train().file()).toMillis();
        NmnistData.Prepared again = NmnistData.prepare(o, fo, null);
        assertThat(again.train().file()).isEqualTo(p.train().file());
        assertThat(Files.getLastModifiedTime(again.train().file()).toMillis()).isEqualTo(mtime);
        assertThat(again.train().fingerprint()).isEqualTo(p.train().fingerprint());

        // More samples: only the missing ones are converted, the first 20 stay identical.
        NmnistData.Prepared more = NmnistData.prepare(o.withLimits(30, 10), fo, null);
        assertThat(more.train().size()).isEqualTo(30);
        // Different converter settings in the same folder are refused.
        assertThatThrownBy(() -> NmnistData.prepare(o.withLimits(30, 12).withDvs(
                new DvsParams(0.2, 0.2, 0.03, 1000, 0.5, 0.3, 1000, 315_000)), fo, null))
                .hasMessageContaining("convert.properties").hasMessageContaining("dvs=");
    }

    @Test
    void usesOfficialLayoutWhenPresent(@TempDir Path dir) throws Exception {
        for (Split s : Split.values()) {
            for (int i = 1; i <= 4; i++) {
                NmnistWriter.writeFile(NmnistWriter.sampleFile(dir.resolve("NMNIST"), s, i % 10, i),
                        DataFixtures.randomEvents(100, 300_000, i));
            }
        }
        PrepareOptions o = PrepareOptions.defaults().withDataDir(dir.resolve("NMNIST")).withWorkDir(dir.resolve("w"))
                .withThreads(1);
        MnistFetcher.Options never = DataFixtures.offline(dir.resolve("m"), null, Map.of("x", "y"));
        NmnistData.Prepared p = NmnistData.prepare(o, never, null);
        assertThat(p.converted()).isFalse();
        assertThat(p.train().size()).isEqualTo(4);
        assertThat(p.test().name()).isEqualTo("nmnist-test");
        assertThat(p.train().fingerprint()).isEqualTo(p.test().fingerprint()); // same files in both splits
    }
}
