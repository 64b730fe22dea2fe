package io.eggroll.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.concurrent.Callable;

/** Sent by a coordinator at the end of its run: the worker no longer serves that run and may join another. */
final class ReleaseTask implements Callable<Boolean>, IdentifiedDataSerializable, HazelcastInstanceAware {

    String runId;
    /** HMAC of {@link #body()} under the cluster secret. */
    byte[] tag;
    private transient HazelcastInstance hz;

    ReleaseTask() {}

    ReleaseTask(String runId) {
        this.runId = runId;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hz) {
        this.hz = hz;
    }

    @Override
    public Boolean call() {
        return Wire.worker(hz).release(this);
    }

    @Override
    public int getFactoryId() {
        return Wire.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return Wire.RELEASE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeString(runId);
        out.writeByteArray(tag);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        runId = in.readString();
        tag = in.readByteArray();
    }

    ClusterSecret.Body body() {
        return ClusterSecret.body(Wire.RELEASE).s(runId);
    }
}
