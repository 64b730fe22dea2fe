package io.eggroll.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One split of an event dataset, before binning: {@link #size()} labelled samples, each a list of
 * events on {@link #sensor()}. Every reader ({@link NmnistEvents}, {@link ShdEvents},
 * {@link EventFiles}) hands its splits over as this, and {@link EventData} bins, pools and caches
 * them the same way whatever the source.
 *
 * <p>{@link #read} may be called from several threads at once, each with its own buffer.
 */
public interface EventSource {

    /** Split name for logs and caches, at most 16 UTF-8 bytes, e.g. {@code "shd-train"}. */
    String name();

    /** The sensor every event lies on. */
    SensorShape sensor();

    /** Number of classes; labels lie in {@code [0, classes())}. */
    int classes();

    /** Number of samples. */
    int size();

    /** Label of sample {@code i}. */
    int label(int i);

    /**
     * Decodes sample {@code i} into {@code out} (cleared first): timestamps in microseconds,
     * {@code (x, y, p)} on {@link #sensor()} (a one-dimensional sensor's unit is {@code x}).
     *
     * @throws EventFormatException naming the file and the place in it if the sample is malformed
     */
    void read(int i, EventBuffer out) throws IOException;

    /**
     * The files the samples come from, for the cache's source fingerprint (their paths, sizes and
     * modification times): a changed file means the cache is rebuilt.
     */
    List<Path> files();

    /** Where {@link #files()} lie; the fingerprint uses paths relative to it. */
    Path root();

    /** The first {@code n} samples ({@code n <= 0} or {@code n >= size()}: this source). */
    default EventSource first(int n) {
        if (n <= 0 || n >= size()) {
            return this;
        }
        EventSource all = this;
        return new EventSource() {
            @Override public String name() { return all.name(); }
            @Override public SensorShape sensor() { return all.sensor(); }
            @Override public int classes() { return all.classes(); }
            @Override public int size() { return n; }
            @Override public int label(int i) { return all.label(java.util.Objects.checkIndex(i, n)); }
            @Override public void read(int i, EventBuffer out) throws IOException {
                all.read(java.util.Objects.checkIndex(i, n), out);
            }
            @Override public List<Path> files() { return all.files(); }
            @Override public Path root() { return all.root(); }
        };
    }
}
