package io.eggroll.testing;

import io.eggroll.snn.SpikeBatch;
import java.util.SplittableRandom;

/** Random networks, inputs and comparisons shared by the tests (and by other modules' tests). */
public final class Fixtures {

    private Fixtures() {}

    public static float[] randomArray(SplittableRandom rnd, int n, double scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        }
        return x;
    }

    /** A batch of independent Bernoulli(density) spike frames with labels in [0, classes). */
    public static SpikeBatch randomBatch(SplittableRandom rnd, int samples, int steps, int inputs, double density,
                                         int classes) {
        return SpikeBatch.bernoulli(rnd, samples, steps, inputs, density, classes);
    }

    /** Runs the CLI in this JVM, appending what it printed on stdout to {@code captured}; returns the exit code. */
    public static int runCli(StringBuilder captured, String... args) {
        java.io.PrintStream old = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            return io.eggroll.cli.Main.run(args);
        } finally {
            System.setOut(old);
            captured.append(buf.toString(java.nio.charset.StandardCharsets.UTF_8));
            System.out.print(captured);
        }
    }

    /** max_i |a_i - b_i| / max_i |b_i| (0 when both are zero). */
    public static double maxRelativeError(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
        }
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < a.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) a[i] - b[i]));
            maxRef = Math.max(maxRef, Math.abs(b[i]));
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }

    public static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            f[i] = (float) x[i];
        }
        return f;
    }

    /**
     * The first description line of every subcommand the CLI has on this classpath, which is what
     * {@code eggroll --help} lists: each must be a whole sentence (ending in '.'), not a line cut
     * mid-sentence. Returns the names checked.
     */
    public static java.util.List<String> assertCommandSummariesAreSentences() {
        picocli.CommandLine cl = io.eggroll.cli.Main.commandLine();
        java.util.List<String> names = new java.util.ArrayList<>();
        for (var e : cl.getSubcommands().entrySet()) {
            String[] d = e.getValue().getCommandSpec().usageMessage().description();
            org.assertj.core.api.Assertions.assertThat(d).as("description of '%s'", e.getKey()).isNotEmpty();
            org.assertj.core.api.Assertions.assertThat(d[0].strip()).as("summary line of '%s'", e.getKey()).endsWith(".");
            names.add(e.getKey());
        }
        return names;
    }
}
