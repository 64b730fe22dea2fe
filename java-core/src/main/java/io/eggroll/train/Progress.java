package io.eggroll.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The live progress line: generation, fitness, accuracy, speed and ETA. On a terminal it
 * rewrites one line; otherwise it prints a line every few seconds and at each evaluation.
 */
public final class Progress implements TrainListener {

    private final PrintStream out;
    private final boolean live;
    private final long intervalNanos;
    private long lastPrint;
    private double lastValidation = Double.NaN;
    private int lastValidationGen = -1;
    private int startGeneration = -1;
    private double startSeconds;

    public Progress(PrintStream out, boolean live, double intervalSeconds) {
        this.out = out;
        this.live = live;
        this.intervalNanos = (long) (intervalSeconds * 1e9);
    }

    public static Progress forConsole() {
        return new Progress(System.err, System.console() != null, 5.0);
    }

    @Override
    public void onStats(GenerationStats s, int total) {
        if (startGeneration < 0) {
            startGeneration = s.generation();
            startSeconds = s.seconds() - s.generationSeconds();
        }
        boolean eval = Double.isFinite(s.validationAccuracy());
        if (eval) {
            lastValidation = s.validationAccuracy();
            lastValidationGen = s.generation();
        }
        long now = System.nanoTime();
        boolean last = s.generation() == total - 1;
        if (!live && !eval && !last && now - lastPrint < intervalNanos) {
            return;
        }
        lastPrint = now;
        int done = s.generation() + 1 - startGeneration;
        double perGen = (s.seconds() - startSeconds) / Math.max(1, done);
        double eta = perGen * (total - s.generation() - 1);
        String line = String.format(Locale.ROOT,
                "gen %d/%d | fitness %.4f (max %.4f) | batch acc %.1f%% | val %s | %.2f s/gen | %s | ETA %s",
                s.generation() + 1, total, s.fitnessMean(), s.fitnessMax(), 100 * s.minibatchAccuracy(),
                lastValidationGen < 0 ? "-" : String.format(Locale.ROOT, "%.2f%% @%d", 100 * lastValidation, lastValidationGen + 1),
                s.generationSeconds(), rate(s.memberEvaluationsPerSecond()), duration(eta));
        if (live) {
            out.print("\r" + line + "\u001b[K");
            if (last || eval) {
                out.println();
            }
        } else {
            out.println(line);
        }
        out.flush();
    }

    @Override
    public void onExcluded(int generation, int member, float fitness) {
        if (live) {
            out.println();
        }
    }

    private static String rate(double r) {
        return r >= 1e6 ? String.format(Locale.ROOT, "%.1fM member-samples/s", r / 1e6)
                : String.format(Locale.ROOT, "%.0fk member-samples/s", r / 1e3);
    }

    public static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
                : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
    }
}
