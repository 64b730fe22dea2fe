package io.eggroll.cluster;

/** Hooks into the coordinator's scheduling (monitoring, tests). Calls come from the training thread. */
public interface ClusterListener {

    /** A slice was sent to a worker and is now in flight. */
    default void onDispatch(int generation, String worker, int firstPair, int pairCount) {}

    /** A worker failed on a slice (left, hung, errored); the slice goes to the others. */
    default void onRerun(int generation, String worker, int firstPair, int pairCount, String reason) {}

    /** A worker caught up with the run and takes work from {@code generation} on. */
    default void onJoin(int generation, String worker, String device) {}
}
