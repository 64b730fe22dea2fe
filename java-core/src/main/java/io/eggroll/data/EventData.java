package io.eggroll.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bins any {@link EventDataset} into cached {@link BinnedSpikeDataset}s, the same way for every
 * source: each split is binned by {@link PrepareOptions#bins()} into
 * {@code workDir/cache/<split name>-T<T>-<start>-<end>-<src>.ebin}, and a cache whose header
 * matches the binning and whose source fingerprint matches the files (paths, sizes, modification
 * times, plus the options that change the content) is reused.
 *
 * <p>Of {@link PrepareOptions} this uses {@code workDir}, {@code bins}, {@code lenient},
 * {@code limitTrain}/{@code limitTest} (the first N samples of a split) and {@code threads}; the
 * converter options are N-MNIST's ({@link NmnistData}).
 */
public final class EventData {

    private static final Logger LOG = LoggerFactory.getLogger(EventData.class);

    /** The binned splits and the sensor their inputs come from (for pooling). */
    public record Prepared(BinnedSpikeDataset train, BinnedSpikeDataset test, SensorShape sensor) {}

    private EventData() {}

    /**
     * The reader of an event-data task's folder: {@code shd} ({@link ShdEvents}) or {@code events}
     * ({@link EventFiles}).
     */
    public static EventDataset open(String task, Path dir) throws IOException {
        return switch (task) {
            case "shd" -> ShdEvents.open(dir);
            case "events" -> EventFiles.open(dir);
            default -> throw new IllegalArgumentException("event task must be 'shd' or 'events', got '" + task + "'");
        };
    }

    /** Bins (or reuses the caches of) the train and test splits of {@code dataset}. */
    public static Prepared prepare(EventDataset dataset, PrepareOptions opts, ProgressListener progress)
            throws IOException {
        ProgressListener pl = progress == null ? ProgressListener.NONE : progress;
        BinnedSpikeDataset train = bin(dataset.split(Split.TRAIN).first(opts.limitTrain()), opts,
                limitTag(opts.limitTrain()), pl);
        BinnedSpikeDataset test = bin(dataset.split(Split.TEST).first(opts.limitTest()), opts,
                limitTag(opts.limitTest()), pl);
        return new Prepared(train, test, dataset.sensor());
    }

    private static String limitTag(int limit) {
        return limit > 0 ? ";first=" + limit : "";
    }

    /**
     * Bins one split, or opens its cache.
     *
     * @param extra what else, beyond the files, the binned content depends on (kept in the
     *     source fingerprint)
     */
    static BinnedSpikeDataset bin(EventSource source, PrepareOptions opts, String extra, ProgressListener pl)
            throws IOException {
        if (source.size() == 0) {
            throw new IOException(source.root() + ": split " + source.name() + " has no samples");
        }
        BinSpec b = opts.bins();
        String src = BinnedCacheWriter.filesFingerprint(source.root(), source.files(),
                "lenient=" + opts.lenient() + extra);
        String name = source.name();
        Path cache = opts.workDir().resolve("cache").resolve(String.format("%s-T%d-%d-%d-%s.ebin", name,
                b.timesteps(), b.windowStartUs(), b.windowEndUs(), src.substring(0, 12)));
        if (Files.exists(cache)) {
            try {
                BinnedSpikeDataset ds = BinnedSpikeDataset.open(cache);
                if (ds.spec().equals(b) && ds.sourceFingerprint().equals(src)) {
                    pl.update("bin " + name + " (cached)", ds.size(), ds.size());
                    return ds;
                }
            } catch (IOException e) {
                LOG.warn("rebuilding unreadable cache: {}", e.getMessage());
            }
        }
        BinnedCacheWriter.Result r = BinnedCacheWriter.build(source, b, cache, src, name, opts.lenient(),
                opts.threads(), pl);
        if (r.skipped() > 0) {
            LOG.warn("{}: skipped {} malformed sample(s); first: {}", name, r.skipped(), r.problems().getFirst());
        }
        return r.dataset();
    }
}
