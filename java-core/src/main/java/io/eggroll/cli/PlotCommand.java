package io.eggroll.cli;

import io.eggroll.plot.RunCharts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code eggroll plot runs/a runs/b ...}: the validation accuracy of several runs against wall time, in one PNG. */
@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Compare runs: draw the validation (periodic held-out) accuracy of each run against wall time "
                + "into one PNG, one line per run, named by its directory.",
                "Reads only metrics.jsonl, so it works on runs still training or stopped."})
final class PlotCommand implements Callable<Integer> {

    static final String DEFAULT_OUT = "runs-compare.png";

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run directories (e.g. runs/a runs/b).")
    List<Path> runs;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = DEFAULT_OUT,
            description = "The PNG to write (default: ${DEFAULT-VALUE} in the current directory).")
    Path out;

    @Option(names = "--overwrite", description = "Replace --out if it exists (without it, an existing file is refused).")
    boolean overwrite;

    @Option(names = "--log-time", description = "A logarithmic wall-time axis, for runs of very different lengths.")
    boolean logTime;

    @Override
    public Integer call() throws Exception {
        if (Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " is a directory; name the PNG file to write");
        }
        if (Files.exists(out) && !overwrite) {
            throw new IllegalArgumentException(out + " exists; pass --overwrite to replace it or --out to write "
                    + "another file");
        }
        RunCharts.compare(runs, out, logTime);
        System.out.println("wrote " + out + " (validation accuracy of " + runs.size() + " run"
                + (runs.size() == 1 ? "" : "s") + " against wall time)");
        return 0;
    }
}
