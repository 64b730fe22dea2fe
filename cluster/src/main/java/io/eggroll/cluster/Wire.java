package io.eggroll.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.eggroll.backend.ModelState;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.es.OptimizerState;
import io.eggroll.train.schedule.ScheduleRecord;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.train.TrainConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire protocol between coordinator and workers. Every message is an
 * {@link IdentifiedDataSerializable} with an explicit field order (no class names, no reflection on
 * the wire). Per generation only scalars travel: the slice bounds and the schedule records a worker
 * has not applied yet go out, one fitness float per member comes back. Weights travel once, when a
 * worker joins a run. Every message ends with an HMAC-SHA256 tag of its fields under the cluster
 * secret ({@link ClusterSecret}; null without one), checked on receipt.
 */
final class Wire {

    /** Bumped whenever a message changes; a worker refuses a coordinator with another version. */
    static final int PROTOCOL_VERSION = 5; // 4: states carry conv layer shapes; 5: and evolved neuron tensors
    static final int FACTORY_ID = 0xE66;
    static final String EXECUTOR = "eggroll-workers";
    /** Key of the {@link WorkerNode} in a worker's Hazelcast user context. */
    static final String WORKER_KEY = "eggroll.worker";

    /** Member attributes: what each member is and hosts. */
    static final String ATTR_ROLE = "eggroll.role";
    static final String ATTR_PROTOCOL = "eggroll.protocol";
    static final String ATTR_VERSION = "eggroll.version";
    static final String ATTR_BACKEND = "eggroll.backend";
    static final String ATTR_DEVICE = "eggroll.device";
    static final String ROLE_WORKER = "worker";
    static final String ROLE_COORDINATOR = "coordinator";

    static final int PREPARE = 1;
    static final int PREPARE_REPLY = 2;
    static final int EVALUATE = 3;
    static final int SLICE_RESULT = 4;
    static final int RELEASE = 5;

    private Wire() {}

    /** The eggroll build on this side; a worker refuses a coordinator built from other code. */
    static String softwareVersion() {
        String v = Wire.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    static final class Factory implements DataSerializableFactory {
        @Override
        public IdentifiedDataSerializable create(int typeId) {
            return switch (typeId) {
                case PREPARE -> new PrepareTask();
                case PREPARE_REPLY -> new PrepareReply();
                case EVALUATE -> new EvaluateTask();
                case SLICE_RESULT -> new SliceResult();
                case RELEASE -> new ReleaseTask();
                default -> throw new IllegalArgumentException("unknown eggroll message type " + typeId
                        + " (protocol " + PROTOCOL_VERSION + ")");
            };
        }
    }

    static WorkerNode worker(HazelcastInstance hz) {
        Object w = hz.getUserContext().get(WORKER_KEY);
        if (!(w instanceof WorkerNode node)) {
            throw new IllegalStateException("member " + hz.getCluster().getLocalMember().getAddress()
                    + " hosts no eggroll worker");
        }
        return node;
    }

    // ------------------------------------------------------------------ field codecs

    static void writeRecords(ObjectDataOutput out, List<ScheduleRecord> records) throws IOException {
        out.writeInt(records.size());
        for (ScheduleRecord r : records) {
            out.writeInt(r.generation());
            out.writeInt(r.population());
            out.writeInt(r.rank());
            out.writeFloat(r.sigma());
            out.writeFloat(r.learningRate());
            out.writeLong(r.optimizerStep());
            out.writeInt(r.effectivePopulation());
            out.writeFloatArray(r.shapedFitness());
        }
    }

    static List<ScheduleRecord> readRecords(ObjectDataInput in) throws IOException {
        int n = in.readInt();
        List<ScheduleRecord> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ScheduleRecord(in.readInt(), in.readInt(), in.readInt(), in.readFloat(), in.readFloat(),
                    in.readLong(), in.readInt(), in.readFloatArray()));
        }
        return out;
    }

    /** Weights and optimizer buffers in {@code Params.tensors()} order, as in a checkpoint. */
    static void writeState(ObjectDataOutput out, ModelState s) throws IOException {
        out.writeIntArray(s.network().sizes());
        out.writeIntArray(io.eggroll.snn.ConvGeometry.encode(s.network().conv()));
        writeTensors(out, s.params().tensors());
        out.writeLong(s.optimizerState().step());
        writeTensors(out, s.optimizerState().first());
        writeTensors(out, s.optimizerState().second());
    }

    /** Reads a state written by {@link #writeState}; neuron settings and optimizer come from the run's config. */
    static ModelState readState(ObjectDataInput in, TrainConfig cfg) throws IOException {
        int[] sizes = in.readIntArray();
        SnnConfig net = cfg.networkConfig(sizes, io.eggroll.snn.ConvGeometry.decode(in.readIntArray()));
        OptimizerConfig optimizer = cfg.optimizerConfig();
        Params p = new Params(net);
        float[][] t = p.tensors();
        float[][] got = readTensors(in);
        if (got.length != t.length) {
            throw new IOException("state has " + got.length + " tensors where the network needs " + t.length);
        }
        for (int i = 0; i < t.length; i++) {
            if (got[i].length != t[i].length) {
                throw new IOException("tensor " + i + " has " + got[i].length + " values where " + t[i].length
                        + " were expected");
            }
            System.arraycopy(got[i], 0, t[i], 0, t[i].length);
        }
        long step = in.readLong();
        OptimizerState os = new OptimizerState(step, readTensors(in), readTensors(in));
        return new ModelState(net, p, optimizer, os);
    }

    private static void writeTensors(ObjectDataOutput out, float[][] t) throws IOException {
        out.writeInt(t.length);
        for (float[] x : t) {
            out.writeFloatArray(x);
        }
    }

    private static float[][] readTensors(ObjectDataInput in) throws IOException {
        float[][] t = new float[in.readInt()][];
        for (int i = 0; i < t.length; i++) {
            t[i] = in.readFloatArray();
        }
        return t;
    }
}
