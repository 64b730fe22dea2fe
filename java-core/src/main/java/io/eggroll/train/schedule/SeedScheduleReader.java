package io.eggroll.train.schedule;

import io.eggroll.util.FileSize;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads a seed-schedule file (layout in {@link SeedSchedule}). Every record is checked (length,
 * CRC, consecutive generation, population); a truncated or corrupted file fails with a
 * {@link ScheduleFormatException} naming the generation where it breaks and the byte offset.
 */
public final class SeedScheduleReader {

    private SeedScheduleReader() {}

    /** Reads a whole schedule file. */
    public static SeedSchedule read(Path file) {
        return scan(file, Integer.MAX_VALUE).schedule();
    }

    /** Reads a schedule held in memory (e.g. embedded in an export); {@code source} names it in errors. */
    public static SeedSchedule read(byte[] bytes, String source) {
        return scan(bytes, source, Integer.MAX_VALUE).schedule();
    }

    /** A schedule read up to some generation, and the byte offset where its last record ends. */
    record Scan(SeedSchedule schedule, long endOffset) {}

    static Scan scan(Path file, int lastGeneration) {
        byte[] all;
        try {
            // the bytes, and the records decoded from them
            String tooLarge = FileSize.tooLarge(file, 2, "a seed schedule");
            if (tooLarge != null) {
                throw new ScheduleFormatException(file + ": " + tooLarge);
            }
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ScheduleFormatException("no seed schedule at " + file);
        } catch (IOException e) {
            throw new ScheduleFormatException(file + ": cannot read seed schedule: " + e.getMessage());
        }
        return scan(all, file.toString(), lastGeneration);
    }

    static Scan scan(byte[] all, String source, int lastGeneration) {
        ByteBuffer b = ByteBuffer.wrap(all);
        byte[] magic = SeedScheduleWriter.MAGIC;
        if (all.length < magic.length + 4 || !Arrays.equals(all, 0, magic.length, magic, 0, magic.length)) {
            throw new ScheduleFormatException(source + ": not an eggroll seed schedule (bad magic)");
        }
        b.position(magic.length);
        int hlen = b.getInt();
        if (hlen < 2 || hlen > all.length - b.position() - 4) {
            throw new ScheduleFormatException(source + ": schedule header length " + hlen + " does not fit the "
                    + all.length + "-byte file (truncated header)");
        }
        int hstart = b.position();
        b.position(hstart + hlen);
        if (b.getInt() != SeedScheduleWriter.crc(all, hstart, hlen)) {
            throw new ScheduleFormatException(source + ": schedule header is corrupt (CRC mismatch)");
        }
        SeedSchedule.Header header = SeedSchedule.Header.fromJson(new String(all, hstart, hlen, StandardCharsets.UTF_8),
                source);
        List<ScheduleRecord> records = new ArrayList<>();
        int expected = 0;
        long end = b.position();
        while (b.hasRemaining() && expected <= lastGeneration) {
            int offset = b.position();
            String where = source + ": generation " + expected + " (record " + records.size() + " at byte " + offset + ")";
            if (b.remaining() < 4) {
                throw new ScheduleFormatException(where + " is truncated: " + b.remaining()
                        + " bytes where a record length was expected", expected);
            }
            int body = b.getInt();
            if (body < SeedScheduleWriter.RECORD_FIXED_BYTES + 8 || (body - SeedScheduleWriter.RECORD_FIXED_BYTES) % 4 != 0) {
                throw new ScheduleFormatException(where + " is corrupt: invalid record length " + body, expected);
            }
            if (b.remaining() < body + 4) {
                throw new ScheduleFormatException(where + " is truncated: the record needs " + (body + 4)
                        + " more bytes, the file has " + b.remaining(), expected);
            }
            int bodyStart = b.position();
            int stored = ByteBuffer.wrap(all, bodyStart + body, 4).getInt();
            if (stored != SeedScheduleWriter.crc(all, bodyStart, body)) {
                throw new ScheduleFormatException(where + " is corrupt (CRC mismatch)", expected);
            }
            ScheduleRecord r;
            try {
                int gen = b.getInt();
                int population = b.getInt();
                int rank = b.getInt();
                float sigma = b.getFloat();
                float lr = b.getFloat();
                long step = b.getLong();
                int eff = b.getInt();
                if (population * 4 != body - SeedScheduleWriter.RECORD_FIXED_BYTES) {
                    throw new ScheduleFormatException(where + " is corrupt: population " + population
                            + " does not match the record length " + body, expected);
                }
                float[] f = new float[population];
                for (int i = 0; i < population; i++) {
                    f[i] = b.getFloat();
                }
                b.getInt();
                if (gen != expected) {
                    throw new ScheduleFormatException(where + " is out of order: it holds generation " + gen, expected);
                }
                r = new ScheduleRecord(gen, population, rank, sigma, lr, step, eff, f);
            } catch (BufferUnderflowException | IllegalArgumentException e) {
                throw new ScheduleFormatException(where + " is corrupt: " + e.getMessage(), expected);
            }
            records.add(r);
            expected++;
            end = b.position();
        }
        return new Scan(new SeedSchedule(header, records, end), end);
    }
}
