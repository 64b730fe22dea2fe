package io.eggroll.data;

import java.io.IOException;

/**
 * A reader of one on-disk event dataset: its sensor, its classes and its train and test splits.
 * Implementations: {@link NmnistEvents} (the N-MNIST release's {@code .bin} folders),
 * {@link ShdEvents} (the Heidelberg SHD/SSC HDF5 files) and {@link EventFiles} (the generic
 * one-file-per-sample format of docs/DATA.md). {@link EventData#prepare} bins any of them.
 */
public interface EventDataset {

    /** Short id used in cache names, e.g. {@code "shd"}. */
    String id();

    /** The sensor every sample's events lie on. */
    SensorShape sensor();

    /** Number of classes. */
    int classes();

    /** One split's samples, in a fixed order. */
    EventSource split(Split split) throws IOException;
}
