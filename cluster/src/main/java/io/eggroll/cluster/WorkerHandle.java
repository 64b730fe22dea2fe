package io.eggroll.cluster;

import com.hazelcast.cluster.Member;

/** The coordinator's view of one admitted worker: where its replica stands and how fast it is. */
final class WorkerHandle {
    final Member member;
    final String address;
    final String device;
    /** Generation of the next schedule record this replica needs. */
    int nextRecord;
    double pairsPerSecond = Double.NaN;

    WorkerHandle(Member member, int nextRecord) {
        this.member = member;
        this.address = Coordinator.address(member);
        this.device = String.valueOf(member.getAttribute(Wire.ATTR_DEVICE));
        this.nextRecord = nextRecord;
    }

    /** Folds a slice's measured speed into the estimate the next split uses. */
    void observe(int pairs, long nanos) {
        double s = pairs / Math.max(1e-9, nanos / 1e9);
        pairsPerSecond = Double.isNaN(pairsPerSecond) ? s : 0.5 * pairsPerSecond + 0.5 * s;
    }

    @Override
    public String toString() {
        return "worker " + address + " (" + device + ")";
    }
}
