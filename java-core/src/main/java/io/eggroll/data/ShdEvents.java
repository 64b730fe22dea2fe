package io.eggroll.data;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.api.Node;
import io.jhdf.exceptions.HdfException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The Spiking Heidelberg Digits (SHD) and Spiking Speech Commands (SSC) datasets, read from their
 * released HDF5 files ({@code shd_train.h5}, {@code shd_test.h5}; or {@code ssc_train.h5},
 * {@code ssc_test.h5}) with the pure-Java jHDF library:
 * <pre>
 *   spikes/times   ragged (vlen) float array per sample: spike times in seconds
 *   spikes/units   ragged (vlen) integer array per sample: the channel 0..699 of each spike
 *   labels         one integer per sample: the class, 0..19 (SHD) or 0..34 (SSC)
 * </pre>
 * Other members ({@code extra/keys}, {@code extra/speaker}, ...) are ignored. The sensor is 700
 * units (1 x 1 x 700, {@link SensorShape#units}); a spike at unit {@code u} and time {@code t}
 * becomes the event {@code x = u, y = 0, p = 0} at {@code round(t * 1e6)} microseconds, as Tonic
 * reads these files. SSC's {@code ssc_valid.h5} is not used.
 *
 * <p>A split's file is read whole into memory the first time one of its samples is read
 * (SHD's training file takes about half a gigabyte), and checked then: every problem is reported
 * as an {@link EventFormatException} naming the file, the dataset and the sample.
 */
public final class ShdEvents implements EventDataset {

    static {
        // jHDF logs every dataset read at info; the CLI's log shows only its warnings.
        if (System.getProperty("org.slf4j.simpleLogger.log.io.jhdf") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.io.jhdf", "warn");
        }
    }

    /** SHD's and SSC's cochlea model has 700 output channels. */
    public static final int UNITS = 700;

    private final Path dir;
    private final String prefix;
    private final int classes;

    private ShdEvents(Path dir, String prefix, int classes) {
        this.dir = dir;
        this.prefix = prefix;
        this.classes = classes;
    }

    /**
     * The SHD files in {@code dir} ({@code shd_train.h5} and {@code shd_test.h5}, 20 classes) or,
     * when those are absent, the SSC files ({@code ssc_train.h5} and {@code ssc_test.h5}, 35 classes).
     *
     * @throws IOException if {@code dir} holds neither pair
     */
    public static ShdEvents open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException(dir + ": no such directory (expected the folder holding shd_train.h5 and shd_test.h5)");
        }
        if (has(dir, "shd")) {
            return new ShdEvents(dir, "shd", 20);
        }
        if (has(dir, "ssc")) {
            return new ShdEvents(dir, "ssc", 35);
        }
        String hint = Files.exists(dir.resolve("shd_train.h5.gz")) || Files.exists(dir.resolve("shd_train.h5.zip"))
                ? " (unpack the downloaded shd_*.h5.gz / .zip first)" : "";
        throw new IOException(dir + ": holds neither shd_train.h5 and shd_test.h5 nor ssc_train.h5 and ssc_test.h5"
                + hint + "; the files are at https://zenkelab.org/datasets/ (see docs/DATA.md)");
    }

    private static boolean has(Path dir, String prefix) {
        return Files.isRegularFile(dir.resolve(prefix + "_train.h5")) && Files.isRegularFile(dir.resolve(prefix + "_test.h5"));
    }

    @Override
    public String id() {
        return prefix;
    }

    @Override
    public SensorShape sensor() {
        return SensorShape.units(UNITS);
    }

    @Override
    public int classes() {
        return classes;
    }

    /** The HDF5 file of a split, e.g. {@code shd_train.h5}. */
    public Path file(Split split) {
        return dir.resolve(prefix + "_" + split.id() + ".h5");
    }

    /**
     * A split: its labels are read and checked now; its spikes are read (whole) and checked the
     * first time a sample is read, so a run whose binned cache is valid never loads them.
     */
    @Override
    public EventSource split(Split split) throws IOException {
        Path file = file(split);
        int[] labels = readLabels(file, classes);
        Spikes spikes = new Spikes(file, labels.length);
        return new LabelledSource(prefix + "-" + split.id(), sensor(), classes, labels, dir, List.of(file)) {
            @Override
            public void read(int i, EventBuffer out) throws IOException {
                Objects.checkIndex(i, labels.length);
                spikes.read(i, out);
            }
        };
    }

    /** The ragged spike arrays of one file, loaded on first use. */
    private static final class Spikes {
        private final Path file;
        private final int samples;
        private Object[] times;
        private Object[] units;

        Spikes(Path file, int samples) {
            this.file = file;
            this.samples = samples;
        }

        void read(int i, EventBuffer out) throws IOException {
            load();
            out.clear();
            double[] t = doubles(times[i]);
            long[] u = longs(units[i]);
            out.ensureCapacity(t.length);
            for (int e = 0; e < t.length; e++) {
                out.add((int) u[e], 0, 0, (int) Math.round(t[e] * 1e6));
            }
        }

        private synchronized void load() throws IOException {
            if (times != null) {
                return;
            }
            try (HdfFile h = new HdfFile(file)) {
                Object[] ts = ragged(file, h, "spikes/times");
                Object[] us = ragged(file, h, "spikes/units");
                if (ts.length != samples || us.length != samples) {
                    throw new EventFormatException(file, "spikes/times has " + ts.length + " samples, spikes/units "
                            + us.length + " and labels " + samples + "; all three must have one entry per sample");
                }
                for (int i = 0; i < samples; i++) {
                    check(file, i, ts[i], us[i]);
                }
                units = us;
                times = ts;
            } catch (HdfException e) {
                throw notHdf5(file, e);
            }
        }
    }

    private static EventFormatException notHdf5(Path file, HdfException e) {
        return new EventFormatException(file, "not a readable HDF5 file of the SHD layout: " + e.getMessage(), e);
    }

    private static int[] readLabels(Path file, int classes) throws IOException {
        try (HdfFile h = new HdfFile(file)) {
            Object labelData = dataset(file, h, "labels").getData();
            if (labelData == null || !labelData.getClass().isArray() || labelData.getClass().getComponentType().isArray()) {
                throw new EventFormatException(file, "dataset labels is not a one-dimensional array");
            }
            long[] raw = longs(labelData);
            int[] labels = new int[raw.length];
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] < 0 || raw[i] >= classes) {
                    throw new EventFormatException(file, "labels[" + i + "] = " + raw[i] + " is not a class 0.." + (classes - 1));
                }
                labels[i] = (int) raw[i];
            }
            return labels;
        } catch (HdfException e) {
            throw notHdf5(file, e);
        }
    }

    /** An integer array of any width as longs; null if it is not one. */
    private static long[] longs(Object a) {
        return switch (a) {
            case byte[] b -> java.util.stream.IntStream.range(0, b.length).mapToLong(i -> b[i]).toArray();
            case short[] b -> java.util.stream.IntStream.range(0, b.length).mapToLong(i -> b[i]).toArray();
            case int[] b -> java.util.Arrays.stream(b).asLongStream().toArray();
            case long[] b -> b;
            case null, default -> null;
        };
    }

    /** A float array of any width (or an integer one) as doubles; null if it is neither. */
    private static double[] doubles(Object a) {
        return switch (a) {
            case float[] f -> java.util.stream.IntStream.range(0, f.length).mapToDouble(i -> f[i]).toArray();
            case double[] d -> d;
            case null, default -> {
                long[] l = longs(a);
                yield l == null ? null : java.util.Arrays.stream(l).asDoubleStream().toArray();
            }
        };
    }

    private static void check(Path file, int sample, Object t, Object u) throws EventFormatException {
        double[] times = doubles(t);
        long[] units = longs(u);
        if (times == null || units == null) {
            throw new EventFormatException(file, "spikes/times[" + sample + "] must be a float array and spikes/units["
                    + sample + "] an integer array");
        }
        if (units.length != times.length) {
            throw new EventFormatException(file, "sample " + sample + " has " + times.length + " spikes/times but "
                    + units.length + " spikes/units");
        }
        for (int e = 0; e < times.length; e++) {
            if (units[e] < 0 || units[e] >= UNITS) {
                throw new EventFormatException(file, "spikes/units[" + sample + "][" + e + "] = " + units[e]
                        + " is outside the sensor's units 0.." + (UNITS - 1));
            }
            if (!(times[e] >= 0 && times[e] * 1e6 <= Integer.MAX_VALUE)) {
                throw new EventFormatException(file, "spikes/times[" + sample + "][" + e + "] = " + times[e]
                        + " is not a time in seconds within 0.." + Integer.MAX_VALUE / 1_000_000);
            }
        }
    }

    private static Dataset dataset(Path file, HdfFile h, String path) throws EventFormatException {
        Node node;
        try {
            node = h.getByPath(path);
        } catch (HdfException e) {
            throw new EventFormatException(file, "missing dataset " + path + " (the SHD layout has spikes/times, "
                    + "spikes/units and labels)");
        }
        if (!(node instanceof Dataset d)) {
            throw new EventFormatException(file, path + " is not a dataset");
        }
        return d;
    }

    private static Object[] ragged(Path file, HdfFile h, String path) throws EventFormatException {
        Dataset d = dataset(file, h, path);
        Object data = d.getData();
        if (!(data instanceof Object[] rows) || d.getDimensions().length != 1) {
            throw new EventFormatException(file, "dataset " + path + " is not a one-dimensional ragged (vlen) array");
        }
        return rows;
    }
}
