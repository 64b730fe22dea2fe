package io.eggroll.plot;

import io.eggroll.plot.Charts.Axis;
import io.eggroll.plot.Charts.Series;
import io.eggroll.plot.Charts.TimeUnit;
import io.eggroll.train.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.XYChart;

/**
 * The charts of training runs: a run's learning curves ({@code fitness.png}, {@code accuracy.png},
 * each against generation and against wall time) and the validation accuracy of several runs
 * against wall time in one chart ({@code eggroll plot}).
 */
public final class RunCharts {

    public static final String FITNESS = "fitness.png";
    public static final String ACCURACY = "accuracy.png";

    private RunCharts() {}

    /** Writes {@code fitness.png} and {@code accuracy.png} into the run directory; returns their paths. */
    public static List<Path> write(RunDirectory run) throws IOException {
        RunMetrics m = RunMetrics.read(run.metrics());
        if (m.isEmpty()) {
            throw new IOException(run.metrics() + " holds no generations to plot");
        }
        TimeUnit unit = TimeUnit.forSpan(m.lastSeconds());
        Path fitness = run.root().resolve(FITNESS);
        Path accuracy = run.root().resolve(ACCURACY);
        Charts.write(fitness, panels(m, unit, "Fitness", Axis.linear("fitness (negative cross-entropy)"),
                new String[] {"fitness_mean", "fitness_max"}, new String[] {"population mean", "population best"}, 1));
        Charts.write(accuracy, panels(m, unit, "Accuracy", Axis.percent("accuracy (%)"),
                new String[] {"minibatch_accuracy", null}, new String[] {"minibatch (population mean)", "validation"},
                100));
        return List.of(fitness, accuracy);
    }

    /** One chart against generation, one against wall time; a null key: the validation accuracy. */
    private static List<XYChart> panels(RunMetrics m, TimeUnit unit, String what, Axis y, String[] keys,
                                        String[] names, double yScale) {
        List<XYChart> panels = new ArrayList<>();
        for (boolean byTime : new boolean[] {false, true}) {
            List<Series> series = new ArrayList<>();
            for (int k = 0; k < keys.length; k++) {
                List<String> yKeys = keys[k] == null ? RunMetrics.VALIDATION_KEYS : List.of(keys[k]);
                series.add(byTime ? m.series(names[k], "seconds", unit.seconds(), yKeys, yScale)
                        : m.series(names[k], "generation", 1, yKeys, yScale));
            }
            Axis x = (byTime ? Axis.linear(unit.axisTitle()) : Axis.whole("generation")).from(0);
            panels.add(Charts.lines(what + " by " + (byTime ? "wall time" : "generation"), x, y, series));
        }
        return panels;
    }

    /**
     * Draws the validation accuracy of each run in {@code runs} against wall time into the PNG
     * {@code out}; {@code logTime}: a logarithmic time axis (runs of very different lengths).
     * Refuses, naming them, directories without a {@code metrics.jsonl} and runs without a
     * validation accuracy yet.
     */
    public static Path compare(List<Path> runs, Path out, boolean logTime) throws IOException {
        if (runs.isEmpty()) {
            throw new IllegalArgumentException("no run directories to plot");
        }
        List<String> missing = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (Path r : runs) {
            if (!seen.add(r.toAbsolutePath().normalize())) {
                throw new IllegalArgumentException("run directory given twice: " + r);
            }
            if (!Files.isRegularFile(new RunDirectory(r).metrics())) {
                missing.add(r.toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException((missing.size() == 1 ? "not a run directory" : "not run directories")
                    + " (no metrics.jsonl): " + String.join(", ", missing));
        }
        List<RunMetrics> metrics = new ArrayList<>();
        double longest = 0;
        for (Path r : runs) {
            RunMetrics m = RunMetrics.read(new RunDirectory(r).metrics());
            metrics.add(m);
            longest = Math.max(longest, m.lastSeconds());
        }
        TimeUnit unit = TimeUnit.forSpan(longest);
        List<Series> series = new ArrayList<>();
        List<String> empty = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Series s = metrics.get(i).series(seriesName(runs, i), "seconds", unit.seconds(),
                    RunMetrics.VALIDATION_KEYS, 100);
            if (s.x().length == 0) {
                empty.add(runs.get(i).toString());
            }
            series.add(s);
        }
        if (!empty.isEmpty()) {
            throw new IllegalArgumentException("no validation accuracy in metrics.jsonl yet (it is measured every "
                    + "--eval-every generations): " + String.join(", ", empty));
        }
        Axis x = logTime ? Axis.log(unit.axisTitle() + ", log scale") : Axis.linear(unit.axisTitle()).from(0);
        XYChart chart = Charts.lines("Validation accuracy by wall time", x, Axis.percent("validation accuracy (%)"),
                series);
        return Charts.write(out, List.of(chart));
    }

    /** The run's directory name, or its path as given where two runs share a name. */
    private static String seriesName(List<Path> runs, int i) {
        Path name = runs.get(i).toAbsolutePath().normalize().getFileName();
        String n = name == null ? runs.get(i).toString() : name.toString();
        long same = runs.stream().map(r -> r.toAbsolutePath().normalize().getFileName())
                .filter(f -> f != null && f.toString().equals(n)).count();
        return same > 1 ? runs.get(i).toString() : n;
    }
}
