package io.eggroll.cluster;

import io.eggroll.backend.ModelState;
import io.eggroll.train.schedule.ScheduleRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Catch-up: the run's seed schedule since the last rebase, with the weights it starts from. A
 * worker that joins starts from the base weights and replays the records up to the generation it
 * joins at; an admitted worker receives the records it has not applied with its next slice.
 */
final class CatchUpLog {

    private ModelState base;
    private int baseGeneration;
    private final TreeMap<Integer, ScheduleRecord> records = new TreeMap<>();

    /** Starts over from {@code state}, the weights before {@code nextGeneration}. */
    void reset(ModelState state, int nextGeneration) {
        records.clear();
        rebase(state, nextGeneration);
    }

    /** New joiners start from {@code state}, the weights before {@code nextGeneration}. */
    void rebase(ModelState state, int nextGeneration) {
        base = state.copy();
        baseGeneration = nextGeneration;
    }

    void add(ScheduleRecord r) {
        records.put(r.generation(), r);
    }

    ModelState base() {
        return base;
    }

    int baseGeneration() {
        return baseGeneration;
    }

    /** The records of generations {@code [from, to)}; all must be held. */
    List<ScheduleRecord> between(int from, int to) {
        List<ScheduleRecord> out = new ArrayList<>(records.subMap(from, true, to, false).values());
        if (out.size() != to - from) {
            throw new IllegalStateException("schedule records [" + from + ", " + to + ") are not all held ("
                    + out.size() + " of " + (to - from) + ")");
        }
        return out;
    }

    /** The records a joiner needs to reach the weights before {@code nextGeneration}. */
    List<ScheduleRecord> sinceBase(int nextGeneration) {
        return between(baseGeneration, nextGeneration);
    }

    /**
     * Forgets records that neither a future joiner nor a replica needs; {@code oldestNeeded} is the
     * first generation some admitted replica has not applied.
     */
    void prune(int oldestNeeded) {
        records.headMap(Math.min(baseGeneration, oldestNeeded), false).clear();
    }
}
