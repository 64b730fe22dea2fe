package io.eggroll.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eggroll.backend.ModelState;
import io.eggroll.es.OptimizerState;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.util.FileSize;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;

/**
 * A training checkpoint: config, generation, weights, optimizer buffers, and the RNG state. The
 * RNG is counter-based, so its whole state is (run seed, next generation): resuming from here
 * reproduces the uninterrupted run bit for bit.
 *
 * <p>File layout (big-endian): magic {@code EGGCKPT1}; int header length; UTF-8 JSON header;
 * int tensor count; per tensor an int length and the floats (weights and biases, then the
 * optimizer's first and second moments, in {@code Params.tensors()} order, which ends with the
 * evolved thresholds and decays when the config's {@code network.evolveThreshold} /
 * {@code network.evolveDecay} are on); then the CRC-32 of
 * everything before it as a long. Written to a temporary file and renamed, so a crash never
 * leaves a torn checkpoint in place of the last good one.
 */
public final class Checkpoint {

    static final byte[] MAGIC = "EGGCKPT1".getBytes(StandardCharsets.US_ASCII);

    /** Contents of a checkpoint. {@code generation} is the last generation whose update is included. */
    public record Data(TrainConfig config, int generation, ModelState state, String datasetFingerprint,
                       double elapsedSeconds) {
        /** The next generation to run when resuming. */
        public int nextGeneration() {
            return generation + 1;
        }
    }

    private Checkpoint() {}

    public static void write(Path file, Data d) throws IOException {
        ObjectMapper om = TrainConfig.mapper();
        ObjectNode header = om.createObjectNode();
        header.put("format", 1);
        header.put("generation", d.generation());
        header.put("elapsedSeconds", d.elapsedSeconds());
        header.put("dataset", d.datasetFingerprint());
        header.put("paramsSha256", d.state().params().sha256());
        header.put("optimizerStep", d.state().optimizerState().step());
        header.putPOJO("sizes", d.state().network().sizes());
        if (d.state().network().hasConv()) {
            header.putPOJO("conv", io.eggroll.snn.ConvGeometry.encode(d.state().network().conv()));
        }
        header.set("config", om.readTree(d.config().toJson()));
        byte[] json = om.writeValueAsBytes(header);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(bytes, 1 << 16))) {
            out.write(MAGIC);
            out.writeInt(json.length);
            out.write(json);
            float[][] p = d.state().params().tensors();
            float[][] m = d.state().optimizerState().first();
            float[][] v = d.state().optimizerState().second();
            out.writeInt(p.length * 3);
            for (float[][] group : new float[][][] {p, m, v}) {
                for (float[] t : group) {
                    out.writeInt(t.length);
                    for (float x : t) {
                        out.writeFloat(x);
                    }
                }
            }
        }
        byte[] body = bytes.toByteArray();
        CRC32 crc = new CRC32();
        crc.update(body);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream os = Files.newOutputStream(tmp); DataOutputStream out = new DataOutputStream(os)) {
                out.write(body);
                out.writeLong(crc.getValue());
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static Data read(Path file) {
        byte[] all;
        try {
            // the bytes, and the weights and optimizer state decoded from them
            String tooLarge = FileSize.tooLarge(file, 2, "a checkpoint");
            if (tooLarge != null) {
                throw new CheckpointException(file + ": " + tooLarge);
            }
            all = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CheckpointException(file + ": cannot read checkpoint: " + e.getMessage());
        }
        if (all.length < MAGIC.length + 12) {
            throw new CheckpointException(file + ": not a checkpoint (only " + all.length + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (all[i] != MAGIC[i]) {
                throw new CheckpointException(file + ": not an eggroll checkpoint (bad magic)");
            }
        }
        CRC32 crc = new CRC32();
        crc.update(all, 0, all.length - 8);
        long stored = java.nio.ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new CheckpointException(file + ": checkpoint is corrupt (CRC mismatch: stored "
                    + Long.toHexString(stored) + ", computed " + Long.toHexString(crc.getValue()) + ")");
        }
        try (InputStream is = new BufferedInputStream(new java.io.ByteArrayInputStream(all, MAGIC.length,
                all.length - 8 - MAGIC.length)); DataInputStream in = new DataInputStream(is)) {
            byte[] json = new byte[in.readInt()];
            in.readFully(json);
            ObjectMapper om = TrainConfig.mapper();
            JsonNode header = om.readTree(json);
            TrainConfig cfg = TrainConfig.fromJson(header.get("config").toString(), file + " (config)");
            int[] sizes = om.treeToValue(header.get("sizes"), int[].class);
            // "conv" (conv layers' shapes) is absent from dense networks' and older checkpoints
            int[] conv = header.has("conv") ? om.treeToValue(header.get("conv"), int[].class) : null;
            SnnConfig net = cfg.networkConfig(sizes, io.eggroll.snn.ConvGeometry.decode(conv));
            Params params = new Params(net);
            float[][] p = params.tensors();
            int count = in.readInt();
            if (count != p.length * 3) {
                throw new CheckpointException(file + ": expected " + p.length * 3 + " tensors for sizes "
                        + java.util.Arrays.toString(sizes) + ", found " + count);
            }
            for (float[] t : p) {
                readInto(in, t, file);
            }
            float[][] m = new float[p.length][];
            float[][] v = new float[p.length][];
            for (float[][] group : new float[][][] {m, v}) {
                for (int i = 0; i < p.length; i++) {
                    group[i] = new float[in.readInt()];
                    for (int k = 0; k < group[i].length; k++) {
                        group[i][k] = in.readFloat();
                    }
                }
            }
            OptimizerState os = new OptimizerState(header.get("optimizerStep").asLong(), m, v);
            String sha = header.get("paramsSha256").asText();
            if (!sha.equals(params.sha256())) {
                throw new CheckpointException(file + ": weights do not match their recorded SHA-256");
            }
            ModelState st = new ModelState(net, params, cfg.optimizerConfig(), os);
            return new Data(cfg, header.get("generation").asInt(), st, header.get("dataset").asText(),
                    header.path("elapsedSeconds").asDouble(0));
        } catch (EOFException e) {
            throw new CheckpointException(file + ": checkpoint is truncated");
        } catch (IOException e) {
            throw new CheckpointException(file + ": unreadable checkpoint: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(file + ": invalid checkpoint: " + e.getMessage());
        }
    }

    private static void readInto(DataInputStream in, float[] t, Path file) throws IOException {
        int n = in.readInt();
        if (n != t.length) {
            throw new CheckpointException(file + ": tensor of " + n + " values where " + t.length + " were expected");
        }
        for (int k = 0; k < n; k++) {
            t[k] = in.readFloat();
        }
    }

    /** A checkpoint that cannot be used; the message names the file and the problem. */
    public static final class CheckpointException extends RuntimeException {
        public CheckpointException(String message) {
            super(message);
        }
    }
}
