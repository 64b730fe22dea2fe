package io.eggroll.data;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point the trainer calls: turns whatever N-MNIST data is available into binned
 * {@link SpikeDataset}s, building what is missing.
 *
 * <ol>
 *   <li>If {@link PrepareOptions#dataDir()} holds the official release ({@code Train/},
 *       {@code Test/}), its files are binned.
 *   <li>Otherwise the MNIST-converted set under {@code workDir/nmnist-converted} (or
 *       {@code nmnist-converted-seed<S>} for a seed other than 0) is used, created on first use:
 *       MNIST is fetched into {@code workDir/mnist} ({@link MnistFetcher}), converted
 *       ({@link SaccadeConverter}) and recorded in {@code convert.properties}.
 *   <li>Each split is binned into {@code workDir/cache/<name>-T<T>-<start>-<end>-<src>.ebin};
 *       a cache whose header matches the binning and the source fingerprint is reused, so
 *       repeated runs start in seconds.
 * </ol>
 */
public final class NmnistData {

    private static final Logger LOG = LoggerFactory.getLogger(NmnistData.class);
    static final String MANIFEST = "convert.properties";

    /**
     * The prepared splits.
     *
     * @param sourceDir the folder of {@code .bin} files that was binned
     * @param converted true if that folder is the MNIST-converted set
     */
    public record Prepared(BinnedSpikeDataset train, BinnedSpikeDataset test, Path sourceDir, boolean converted) {}

    private NmnistData() {}

    /** Prepares train and test datasets as described in the class comment. */
    public static Prepared prepare(PrepareOptions opts, ProgressListener progress) throws IOException {
        return prepare(opts, MnistFetcher.Options.defaults(opts.workDir().resolve("mnist"))
                .withFromDir(opts.mnistFrom()), progress);
    }

    /**
     * As {@link #prepare(PrepareOptions, ProgressListener)} with explicit MNIST fetch options
     * (sources, expected hashes); {@code fetch.outDir()} is where MNIST is cached.
     */
    public static Prepared prepare(PrepareOptions opts, MnistFetcher.Options fetch, ProgressListener progress)
            throws IOException {
        ProgressListener pl = progress == null ? ProgressListener.NONE : progress;
        Path root;
        boolean converted;
        if (opts.dataDir() != null) {
            // An explicit data directory is used or refused, never silently replaced by the converted set.
            if (!java.nio.file.Files.isDirectory(opts.dataDir())) {
                throw new IllegalArgumentException("--data " + opts.dataDir() + ": no such directory");
            }
            if (!NmnistReader.isNmnistRoot(opts.dataDir())) {
                throw new IllegalArgumentException("--data " + opts.dataDir() + " does not hold the N-MNIST Train/ and "
                        + "Test/ folders; point it at the official release's root, or leave --data out to use the "
                        + "N-MNIST set converted from MNIST");
            }
            root = opts.dataDir();
            converted = false;
        } else {
            root = convertedDir(opts);
            ensureConverted(opts, fetch, root, pl);
            converted = true;
        }
        String prefix = converted ? "conv" : "nmnist";
        BinnedSpikeDataset train = binSplit(opts, root, Split.TRAIN, opts.limitTrain(), prefix, pl);
        BinnedSpikeDataset test = binSplit(opts, root, Split.TEST, opts.limitTest(), prefix, pl);
        return new Prepared(train, test, root, converted);
    }

    /** Folder of the converted set for these options. */
    public static Path convertedDir(PrepareOptions opts) {
        return opts.workDir().resolve(opts.seed() == 0 ? "nmnist-converted" : "nmnist-converted-seed" + opts.seed());
    }

    /** Converts whatever part of the requested MNIST subset is not yet converted. */
    static void ensureConverted(PrepareOptions opts, MnistFetcher.Options fetch, Path root, ProgressListener pl)
            throws IOException {
        Properties wanted = manifest(opts);
        Path mf = root.resolve(MANIFEST);
        Properties have = new Properties();
        if (Files.exists(mf)) {
            try (Reader r = Files.newBufferedReader(mf, StandardCharsets.UTF_8)) {
                have.load(r);
            }
            for (String k : wanted.stringPropertyNames()) {
                if (!wanted.getProperty(k).equals(have.getProperty(k))) {
                    throw new IOException(mf + ": converted set was made with " + k + "=" + have.getProperty(k)
                            + " but these options need " + k + "=" + wanted.getProperty(k)
                            + "; delete " + root + " or use another work dir");
                }
            }
        }
        int needTrain = need(opts.limitTrain(), Split.TRAIN);
        int needTest = need(opts.limitTest(), Split.TEST);
        int haveTrain = Integer.parseInt(have.getProperty("train.converted", "0"));
        int haveTest = Integer.parseInt(have.getProperty("test.converted", "0"));
        if (haveTrain >= needTrain && haveTest >= needTest) {
            return;
        }
        Path mnistDir = new MnistFetcher(fetch, pl).fetch();
        SaccadeConverter conv = new SaccadeConverter(opts.dvs());
        for (Split s : Split.values()) {
            int need = s == Split.TRAIN ? needTrain : needTest;
            int got = s == Split.TRAIN ? haveTrain : haveTest;
            if (got >= need) {
                continue;
            }
            MnistSet set = MnistSet.load(mnistDir, s);
            SaccadeConverter.Stats st = conv.convert(set, s, root, need, opts.seed(), opts.threads(), false, pl);
            LOG.info("converted {}: {}", s.id(), st);
            wanted.setProperty(s.id() + ".converted", Integer.toString(need));
            if (s == Split.TRAIN) {
                haveTrain = need;
            } else {
                haveTest = need;
            }
            wanted.setProperty("train.converted", Integer.toString(haveTrain));
            wanted.setProperty("test.converted", Integer.toString(haveTest));
            Files.createDirectories(root);
            try (Writer w = Files.newBufferedWriter(mf, StandardCharsets.UTF_8)) {
                wanted.store(w, "eggroll MNIST -> N-MNIST conversion");
            }
        }
    }

    private static int need(int limit, Split s) {
        return limit <= 0 ? s.fullSize() : Math.min(limit, s.fullSize());
    }

    static Properties manifest(PrepareOptions opts) {
        Properties p = new Properties();
        DvsParams d = opts.dvs();
        p.setProperty("model.version", Integer.toString(SaccadeConverter.MODEL_VERSION));
        p.setProperty("seed", Long.toString(opts.seed()));
        p.setProperty("dvs", d.toString());
        return p;
    }

    static BinnedSpikeDataset binSplit(PrepareOptions opts, Path root, Split split, int limit, String prefix,
                                       ProgressListener pl) throws IOException {
        List<NmnistSample> samples = NmnistReader.limit(NmnistReader.listSplit(root.resolve(split.folder())), limit);
        if (samples.isEmpty()) {
            throw new IOException(root.resolve(split.folder()) + ": no .bin files");
        }
        // The limit picks files by MNIST index, so the file list itself says which samples were binned.
        return EventData.bin(NmnistEvents.source(prefix + "-" + split.id(), root, samples), opts, "", pl);
    }
}
