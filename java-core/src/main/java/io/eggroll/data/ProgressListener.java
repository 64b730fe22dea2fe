package io.eggroll.data;

import java.io.PrintStream;

/**
 * Receives progress of long data operations (fetch, convert, bin). Implementations must be
 * thread-safe: converters report from worker threads.
 */
@FunctionalInterface
public interface ProgressListener {

    /**
     * @param stage short name of the running stage, e.g. {@code "convert train"}
     * @param done units finished so far
     * @param total units in the stage, or -1 if unknown
     */
    void update(String stage, long done, long total);

    /** A listener that ignores everything. */
    ProgressListener NONE = (stage, done, total) -> {};

    /**
     * A listener that prints a line to {@code out} at the start and end of each stage and about
     * every {@code intervalMillis} in between.
     */
    static ProgressListener printing(PrintStream out, long intervalMillis) {
        return new ProgressListener() {
            private String lastStage;
            private long lastPrint;
            private long stageStart;

            @Override
            public synchronized void update(String stage, long done, long total) {
                long now = System.nanoTime();
                boolean newStage = !stage.equals(lastStage);
                if (newStage) {
                    lastStage = stage;
                    stageStart = now;
                }
                boolean finished = total >= 0 && done >= total;
                if (newStage || finished || (now - lastPrint) / 1_000_000 >= intervalMillis) {
                    lastPrint = now;
                    double secs = (now - stageStart) / 1e9;
                    if (total > 0) {
                        out.printf("[%s] %d/%d (%.0f%%) %.1fs%n", stage, done, total, 100.0 * done / total, secs);
                    } else {
                        out.printf("[%s] %d %.1fs%n", stage, done, secs);
                    }
                }
            }
        };
    }
}
