package io.eggroll.data;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A {@link SpikeDataset} over a binned-frame cache file, memory-mapped (no size limit, shared by
 * all reading threads, paged in by the OS).
 *
 * <p>File layout (all integers big-endian), version 1:
 * <pre>
 *   0   8  magic "EGBINSPK"
 *   8   4  version (1)
 *  12   4  T (frames per sample)
 *  16   8  window start, us
 *  24   8  window end, us
 *  32   4  inputs I (N-MNIST: 2312; SHD: 700)
 *  36   4  classes C (N-MNIST: 10), at most 256
 *  40   4  sample count N
 *  44   4  bytes per frame, ceil(I / 8) (N-MNIST: 289)
 *  48  32  source fingerprint: SHA-256 identifying the .bin files the cache was built from
 *  80  32  content fingerprint: SHA-256 over bytes 8..48, the labels and the frame data
 * 112  16  name, UTF-8, zero-padded
 * 128   N  labels, one unsigned byte each, then zero padding to a multiple of 8
 *   .      frames: N * T * ceil(I / 8) bytes, sample-major, frame-major, bit-packed as in {@link BinSpec}
 * </pre>
 * The content fingerprint deliberately leaves out the source fingerprint and the name, so two
 * machines that binned the same spikes agree on {@link #fingerprint()}.
 */
public final class BinnedSpikeDataset implements SpikeDataset {

    static final byte[] MAGIC = "EGBINSPK".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    static final int HEADER_BYTES = 128;
    /** Most classes a cache holds: a label is one unsigned byte. */
    static final int MAX_CLASSES = 256;

    private final Path file;
    private final BinSpec spec;
    private final int inputs;
    private final int classes;
    private final int frameBytes;
    private final int size;
    private final byte[] labels;
    private final MemorySegment frames;
    private final String name;
    private final String sourceFingerprint;
    private final String fingerprint;

    private static final ValueLayout.OfLong LONG_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private BinnedSpikeDataset(Path file, BinSpec spec, int inputs, int classes, int size, byte[] labels,
                               MemorySegment frames, String name, String sourceFingerprint, String fingerprint) {
        this.file = file;
        this.spec = spec;
        this.inputs = inputs;
        this.classes = classes;
        this.frameBytes = (inputs + 7) >>> 3;
        this.size = size;
        this.labels = labels;
        this.frames = frames;
        this.name = name;
        this.sourceFingerprint = sourceFingerprint;
        this.fingerprint = fingerprint;
    }

    /** Parsed header of a cache file. */
    record Header(BinSpec spec, int inputs, int classes, int size, String sourceFingerprint, String fingerprint, String name,
                  long dataOffset) {}

    static long dataOffset(int n) {
        return HEADER_BYTES + ((n + 7L) & ~7L);
    }

    /** Reads and validates just the header (cheap). */
    static Header readHeader(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long len = ch.size();
            if (len < HEADER_BYTES) {
                throw new IOException(file + ": too short for a binned cache (" + len + " bytes)");
            }
            ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES);
            while (h.hasRemaining() && ch.read(h, h.position()) > 0) {
                // fill
            }
            h.flip();
            byte[] magic = new byte[8];
            h.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IOException(file + ": not a binned cache (bad magic)");
            }
            int version = h.getInt();
            if (version != VERSION) {
                throw new IOException(file + ": unsupported cache version " + version + " (expected " + VERSION + ")");
            }
            int t = h.getInt();
            long ws = h.getLong();
            long we = h.getLong();
            int inputs = h.getInt();
            int classes = h.getInt();
            int n = h.getInt();
            int frameBytes = h.getInt();
            BinSpec spec;
            try {
                spec = new BinSpec(t, ws, we);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": bad header: " + e.getMessage());
            }
            if (inputs < 1 || inputs > SensorShape.MAX_INPUTS || frameBytes != (inputs + 7) >>> 3
                    || classes < 1 || classes > MAX_CLASSES) {
                throw new IOException(file + ": header declares inputs=" + inputs + ", frame bytes=" + frameBytes
                        + ", classes=" + classes + " (expected 1.." + SensorShape.MAX_INPUTS
                        + " inputs, ceil(inputs / 8) frame bytes, 1.." + MAX_CLASSES + " classes)");
            }
            if (n < 0) {
                throw new IOException(file + ": negative sample count " + n);
            }
            byte[] src = new byte[32];
            h.get(src);
            byte[] fp = new byte[32];
            h.get(fp);
            byte[] nm = new byte[16];
            h.get(nm);
            int nl = 0;
            while (nl < nm.length && nm[nl] != 0) {
                nl++;
            }
            long off = dataOffset(n);
            long sampleBytes = (long) frameBytes * spec.timesteps();
            long expected = off + n * sampleBytes;
            if (len != expected) {
                throw new IOException(file + ": length " + len + " bytes does not match the header (" + n
                        + " samples x " + sampleBytes + " bytes + " + off + " = " + expected + ")");
            }
            HexFormat hex = HexFormat.of();
            return new Header(spec, inputs, classes, n, hex.formatHex(src), hex.formatHex(fp),
                    new String(nm, 0, nl, StandardCharsets.UTF_8), off);
        }
    }

    /** Opens a cache file written by {@link BinnedCacheWriter}, trusting its stored fingerprint. */
    public static BinnedSpikeDataset open(Path file) throws IOException {
        Header h = readHeader(file);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            MemorySegment all = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.ofAuto());
            byte[] labels = all.asSlice(HEADER_BYTES, h.size()).toArray(ValueLayout.JAVA_BYTE);
            for (int i = 0; i < labels.length; i++) {
                if ((labels[i] & 0xFF) >= h.classes()) {
                    throw new IOException(file + ": label " + (labels[i] & 0xFF) + " of sample " + i
                            + " is not a class 0.." + (h.classes() - 1));
                }
            }
            MemorySegment frames = all.asSlice(h.dataOffset());
            return new BinnedSpikeDataset(file, h.spec(), h.inputs(), h.classes(), h.size(), labels, frames, h.name(),
                    h.sourceFingerprint(), h.fingerprint());
        }
    }

    /** Recomputes the content fingerprint from the file and checks it against the stored one. */
    public void verify() throws IOException {
        String actual = computeFingerprint(spec, inputs, classes, size, labels, frames);
        if (!actual.equals(fingerprint)) {
            throw new IOException(file + ": content fingerprint mismatch: header says " + fingerprint
                    + ", data hashes to " + actual + " (file corrupt or modified)");
        }
    }

    static String computeFingerprint(BinSpec spec, int inputs, int classes, int n, byte[] labels,
                                     MemorySegment frames) {
        MessageDigest md = MnistFetcher.sha256();
        int frameBytes = (inputs + 7) >>> 3;
        ByteBuffer h = ByteBuffer.allocate(40);
        h.putInt(VERSION).putInt(spec.timesteps()).putLong(spec.windowStartUs()).putLong(spec.windowEndUs())
                .putInt(inputs).putInt(classes).putInt(n).putInt(frameBytes);
        md.update(h.array());
        md.update(labels, 0, n);
        long total = n * (long) frameBytes * spec.timesteps();
        long chunk = 1 << 26;
        for (long off = 0; off < total; off += chunk) {
            md.update(frames.asSlice(off, Math.min(chunk, total - off)).asByteBuffer());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int inputs() {
        return inputs;
    }

    @Override
    public int timesteps() {
        return spec.timesteps();
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public int label(int i) {
        return labels[i] & 0xFF;
    }

    @Override
    public int activeInputs(int i, int t, int[] out) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("sample " + i + " of " + size);
        }
        if (t < 0 || t >= spec.timesteps()) {
            throw new IndexOutOfBoundsException("frame " + t + " of " + spec.timesteps());
        }
        long base = ((long) i * spec.timesteps() + t) * frameBytes;
        int n = 0;
        // Whole little-endian longs first (N-MNIST's 289 bytes: 36 longs + 1 byte); bit k of long w is input 64w + k.
        int words = frameBytes >>> 3;
        for (int w = 0; w < words; w++) {
            long bits = frames.get(LONG_LE, base + 8L * w);
            while (bits != 0) {
                out[n++] = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
            }
        }
        for (int b = words << 3; b < frameBytes; b++) {
            int last = frames.get(ValueLayout.JAVA_BYTE, base + b) & 0xFF;
            while (last != 0) {
                out[n++] = (b << 3) + Integer.numberOfTrailingZeros(last);
                last &= last - 1;
            }
        }
        return n;
    }

    /** The SHA-256 of the content (hex), as stored in the header at build time. */
    @Override
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String name() {
        return name;
    }

    /** SHA-256 (hex) identifying the source files this cache was built from. */
    public String sourceFingerprint() {
        return sourceFingerprint;
    }

    /** Binning parameters. */
    public BinSpec spec() {
        return spec;
    }

    /** The cache file. */
    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "BinnedSpikeDataset[" + name + ", " + size + " samples, T=" + spec.timesteps() + ", window "
                + spec.windowStartUs() + ".." + spec.windowEndUs() + " us, " + file + "]";
    }
}
