package io.eggroll.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;

/**
 * What a worker sends back for a slice: one fitness float per member ({@code 2 pairCount}, member
 * order), how many (member, sample) predictions were correct, and where its time went.
 */
final class SliceResult implements IdentifiedDataSerializable {

    int generation;
    int firstPair;
    int pairCount;
    float[] fitness;
    long correct;
    long applyNanos;
    long computeNanos;
    /** The replica's weights hash after the records were applied, when asked; else null. */
    String weightsHash;
    /** HMAC of {@link #body} under the cluster secret. */
    byte[] tag;

    SliceResult() {}

    SliceResult(int generation, int firstPair, int pairCount, float[] fitness, long correct, long applyNanos,
                long computeNanos, String weightsHash) {
        this.generation = generation;
        this.firstPair = firstPair;
        this.pairCount = pairCount;
        this.fitness = fitness;
        this.correct = correct;
        this.applyNanos = applyNanos;
        this.computeNanos = computeNanos;
        this.weightsHash = weightsHash;
    }

    @Override
    public int getFactoryId() {
        return Wire.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return Wire.SLICE_RESULT;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(generation);
        out.writeInt(firstPair);
        out.writeInt(pairCount);
        out.writeFloatArray(fitness);
        out.writeLong(correct);
        out.writeLong(applyNanos);
        out.writeLong(computeNanos);
        out.writeString(weightsHash);
        out.writeByteArray(tag);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        generation = in.readInt();
        firstPair = in.readInt();
        pairCount = in.readInt();
        fitness = in.readFloatArray();
        correct = in.readLong();
        applyNanos = in.readLong();
        computeNanos = in.readLong();
        weightsHash = in.readString();
        tag = in.readByteArray();
    }

    /** The fields the tag covers, bound to the run the result belongs to. */
    ClusterSecret.Body body(String runId) {
        return ClusterSecret.body(Wire.SLICE_RESULT).s(runId).i(generation).i(firstPair).i(pairCount).f(fitness)
                .l(correct).s(weightsHash);
    }
}
