package io.eggroll.data;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tiny event datasets for tests here and in other modules (the test-jar). */
public final class EventFixtures {

    private EventFixtures() {}

    /**
     * Writes a generic-format dataset into {@code dir}: 70 units (9-byte frames: one long and a tail
     * byte), classes "low" and "high", two training samples and one empty test sample.
     */
    public static Path writeUnits(Path dir) throws java.io.IOException {
        Files.createDirectories(dir.resolve("train"));
        Files.createDirectories(dir.resolve("test"));
        Files.writeString(dir.resolve("train/a.csv"), "t,unit\n0,3\n1500,69\n# a comment\n\n1500,69\n");
        Files.writeString(dir.resolve("train/b.csv"), "10,64\r\n2999,65\r\n");
        Files.writeString(dir.resolve("test/c.csv"), "");
        Files.writeString(dir.resolve(EventFiles.MANIFEST), """
                {"version": 1, "sensor": {"units": 70}, "timeUnit": "us", "classes": ["low", "high"],
                 "samples": [
                   {"file": "train/a.csv", "label": "low", "split": "train"},
                   {"file": "test/c.csv", "label": 1, "split": "test"},
                   {"file": "train/b.csv", "label": "high", "split": "train"}
                 ]}""");
        return dir;
    }

    /**
     * A folder of SHD-layout files on the classpath, written once by make_fixtures.py beside them:
     * {@code ok} (12 train and 4 test samples of classes 0-3), {@code float32}, {@code badunit},
     * {@code nolabels}.
     */
    public static Path shd(String name) {
        try {
            return Path.of(EventFixtures.class.getResource("shd/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
