package io.eggroll.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The N-MNIST release (or the set converted from MNIST) as an {@link EventDataset}: the
 * {@code Train/} and {@code Test/} folders of {@code <digit>/<NNNNN>.bin} files read by
 * {@link NmnistReader}, on the 2 x 34 x 34 sensor, 10 classes.
 */
public final class NmnistEvents implements EventDataset {

    private final Path root;
    private final String prefix;

    /**
     * @param root the folder holding {@code Train/} and {@code Test/}
     * @param prefix split names are {@code <prefix>-train} and {@code <prefix>-test}
     */
    public NmnistEvents(Path root, String prefix) {
        this.root = root;
        this.prefix = prefix;
    }

    @Override
    public String id() {
        return prefix;
    }

    @Override
    public SensorShape sensor() {
        return SensorShape.NMNIST;
    }

    @Override
    public int classes() {
        return 10;
    }

    @Override
    public EventSource split(Split split) throws IOException {
        Path dir = root.resolve(split.folder());
        return source(prefix + "-" + split.id(), root, NmnistReader.listSplit(dir));
    }

    /** A list of {@code .bin} samples under {@code root} as a source. */
    public static EventSource source(String name, Path root, List<NmnistSample> samples) {
        int[] labels = samples.stream().mapToInt(NmnistSample::label).toArray();
        return new LabelledSource(name, SensorShape.NMNIST, 10, labels, root,
                samples.stream().map(NmnistSample::file).toList()) {
            @Override
            public void read(int i, EventBuffer out) throws IOException {
                NmnistReader.readFile(samples.get(i).file(), out);
            }
        };
    }
}
