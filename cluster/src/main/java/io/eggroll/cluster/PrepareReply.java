package io.eggroll.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;

/** A worker's answer to {@link PrepareTask}: admitted with the weights hash it reached, or refused with why. */
final class PrepareReply implements IdentifiedDataSerializable {

    boolean accepted;
    String message;
    String weightsHash;
    int nextGeneration;
    long replayNanos;
    /** HMAC of {@link #body} under the cluster secret. */
    byte[] tag;

    PrepareReply() {}

    static PrepareReply accepted(String weightsHash, int nextGeneration, long replayNanos, String message) {
        PrepareReply r = new PrepareReply();
        r.accepted = true;
        r.weightsHash = weightsHash;
        r.nextGeneration = nextGeneration;
        r.replayNanos = replayNanos;
        r.message = message;
        return r;
    }

    static PrepareReply refused(String why) {
        PrepareReply r = new PrepareReply();
        r.accepted = false;
        r.message = why;
        return r;
    }

    @Override
    public int getFactoryId() {
        return Wire.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return Wire.PREPARE_REPLY;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeBoolean(accepted);
        out.writeString(message);
        out.writeString(weightsHash);
        out.writeInt(nextGeneration);
        out.writeLong(replayNanos);
        out.writeByteArray(tag);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        accepted = in.readBoolean();
        message = in.readString();
        weightsHash = in.readString();
        nextGeneration = in.readInt();
        replayNanos = in.readLong();
        tag = in.readByteArray();
    }

    /** The fields the tag covers, bound to the run the reply answers. */
    ClusterSecret.Body body(String runId) {
        return ClusterSecret.body(Wire.PREPARE_REPLY).s(runId).i(accepted ? 1 : 0).s(message).s(weightsHash)
                .i(nextGeneration);
    }
}
