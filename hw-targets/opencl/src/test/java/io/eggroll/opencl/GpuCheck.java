package io.eggroll.opencl;

import io.eggroll.backend.Backend;
import io.eggroll.backend.ModelState;
import io.eggroll.backend.conformance.Conformance;
import io.eggroll.backend.conformance.ConformanceCase;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.es.EsConfig;
import io.eggroll.es.Generation;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Stand-alone check of the opencl backend on whatever OpenCL device is present (run by
 * {@code bench/gpu-check.sh}, no JUnit or Maven needed): the conformance measurements against the
 * cpu backend, then a side-by-side throughput comparison, printed as markdown tables. Exit code 1
 * when a conformance bound is violated.
 *
 * <p>Usage: {@code GpuCheck [--device SEL] [--cases N] [--sizes quick|full] [--seed S]}
 */
public final class GpuCheck {

    private GpuCheck() {}

    public static void main(String[] args) {
        String selector = null;
        int cases = 24;
        String sizes = "full";
        long seed = new SplittableRandom().nextLong();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--device" -> selector = args[++i];
                case "--cases" -> cases = Integer.parseInt(args[++i]);
                case "--sizes" -> sizes = args[++i];
                case "--seed" -> seed = Long.parseLong(args[++i]);
                default -> {
                    System.err.println("unknown argument " + args[i]
                            + "; usage: GpuCheck [--device SEL] [--cases N] [--sizes quick|full] [--seed S]");
                    System.exit(2);
                }
            }
        }
        var reason = ClDevices.unavailableReason();
        if (reason.isPresent()) {
            System.err.println("OpenCL is unavailable: " + reason.get());
            System.exit(3);
        }
        System.out.println("## OpenCL devices\n");
        for (ClDevice d : ClDevices.list()) {
            System.out.println("- [" + d.index() + "] " + d.describe() + ", driver " + d.driverVersion());
        }
        ClDevice device = ClDevices.select(selector);
        int threads = Runtime.getRuntime().availableProcessors();
        boolean ok;
        try (OpenClBackend ocl = new OpenClBackend(device, null, 0); CpuBackend cpu = new CpuBackend(threads)) {
            System.out.println("\nusing " + ocl.device() + "; reference cpu backend with " + threads + " threads; seed "
                    + seed + "\n");
            ok = conformance(cpu, ocl, cases, seed);
            throughput(cpu, ocl, sizes);
        }
        System.exit(ok ? 0 : 1);
    }

    private static boolean conformance(Backend cpu, OpenClBackend ocl, int cases, long seed) {
        System.out.println("## Conformance against the cpu backend\n");
        System.out.println("| check | measured | bound | result |");
        System.out.println("|---|---|---|---|");
        boolean ok = true;
        long t0 = System.nanoTime();
        Conformance.NoiseResult noise = Conformance.noise(ocl::deviceNoise, seed, 4096);
        ok &= row("noise bits (Gaussian + Rademacher, all kinds)", noise.mismatches() + " of " + noise.checked()
                + " differ", "0 differ", noise.mismatches() == 0);
        Conformance.ReadoutResult ev = Conformance.ReadoutResult.empty();
        Conformance.ReadoutResult inf = Conformance.ReadoutResult.empty();
        double upd = 0;
        long updValues = 0;
        long updIdentical = 0;
        for (int i = 0; i < cases; i++) {
            ConformanceCase c = ConformanceCase.random(seed * 31 + i, 64, i);
            ev = ev.plus(Conformance.evaluate(cpu, ocl, c));
            inf = inf.plus(Conformance.infer(cpu, ocl, c));
            Conformance.UpdateResult u = Conformance.update(cpu, ocl, c, 3);
            upd = Math.max(upd, u.maxRelative());
            updValues += u.values();
            updIdentical += u.bitIdentical();
        }
        ok &= row("evaluate: identical (member, sample) readouts, " + cases + " random networks",
                String.format(Locale.ROOT, "%.4f%% of %d", 100 * ev.agreement(), ev.pairs()),
                String.format(Locale.ROOT, ">= %.1f%%", 100 * Conformance.READOUT_AGREEMENT),
                ev.agreement() >= Conformance.READOUT_AGREEMENT);
        ok &= row("evaluate: fitness difference (max)", String.format(Locale.ROOT, "%.3g", ev.maxFitnessDiff()),
                "2 sum(abs dr) / (B T) + 1e-5", ev.maxFitnessExcess() <= 0);
        ok &= row("infer: identical readouts", String.format(Locale.ROOT, "%.4f%% of %d", 100 * inf.agreement(),
                inf.pairs()), String.format(Locale.ROOT, ">= %.1f%%", 100 * Conformance.READOUT_AGREEMENT),
                inf.agreement() >= Conformance.READOUT_AGREEMENT);
        ok &= row("update (3 steps, SGD/momentum/Adam): max relative difference",
                String.format(Locale.ROOT, "%.3g (%d of %d values bit-identical)", upd, updIdentical, updValues),
                "<= 1e-5", upd <= Conformance.UPDATE_RELATIVE);
        if (ev.firstDifference() != null) {
            System.out.println("\nfirst readout difference: " + ev.firstDifference());
        }
        System.out.printf(Locale.ROOT, "%nconformance took %.1f s%n%n", (System.nanoTime() - t0) / 1e9);
        return ok;
    }

    private static boolean row(String check, String measured, String bound, boolean pass) {
        System.out.println("| " + check + " | " + measured + " | " + bound + " | " + (pass ? "pass" : "**FAIL**") + " |");
        return pass;
    }

    /** One throughput configuration: network sizes, population, rank, batch, time steps. */
    record Shape(String name, int[] sizes, int population, int rank, int batch, int steps, double density) {}

    static List<Shape> shapes(String which) {
        List<Shape> s = new ArrayList<>();
        s.add(new Shape("small 64-32-10", new int[] {64, 32, 10}, 64, 2, 16, 10, 0.2));
        if (which.equals("full")) {
            s.add(new Shape("N-MNIST 2312-128-10", new int[] {2312, 128, 10}, 256, 4, 32, 16, 0.03));
            s.add(new Shape("N-MNIST 2312-512-10, N=1024", new int[] {2312, 512, 10}, 1024, 8, 32, 16, 0.03));
        }
        return s;
    }

    private static void throughput(Backend cpu, Backend ocl, String which) {
        System.out.println("## Throughput (member-sample evaluations per second; update = one ES step)\n");
        System.out.println("| shape | N | r | B x T | cpu eval/s | opencl eval/s | eval speed-up | cpu update ms | "
                + "opencl update ms |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (Shape sh : shapes(which)) {
            SnnConfig net = SnnConfig.of(sh.sizes());
            ModelState st = ModelState.fresh(Params.init(net, 1, 1.0f), OptimizerConfig.adam(0.01f));
            SpikeBatch batch = ConformanceCase.randomBatch(new SplittableRandom(5), sh.batch(), sh.steps(), sh.sizes()[0],
                    net.outputs(), sh.density());
            EsConfig es = EsConfig.eggroll(sh.population(), sh.rank(), 0.05f);
            double[] c = measure(cpu, st, batch, es);
            double[] o = measure(ocl, st, batch, es);
            double evals = (double) sh.population() * sh.batch();
            System.out.printf(Locale.ROOT, "| %s | %d | %d | %d x %d | %.0f | %.0f | %.2fx | %.1f | %.1f |%n", sh.name(),
                    sh.population(), sh.rank(), sh.batch(), sh.steps(), evals / c[0], evals / o[0], c[0] / o[0],
                    c[1] * 1e3, o[1] * 1e3);
        }
    }

    /** Median seconds of evaluate and of update over a few repetitions after a warm-up. */
    private static double[] measure(Backend b, ModelState st, SpikeBatch batch, EsConfig es) {
        b.load(st);
        float[] shaped = new float[es.population()];
        for (int i = 0; i < shaped.length; i++) {
            shaped[i] = (float) ((i * 0.618) % 1.0 - 0.5);
        }
        int reps = 5;
        double[] ev = new double[reps];
        double[] up = new double[reps];
        for (int r = -1; r < reps; r++) {
            Generation g = new Generation(3, r + 1, es);
            long t0 = System.nanoTime();
            b.evaluate(batch, g);
            long t1 = System.nanoTime();
            b.update(g, shaped, es.population(), st.optimizer().learningRate());
            long t2 = System.nanoTime();
            if (r >= 0) {
                ev[r] = (t1 - t0) / 1e9;
                up[r] = (t2 - t1) / 1e9;
            }
        }
        java.util.Arrays.sort(ev);
        java.util.Arrays.sort(up);
        return new double[] {ev[reps / 2], up[reps / 2]};
    }
}
