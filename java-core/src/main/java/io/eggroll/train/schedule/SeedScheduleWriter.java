package io.eggroll.train.schedule;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * Appends records to a seed-schedule file (layout in {@link SeedSchedule}). Each append opens,
 * writes one whole record and closes the file, so a crash can tear at most the last record,
 * which {@link SeedScheduleReader} then reports by generation.
 */
public final class SeedScheduleWriter {

    static final byte[] MAGIC = "EGGSCHD1".getBytes(StandardCharsets.US_ASCII);
    /** Bytes of a record body before the shaped fitness. */
    static final int RECORD_FIXED_BYTES = 4 + 4 + 4 + 4 + 4 + 8 + 4;

    private final Path file;
    private final SeedSchedule.Header header;
    private int lastGeneration;

    private SeedScheduleWriter(Path file, SeedSchedule.Header header, int lastGeneration) {
        this.file = file;
        this.header = header;
        this.lastGeneration = lastGeneration;
    }

    /** Starts a new schedule (replacing any file there) with the given header. */
    public static SeedScheduleWriter create(Path file, SeedSchedule.Header header) {
        byte[] h = encodeHeader(header);
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Files.write(file, h);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write seed schedule " + file, e);
        }
        return new SeedScheduleWriter(file, header, -1);
    }

    /**
     * Continues a schedule after a resume: keeps the records up to and including
     * {@code lastGeneration} and cuts the rest (a resumed run rewrites them). Fails if the file
     * is damaged before that point or lacks a generation up to it.
     */
    public static SeedScheduleWriter resume(Path file, int lastGeneration) {
        SeedScheduleReader.Scan scan = SeedScheduleReader.scan(file, lastGeneration);
        SeedSchedule s = scan.schedule();
        if (s.lastGeneration() < lastGeneration) {
            throw new ScheduleFormatException(file + ": the run resumes after generation " + lastGeneration
                    + " but the schedule ends at generation " + s.lastGeneration(), s.lastGeneration() + 1);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(scan.endOffset());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot truncate seed schedule " + file, e);
        }
        return new SeedScheduleWriter(file, s.header(), lastGeneration);
    }

    public Path file() {
        return file;
    }

    public SeedSchedule.Header header() {
        return header;
    }

    /** Appends one generation; generations must be consecutive. */
    public void append(ScheduleRecord r) {
        if (r.generation() != lastGeneration + 1) {
            throw new IllegalArgumentException("seed schedule " + file + ": generation " + r.generation()
                    + " does not follow generation " + lastGeneration);
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap(encodeRecord(r));
            while (b.hasRemaining()) {
                ch.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append generation " + r.generation() + " to seed schedule " + file, e);
        }
        lastGeneration = r.generation();
    }

    /** Magic, header length, header JSON, header CRC. */
    public static byte[] encodeHeader(SeedSchedule.Header header) {
        byte[] json = header.toJson().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + json.length + 4);
        b.put(MAGIC).putInt(json.length).put(json).putInt(crc(json, 0, json.length));
        return b.array();
    }

    /** Body length, body, body CRC: the bytes one generation adds to the file. */
    public static byte[] encodeRecord(ScheduleRecord r) {
        float[] f = r.shapedFitness();
        int body = RECORD_FIXED_BYTES + 4 * f.length;
        ByteBuffer b = ByteBuffer.allocate(4 + body + 4);
        b.putInt(body).putInt(r.generation()).putInt(r.population()).putInt(r.rank()).putFloat(r.sigma())
                .putFloat(r.learningRate()).putLong(r.optimizerStep()).putInt(r.effectivePopulation());
        for (float x : f) {
            b.putFloat(x);
        }
        b.putInt(crc(b.array(), 4, body));
        return b.array();
    }

    static int crc(byte[] a, int off, int len) {
        CRC32 c = new CRC32();
        c.update(a, off, len);
        return (int) c.getValue();
    }
}
