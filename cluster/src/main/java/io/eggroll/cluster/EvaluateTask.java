package io.eggroll.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.eggroll.train.schedule.ScheduleRecord;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One generation's work for one worker: first apply the schedule records it has not applied yet
 * (bringing its replica to the weights before {@code generation}), then evaluate the antithetic
 * pairs {@code [firstPair, firstPair + pairCount)} on the minibatch keyed by (seed, generation).
 * A {@code pairCount} of 0 only syncs; {@code wantHash} asks for the replica's weights hash.
 */
final class EvaluateTask implements Callable<SliceResult>, IdentifiedDataSerializable, HazelcastInstanceAware {

    String runId;
    int generation;
    int firstPair;
    int pairCount;
    boolean wantHash;
    List<ScheduleRecord> records;
    /** HMAC of {@link #body()} under the cluster secret. */
    byte[] tag;
    private transient HazelcastInstance hz;

    EvaluateTask() {}

    EvaluateTask(String runId, int generation, int firstPair, int pairCount, boolean wantHash,
                 List<ScheduleRecord> records) {
        this.runId = runId;
        this.generation = generation;
        this.firstPair = firstPair;
        this.pairCount = pairCount;
        this.wantHash = wantHash;
        this.records = List.copyOf(records);
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hz) {
        this.hz = hz;
    }

    @Override
    public SliceResult call() {
        return Wire.worker(hz).evaluate(this);
    }

    @Override
    public int getFactoryId() {
        return Wire.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return Wire.EVALUATE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(runId);
        out.writeInt(generation);
        out.writeInt(firstPair);
        out.writeInt(pairCount);
        out.writeBoolean(wantHash);
        Wire.writeRecords(out, records);
        out.writeByteArray(tag);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        runId = in.readString();
        generation = in.readInt();
        firstPair = in.readInt();
        pairCount = in.readInt();
        wantHash = in.readBoolean();
        records = Wire.readRecords(in);
        tag = in.readByteArray();
    }

    ClusterSecret.Body body() {
        return ClusterSecret.body(Wire.EVALUATE).s(runId).i(generation).i(firstPair).i(pairCount)
                .i(wantHash ? 1 : 0).records(records);
    }

    EvaluateTask signed(ClusterSecret secret) {
        tag = secret.tag(body());
        return this;
    }
}
