package io.eggroll.data;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bins the samples of one split ({@link EventSource}: N-MNIST {@code .bin} files, SHD, generic
 * event files) into a cache file read by {@link BinnedSpikeDataset}. Samples keep the reader's order. Decoding runs on several threads, each writing its samples'
 * frames straight into the memory-mapped output; the file is written under a temporary name and
 * renamed when complete.
 */
public final class BinnedCacheWriter {

    /** What happened while building. */
    public record Result(BinnedSpikeDataset dataset, int skipped, List<String> problems, long eventsInWindow,
                         long eventsTotal) {}

    private BinnedCacheWriter() {}

    /**
     * SHA-256 identifying a list of source files by relative path, size and modification time:
     * cheap to compute and enough to notice a changed or regenerated source folder.
     */
    public static String sourceFingerprint(Path root, List<NmnistSample> samples, String extra) throws IOException {
        return filesFingerprint(root, samples.stream().map(NmnistSample::file).toList(), extra);
    }

    /** As {@link #sourceFingerprint(Path, List, String)} over any list of files under {@code root}. */
    public static String filesFingerprint(Path root, List<Path> files, String extra) throws IOException {
        MessageDigest md = MnistFetcher.sha256();
        md.update(extra.getBytes(StandardCharsets.UTF_8));
        ByteBuffer b = ByteBuffer.allocate(16);
        for (Path f : files) {
            Path rel = root.relativize(f);
            md.update(rel.toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
            b.clear();
            b.putLong(Files.size(f)).putLong(Files.getLastModifiedTime(f).toMillis());
            md.update(b.array());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Builds the cache of N-MNIST {@code .bin} files: {@link #build(EventSource, BinSpec, Path, String, String, boolean, int, ProgressListener)}. */
    public static Result build(List<NmnistSample> samples, BinSpec spec, Path out, String sourceFingerprint,
                               String name, boolean lenient, int threads, ProgressListener progress)
            throws IOException {
        return build(NmnistEvents.source(name, Path.of(""), samples), spec, out, sourceFingerprint, name, lenient, threads,
                progress);
    }

    /**
     * Builds the cache.
     *
     * @param sourceFingerprint hex SHA-256 stored in the header (see {@link #sourceFingerprint})
     * @param name dataset name, at most 16 UTF-8 bytes
     * @param lenient skip (and report) malformed samples instead of failing
     */
    public static Result build(EventSource samples, BinSpec spec, Path out, String sourceFingerprint,
                               String name, boolean lenient, int threads, ProgressListener progress)
            throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 16) {
            throw new IllegalArgumentException("dataset name '" + name + "' is longer than 16 bytes");
        }
        byte[] srcFp = HexFormat.of().parseHex(sourceFingerprint);
        if (srcFp.length != 32) {
            throw new IllegalArgumentException("source fingerprint must be 32 bytes of hex");
        }
        if (samples.classes() > BinnedSpikeDataset.MAX_CLASSES) {
            throw new IllegalArgumentException(samples.name() + " has " + samples.classes() + " classes; a cache holds at most "
                    + BinnedSpikeDataset.MAX_CLASSES);
        }
        ProgressListener pl = progress == null ? ProgressListener.NONE : progress;
        SensorShape sensor = samples.sensor();
        int n = samples.size();
        long sampleBytes = spec.sampleBytes(sensor);
        Path parent = out.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve(out.getFileName() + ".tmp");
        String stage = "bin " + name;
        boolean[] ok = new boolean[n];
        List<String> problems = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicLong inWindow = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong total = new java.util.concurrent.atomic.AtomicLong();
        // A failed binning deletes its split-sized temporary file; only a complete cache is moved into place.
        boolean moved = false;
        int kept;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
                 Arena arena = Arena.ofShared()) {
                long dataOff = BinnedSpikeDataset.dataOffset(n);
                long length = dataOff + n * sampleBytes;
                MemorySegment seg = ch.map(FileChannel.MapMode.READ_WRITE, 0, length, arena);
                seg.fill((byte) 0);
                AtomicInteger next = new AtomicInteger();
                AtomicInteger done = new AtomicInteger();
                pl.update(stage, 0, n);
                int nThreads = Math.max(1, Math.min(threads, n));
                ExecutorService pool = Executors.newFixedThreadPool(nThreads, r -> {
                    Thread th = new Thread(r, "bin");
                    th.setDaemon(true);
                    return th;
                });
                try {
                    List<Future<?>> fs = new ArrayList<>();
                    for (int w = 0; w < nThreads; w++) {
                        fs.add(pool.submit(() -> {
                            EventBuffer buf = new EventBuffer(8192);
                            byte[] frames = new byte[(int) sampleBytes];
                            int i;
                            while ((i = next.getAndIncrement()) < n) {
                                try {
                                    samples.read(i, buf);
                                    java.util.Arrays.fill(frames, (byte) 0);
                                    inWindow.addAndGet(spec.binInto(buf, sensor, frames, 0));
                                    total.addAndGet(buf.size());
                                    MemorySegment.copy(frames, 0, seg, ValueLayout.JAVA_BYTE,
                                            dataOff + i * sampleBytes, frames.length);
                                    ok[i] = true;
                                } catch (EventFormatException e) {
                                    if (!lenient) {
                                        throw e;
                                    }
                                    problems.add(e.getMessage());
                                }
                                int d = done.incrementAndGet();
                                if ((d & 1023) == 0 || d == n) {
                                    pl.update(stage, d, n);
                                }
                            }
                            return null;
                        }));
                    }
                    for (Future<?> f : fs) {
                        try {
                            f.get();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IOException("binning interrupted", e);
                        } catch (java.util.concurrent.ExecutionException e) {
                            if (e.getCause() instanceof IOException io) {
                                throw io;
                            }
                            throw new IOException("binning failed: " + e.getCause(), e.getCause());
                        }
                    }
                } finally {
                    pool.shutdownNow();
                }
                // Compact away skipped samples (lenient mode), keeping order.
                byte[] labels = new byte[n];
                kept = 0;
                long newOff = BinnedSpikeDataset.dataOffset(count(ok));
                for (int i = 0; i < n; i++) {
                    if (!ok[i]) {
                        continue;
                    }
                    labels[kept] = (byte) samples.label(i);
                    if (kept != i || newOff != dataOff) {
                        MemorySegment.copy(seg, dataOff + i * sampleBytes, seg, newOff + kept * sampleBytes, sampleBytes);
                    }
                    kept++;
                }
                MemorySegment frames = seg.asSlice(newOff, kept * sampleBytes);
                String fp = BinnedSpikeDataset.computeFingerprint(spec, sensor.inputs(), samples.classes(), kept, labels,
                        frames);
                ByteBuffer h = ByteBuffer.allocate(BinnedSpikeDataset.HEADER_BYTES);
                h.put(BinnedSpikeDataset.MAGIC).putInt(BinnedSpikeDataset.VERSION).putInt(spec.timesteps())
                        .putLong(spec.windowStartUs()).putLong(spec.windowEndUs()).putInt(sensor.inputs())
                        .putInt(samples.classes()).putInt(kept).putInt(sensor.frameBytes())
                        .put(srcFp).put(HexFormat.of().parseHex(fp)).put(nameBytes);
                MemorySegment.copy(h.array(), 0, seg, ValueLayout.JAVA_BYTE, 0, BinnedSpikeDataset.HEADER_BYTES);
                MemorySegment labelRegion = seg.asSlice(BinnedSpikeDataset.HEADER_BYTES, newOff - BinnedSpikeDataset.HEADER_BYTES);
                labelRegion.fill((byte) 0);
                MemorySegment.copy(labels, 0, seg, ValueLayout.JAVA_BYTE, BinnedSpikeDataset.HEADER_BYTES, kept);
                seg.force();
                ch.truncate(newOff + kept * sampleBytes);
            }
            try {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING);
            }
            moved = true;
        } finally {
            if (!moved) {
                deleteQuietly(tmp);
            }
        }
        problems.sort(Comparator.naturalOrder());
        return new Result(BinnedSpikeDataset.open(out), n - kept, List.copyOf(problems), inWindow.get(), total.get());
    }

    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            // the binning's own error is the one to report
        }
    }

    private static int count(boolean[] ok) {
        int c = 0;
        for (boolean b : ok) {
            c += b ? 1 : 0;
        }
        return c;
    }
}
