package io.eggroll.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.eggroll.backend.ModelState;
import io.eggroll.train.schedule.ScheduleRecord;
import io.eggroll.train.TrainConfig;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Admits a worker to a run: the run's config and dataset fingerprint, a base state (the weights and
 * optimizer buffers before generation {@code baseGeneration}), the schedule records since then, and
 * the weights hash the replay must reach. The worker loads its own copy of the data, checks the
 * fingerprint, replays the records, and answers with the hash it reached.
 */
final class PrepareTask implements Callable<PrepareReply>, IdentifiedDataSerializable, HazelcastInstanceAware {

    int protocol = Wire.PROTOCOL_VERSION;
    String version = Wire.softwareVersion();
    String runId;
    /** The coordinator's member id and address: the worker serves this run only, until that member releases it or leaves. */
    String coordinator;
    String coordinatorAddress;
    String configJson;
    String fingerprint;
    int baseGeneration;
    ModelState base;
    List<ScheduleRecord> records;
    String expectedHash;
    /** HMAC of {@link #body()} under the cluster secret. */
    byte[] tag;
    /** Set on the receiving side when the run's config cannot be read. */
    private String unreadable;
    private transient HazelcastInstance hz;

    PrepareTask() {}

    PrepareTask(String runId, String coordinator, String coordinatorAddress, TrainConfig cfg, String fingerprint,
                int baseGeneration, ModelState base, List<ScheduleRecord> records, String expectedHash) {
        this.runId = runId;
        this.coordinator = coordinator;
        this.coordinatorAddress = coordinatorAddress;
        this.configJson = cfg.toJson();
        this.fingerprint = fingerprint;
        this.baseGeneration = baseGeneration;
        this.base = base;
        this.records = List.copyOf(records);
        this.expectedHash = expectedHash;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hz) {
        this.hz = hz;
    }

    @Override
    public PrepareReply call() {
        WorkerNode node = Wire.worker(hz);
        if (unreadable != null) {
            return node.signed(PrepareReply.refused(node.describe() + ": " + unreadable), runId);
        }
        return node.prepare(this);
    }

    TrainConfig config() {
        return TrainConfig.fromJson(configJson, "run " + runId + " config");
    }

    @Override
    public int getFactoryId() {
        return Wire.FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return Wire.PREPARE;
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeInt(protocol);
        out.writeString(version);
        out.writeString(runId);
        out.writeString(coordinator);
        out.writeString(coordinatorAddress);
        out.writeString(configJson);
        out.writeString(fingerprint);
        out.writeInt(baseGeneration);
        Wire.writeState(out, base);
        Wire.writeRecords(out, records);
        out.writeString(expectedHash);
        out.writeByteArray(tag);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        protocol = in.readInt();
        version = in.readString();
        if (protocol != Wire.PROTOCOL_VERSION) {
            return; // the rest may be laid out differently; WorkerNode.prepare refuses it by version
        }
        runId = in.readString();
        coordinator = in.readString();
        coordinatorAddress = in.readString();
        configJson = in.readString();
        fingerprint = in.readString();
        baseGeneration = in.readInt();
        TrainConfig cfg;
        try {
            cfg = config();
        } catch (IllegalArgumentException e) {
            unreadable = "cannot read the run's config: " + e.getMessage();
            return;
        }
        base = Wire.readState(in, cfg);
        records = Wire.readRecords(in);
        expectedHash = in.readString();
        tag = in.readByteArray();
    }

    /** The fields the tag covers; the base state by its weights hash (its replay must reach {@code expectedHash}). */
    ClusterSecret.Body body() {
        return ClusterSecret.body(Wire.PREPARE).s(version).s(runId).s(coordinator).s(coordinatorAddress).s(configJson)
                .s(fingerprint).i(baseGeneration).s(base == null ? null : base.params().sha256()).records(records)
                .s(expectedHash);
    }

    PrepareTask signed(ClusterSecret secret) {
        tag = secret.tag(body());
        return this;
    }
}
