package io.eggroll.data;

/** The two N-MNIST / MNIST splits and their folder names in the official release. */
public enum Split {
    TRAIN("Train", "train", 60_000),
    TEST("Test", "t10k", 10_000);

    private final String folder;
    private final String mnistPrefix;
    private final int fullSize;

    Split(String folder, String mnistPrefix, int fullSize) {
        this.folder = folder;
        this.mnistPrefix = mnistPrefix;
        this.fullSize = fullSize;
    }

    /** Folder name in the N-MNIST release: {@code Train} or {@code Test}. */
    public String folder() {
        return folder;
    }

    /** MNIST IDX file prefix: {@code train} or {@code t10k}. */
    public String mnistPrefix() {
        return mnistPrefix;
    }

    /** Number of samples in the full split (60,000 or 10,000). */
    public int fullSize() {
        return fullSize;
    }

    /** Lower-case name for logs and dataset names. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
