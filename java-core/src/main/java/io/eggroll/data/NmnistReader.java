package io.eggroll.data;

import io.eggroll.util.FileSize;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads N-MNIST {@code .bin} files and the official folder layout
 * {@code Train|Test/<digit>/<NNNNN>.bin}.
 *
 * <p>Samples are visited in Tonic's order: digit folders sorted by name, files sorted by name,
 * only names ending in {@code bin}. Events are decoded one file at a time into a reusable
 * {@link EventBuffer}; the dataset is never held as objects.
 */
public final class NmnistReader {

    /** Receives one decoded sample; {@code events} is reused after the call returns. */
    @FunctionalInterface
    public interface SampleVisitor {
        void visit(NmnistSample sample, EventBuffer events) throws IOException;
    }

    /**
     * Outcome of a pass over a folder.
     *
     * @param read files decoded and passed to the visitor
     * @param skipped files skipped in lenient mode
     * @param problems one message per skipped file (file name and reason)
     */
    public record ReadReport(int read, int skipped, List<String> problems) {}

    private NmnistReader() {}

    /** Decodes one file. */
    public static EventBuffer readFile(Path file) throws IOException {
        EventBuffer out = new EventBuffer();
        readFile(file, out);
        return out;
    }

    /**
     * Heap per byte of a {@code .bin} while it is decoded: the file's bytes, and 13 bytes of
     * {@link EventBuffer} per 5-byte event.
     */
    static final double HEAP_PER_FILE_BYTE = 1 + 13 / 5.0;

    /** Decodes one file into {@code out} (cleared first); a file too large for the heap is refused by name and size. */
    public static void readFile(Path file, EventBuffer out) throws IOException {
        requireDecodable(file, Files.size(file), Runtime.getRuntime().maxMemory());
        byte[] data = Files.readAllBytes(file);
        NmnistFormat.decode(data, data.length, file, out);
    }

    /**
     * Refuses a {@code .bin} of {@code size} bytes that cannot be decoded within {@code maxMemory}
     * (an N-MNIST sample is a few KB; a file of gigabytes is not one).
     */
    static void requireDecodable(Path file, long size, long maxMemory) throws NmnistFormatException {
        String why = FileSize.tooLarge(size, HEAP_PER_FILE_BYTE, maxMemory,
                "an N-MNIST .bin file (one sample is a few KB)");
        if (why != null) {
            throw new NmnistFormatException(file, -1, why);
        }
    }

    /**
     * Lists the samples of one split folder (e.g. {@code .../Train}) in reading order.
     *
     * @throws IOException if the folder does not exist or holds no digit folder
     */
    public static List<NmnistSample> listSplit(Path splitDir) throws IOException {
        if (!Files.isDirectory(splitDir)) {
            throw new NoSuchFileException(splitDir.toString(), null,
                    "not a directory (expected an N-MNIST split folder with digit subfolders 0-9)");
        }
        List<Path> digitDirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(splitDir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (Files.isDirectory(p) && n.length() == 1 && n.charAt(0) >= '0' && n.charAt(0) <= '9') {
                    digitDirs.add(p);
                }
            }
        }
        if (digitDirs.isEmpty()) {
            throw new IOException(splitDir + ": no digit folders 0-9 found (expected the N-MNIST layout "
                    + "<split>/<digit>/<NNNNN>.bin)");
        }
        digitDirs.sort(Comparator.comparing(p -> p.getFileName().toString()));
        List<NmnistSample> out = new ArrayList<>();
        for (Path d : digitDirs) {
            int label = d.getFileName().toString().charAt(0) - '0';
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(d)) {
                for (Path f : ds) {
                    if (f.getFileName().toString().endsWith("bin") && Files.isRegularFile(f)) {
                        files.add(f);
                    }
                }
            }
            files.sort(Comparator.comparing(p -> p.getFileName().toString()));
            for (Path f : files) {
                out.add(new NmnistSample(f, label, indexOf(f)));
            }
        }
        return out;
    }

    /**
     * Keeps the {@code limit} samples with the smallest file-name index (samples without a number
     * come last), preserving reading order. With the official naming this picks the first
     * {@code limit} MNIST samples, spread over all digits. {@code limit <= 0} keeps everything.
     */
    public static List<NmnistSample> limit(List<NmnistSample> samples, int limit) {
        if (limit <= 0 || limit >= samples.size()) {
            return samples;
        }
        List<NmnistSample> byIndex = new ArrayList<>(samples);
        byIndex.sort(Comparator.comparingLong((NmnistSample s) -> s.index() < 0 ? Long.MAX_VALUE : s.index())
                .thenComparing(s -> s.file().toString()));
        java.util.Set<NmnistSample> keep = new java.util.HashSet<>(byIndex.subList(0, limit));
        List<NmnistSample> out = new ArrayList<>(limit);
        for (NmnistSample s : samples) {
            if (keep.contains(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Decodes every sample of a split folder in order and passes it to {@code visitor}.
     *
     * @param lenient if true, malformed files are skipped and counted in the report; if false the
     *     first malformed file aborts with an {@link NmnistFormatException} naming it
     */
    public static ReadReport forEach(Path splitDir, boolean lenient, SampleVisitor visitor)
            throws IOException {
        return forEach(listSplit(splitDir), lenient, visitor);
    }

    /** As {@link #forEach(Path, boolean, SampleVisitor)} over an explicit sample list. */
    public static ReadReport forEach(List<NmnistSample> samples, boolean lenient, SampleVisitor visitor)
            throws IOException {
        EventBuffer buf = new EventBuffer(8192);
        int read = 0;
        List<String> problems = new ArrayList<>();
        for (NmnistSample s : samples) {
            try {
                readFile(s.file(), buf);
            } catch (NmnistFormatException e) {
                if (!lenient) {
                    throw e;
                }
                problems.add(e.getMessage());
                continue;
            }
            visitor.visit(s, buf);
            read++;
        }
        return new ReadReport(read, problems.size(), List.copyOf(problems));
    }

    /** True if {@code root} holds the official {@code Train/} and {@code Test/} folders. */
    public static boolean isNmnistRoot(Path root) {
        return root != null && Files.isDirectory(root.resolve(Split.TRAIN.folder()))
                && Files.isDirectory(root.resolve(Split.TEST.folder()));
    }

    static int indexOf(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        String stem = dot > 0 ? n.substring(0, dot) : n;
        if (stem.isEmpty() || stem.length() > 9) {
            return -1;
        }
        for (int i = 0; i < stem.length(); i++) {
            if (!Character.isDigit(stem.charAt(i))) {
                return -1;
            }
        }
        return Integer.parseInt(stem);
    }
}
