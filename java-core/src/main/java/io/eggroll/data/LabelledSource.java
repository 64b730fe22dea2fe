package io.eggroll.data;

import java.nio.file.Path;
import java.util.List;

/** An {@link EventSource} whose labels, sensor and files are known up front; subclasses decode events. */
abstract class LabelledSource implements EventSource {

    private final String name;
    private final SensorShape sensor;
    private final int classes;
    private final int[] labels;
    private final Path root;
    private final List<Path> files;

    LabelledSource(String name, SensorShape sensor, int classes, int[] labels, Path root, List<Path> files) {
        this.name = name;
        this.sensor = sensor;
        this.classes = classes;
        this.labels = labels;
        this.root = root;
        this.files = List.copyOf(files);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public SensorShape sensor() {
        return sensor;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public int label(int i) {
        return labels[i];
    }

    @Override
    public List<Path> files() {
        return files;
    }

    @Override
    public Path root() {
        return root;
    }
}
