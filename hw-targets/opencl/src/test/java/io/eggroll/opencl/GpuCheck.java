package io.eggroll.opencl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eggroll.backend.Backend;
import io.eggroll.backend.ModelState;
import io.eggroll.backend.conformance.Conformance;
import io.eggroll.backend.conformance.ConformanceCase;
import io.eggroll.backend.conformance.DefinitionBackend;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.es.EsConfig;
import io.eggroll.es.Generation;
import io.eggroll.es.OptimizerConfig;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Stand-alone check of the opencl backend on whatever OpenCL device is present (run by
 * {@code bench/gpu-check.sh}, no JUnit or Maven needed), in both factor modes (materialised and
 * regenerated): the conformance measurements against the plain definition of the method, then a side-by-side
 * throughput comparison. Writes {@code report.json} and {@code summary.md} into the output folder
 * after every section (a run cut short still leaves what it measured) and prints the summary.
 * Sections stop starting once the time budget is spent; what was skipped is recorded. Exit code 1
 * when a conformance bound is violated.
 *
 * <p>Usage: {@code GpuCheck [--out DIR] [--device SEL] [--cases N] [--sizes quick|full] [--seed S]
 * [--budget SECONDS]}
 */
public final class GpuCheck {

    private static final String USAGE =
            "usage: GpuCheck [--out DIR] [--device SEL] [--cases N] [--sizes quick|full] [--seed S] [--budget SECONDS]";
    private static final FactorMode[] MODES = {FactorMode.MATERIALISE, FactorMode.REGENERATE};

    private final Path outDir;
    private final long start = System.nanoTime();
    private final double budgetSeconds;
    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final ObjectNode report = json.createObjectNode();
    private final StringBuilder summary = new StringBuilder();

    private GpuCheck(Path outDir, double budgetSeconds) {
        this.outDir = outDir;
        this.budgetSeconds = budgetSeconds;
    }

    public static void main(String[] args) {
        String selector = null;
        int cases = 12;
        String sizes = "full";
        long seed = new SplittableRandom().nextLong();
        Path out = Path.of("gpu-check-results");
        double budget = 240;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--device" -> selector = args[++i];
                    case "--cases" -> cases = Integer.parseInt(args[++i]);
                    case "--sizes" -> sizes = args[++i];
                    case "--seed" -> seed = Long.parseLong(args[++i]);
                    case "--out" -> out = Path.of(args[++i]);
                    case "--budget" -> budget = Double.parseDouble(args[++i]);
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (!sizes.equals("quick") && !sizes.equals("full")) {
                throw new IllegalArgumentException("--sizes takes quick or full, got " + sizes);
            }
        } catch (RuntimeException e) {
            System.err.println(e.getMessage() + "; " + USAGE);
            System.exit(2);
        }
        var reason = ClDevices.unavailableReason();
        if (reason.isPresent()) {
            System.err.println("OpenCL is unavailable: " + reason.get());
            System.exit(3);
        }
        System.exit(new GpuCheck(out, budget).run(selector, cases, sizes, seed) ? 0 : 1);
    }

    private boolean run(String selector, int cases, String sizes, long seed) {
        report.put("tool", "gpu-check");
        report.put("started", Instant.now().toString());
        report.put("seed", seed);
        report.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        report.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        report.put("budget_seconds", budgetSeconds);
        summary.append("# gpu-check\n\n## OpenCL devices\n\n");
        ArrayNode devs = report.putArray("devices");
        for (ClDevice d : ClDevices.list()) {
            summary.append("- [").append(d.index()).append("] ").append(d.describe()).append(", driver ")
                    .append(d.driverVersion()).append('\n');
            ObjectNode o = devs.addObject();
            o.put("index", d.index());
            o.put("name", d.fullName());
            o.put("type", d.typeName());
            o.put("compute_units", d.computeUnits());
            o.put("global_memory_bytes", d.globalMemory());
            o.put("max_alloc_bytes", d.maxAlloc());
            o.put("driver", d.driverVersion());
            o.put("opencl_c", d.openclCVersion());
            o.put("factor_budget_bytes", FactorMode.budget(d));
        }
        ClDevice device = ClDevices.select(selector);
        int threads = Runtime.getRuntime().availableProcessors();
        report.put("device", device.describe());
        report.put("cpu_threads", threads);
        boolean ok = true;
        try (CpuBackend cpu = new CpuBackend(threads)) {
            summary.append("\nreference: cpu backend with ").append(threads).append(" threads; seed ").append(seed)
                    .append("\n\n");
            save();
            ok = conformance(new DefinitionBackend(), device, cases, seed);
            throughput(cpu, device, sizes);
        } finally {
            report.put("ok", ok);
            report.put("elapsed_seconds", elapsed());
            save();
        }
        System.out.print(summary);
        return ok;
    }

    // ---------------------------------------------------------------- conformance

    private boolean conformance(Backend cpu, ClDevice device, int cases, long seed) {
        summary.append("## Conformance against the definition (io.eggroll.es.Definition)\n\n| factors | check | measured | bound | result |\n")
                .append("|---|---|---|---|---|\n");
        ObjectNode conf = report.putObject("conformance");
        boolean ok = true;
        for (FactorMode mode : MODES) {
            ObjectNode o = conf.putObject(mode.cliName());
            if (elapsed() > 0.4 * budgetSeconds) {
                o.put("skipped", "time budget");
                summary.append("| ").append(mode.cliName()).append(" | skipped: time budget | | | |\n");
                continue;
            }
            long t0 = System.nanoTime();
            try (OpenClBackend ocl = new OpenClBackend(device, null, 0, mode)) {
                o.put("backend", ocl.device());
                Conformance.NoiseResult noise = Conformance.noise(ocl::deviceNoise, seed, 4096);
                o.put("noise_checked", noise.checked());
                o.put("noise_mismatches", noise.mismatches());
                ok &= row(mode, "noise bits (Gaussian + Rademacher, all kinds)", noise.mismatches() + " of "
                        + noise.checked() + " differ", "0 differ", noise.mismatches() == 0);
                List<String> kat = Conformance.knownAnswers(ocl::deviceNoise);
                ok &= row(mode, "Philox known answers (kernels/.../philox_kat.txt) through the noise",
                        kat.isEmpty() ? "all match" : String.join("; ", kat), "all match", kat.isEmpty());
                Conformance.ReadoutResult ev = Conformance.ReadoutResult.empty();
                Conformance.ReadoutResult inf = Conformance.ReadoutResult.empty();
                double upd = 0;
                long updValues = 0;
                long updIdentical = 0;
                int done = 0;
                for (int i = 0; i < cases && elapsed() < 0.4 * budgetSeconds * (mode == MODES[0] ? 0.5 : 1); i++) {
                    ConformanceCase c = ConformanceCase.random(seed * 31 + i, 64, i);
                    ev = ev.plus(Conformance.evaluate(cpu, ocl, c));
                    inf = inf.plus(Conformance.infer(cpu, ocl, c));
                    Conformance.UpdateResult u = Conformance.update(cpu, ocl, c, 3);
                    upd = Math.max(upd, u.maxRelative());
                    updValues += u.values();
                    updIdentical += u.bitIdentical();
                    done++;
                }
                o.put("cases", done);
                o.put("evaluate_pairs", ev.pairs());
                o.put("evaluate_identical", ev.identical());
                o.put("evaluate_max_fitness_difference", ev.maxFitnessDiff());
                o.put("infer_pairs", inf.pairs());
                o.put("infer_identical", inf.identical());
                o.put("update_values", updValues);
                o.put("update_bit_identical", updIdentical);
                o.put("update_max_relative_difference", upd);
                ok &= row(mode, "evaluate: identical (member, sample) readouts, " + done + " random networks",
                        String.format(Locale.ROOT, "%.4f%% of %d", 100 * ev.agreement(), ev.pairs()),
                        String.format(Locale.ROOT, ">= %.1f%%", 100 * Conformance.READOUT_AGREEMENT),
                        ev.agreement() >= Conformance.READOUT_AGREEMENT);
                ok &= row(mode, "evaluate: fitness difference (max)", String.format(Locale.ROOT, "%.3g",
                        ev.maxFitnessDiff()), "2 sum(abs dr) / (B T) + 1e-5", ev.maxFitnessExcess() <= 0);
                ok &= row(mode, "infer: identical readouts", String.format(Locale.ROOT, "%.4f%% of %d",
                        100 * inf.agreement(), inf.pairs()), String.format(Locale.ROOT, ">= %.1f%%",
                        100 * Conformance.READOUT_AGREEMENT), inf.agreement() >= Conformance.READOUT_AGREEMENT);
                ok &= row(mode, "update (3 steps, SGD/momentum/Adam): max relative difference",
                        String.format(Locale.ROOT, "%.3g (%d of %d values bit-identical)", upd, updIdentical, updValues),
                        "<= 1e-5", upd <= Conformance.UPDATE_RELATIVE);
                if (ev.firstDifference() != null) {
                    o.put("first_readout_difference", ev.firstDifference());
                }
            } catch (RuntimeException e) {
                o.put("error", String.valueOf(e));
                summary.append("| ").append(mode.cliName()).append(" | **error**: ").append(e).append(" | | | FAIL |\n");
                ok = false;
            }
            o.put("seconds", (System.nanoTime() - t0) / 1e9);
            conf.put("ok", ok);
            save();
        }
        summary.append('\n');
        return ok;
    }

    private boolean row(FactorMode mode, String check, String measured, String bound, boolean pass) {
        summary.append("| ").append(mode.cliName()).append(" | ").append(check).append(" | ").append(measured)
                .append(" | ").append(bound).append(" | ").append(pass ? "pass" : "**FAIL**").append(" |\n");
        return pass;
    }

    // ---------------------------------------------------------------- throughput

    /** One throughput configuration: network sizes, population, rank, batch, time steps, input density. */
    record Shape(String name, int[] sizes, int population, int rank, int batch, int steps, double density) {}

    static List<Shape> shapes(String which) {
        List<Shape> s = new ArrayList<>();
        s.add(new Shape("small 64-32-10", new int[] {64, 32, 10}, 64, 2, 16, 10, 0.2));
        if (which.equals("full")) {
            // The default N-MNIST network (2x2-pooled input) as `eggroll bench --suite backends` runs it.
            s.add(new Shape("N-MNIST 578-128-10", new int[] {578, 128, 10}, 512, 10, 64, 16, 0.05));
            s.add(new Shape("N-MNIST 2312-512-10, N=1024", new int[] {2312, 512, 10}, 1024, 10, 32, 16, 0.03));
        }
        return s;
    }

    private void throughput(Backend cpu, ClDevice device, String which) {
        summary.append("## Throughput (s per generation, median; update = one ES step)\n\n")
                .append("| shape | N | r | B x T | backend | evaluate s | update s | generation s | vs cpu | readouts = cpu |\n")
                .append("|---|---|---|---|---|---|---|---|---|---|\n");
        ArrayNode rows = report.putArray("throughput");
        for (Shape sh : shapes(which)) {
            SnnConfig net = SnnConfig.of(sh.sizes());
            ModelState st = ModelState.fresh(Params.init(net, 1, 1.0f), OptimizerConfig.adam(0.01f));
            SpikeBatch batch = ConformanceCase.randomBatch(new SplittableRandom(5), sh.batch(), sh.steps(), sh.sizes()[0],
                    net.outputs(), sh.density());
            EsConfig es = EsConfig.eggroll(sh.population(), sh.rank(), 0.05f);
            String shape = String.format(Locale.ROOT, "| %s | %d | %d | %d x %d ", sh.name(), sh.population(), sh.rank(),
                    sh.batch(), sh.steps());
            ObjectNode o = rows.addObject();
            o.put("shape", sh.name());
            o.put("network", Arrays.toString(sh.sizes()));
            o.put("population", sh.population());
            o.put("rank", sh.rank());
            o.put("batch", sh.batch());
            o.put("steps", sh.steps());
            o.put("density", sh.density());
            if (elapsed() > budgetSeconds) {
                o.put("skipped", "time budget");
                summary.append(shape).append("| skipped: time budget | | | | | |\n");
                save();
                continue;
            }
            Measured ref = measure(cpu, st, batch, es);
            put(o.putObject("cpu"), ref, ref);
            summary.append(shape).append(cells("cpu", ref, ref));
            save();
            for (FactorMode mode : MODES) {
                String name = "opencl " + mode.cliName();
                if (elapsed() > budgetSeconds) {
                    o.putObject("opencl_" + mode.cliName()).put("skipped", "time budget");
                    summary.append(shape).append("| ").append(name).append(" | skipped: time budget | | | | |\n");
                    continue;
                }
                try (OpenClBackend ocl = new OpenClBackend(device, null, 0, mode)) {
                    Measured m = measure(ocl, st, batch, es);
                    ObjectNode mo = o.putObject("opencl_" + mode.cliName());
                    put(mo, m, ref);
                    mo.put("backend", ocl.device());
                    summary.append(shape).append(cells(name, m, ref));
                } catch (RuntimeException e) {
                    o.putObject("opencl_" + mode.cliName()).put("error", String.valueOf(e));
                    summary.append(shape).append("| ").append(name).append(" | **error**: ").append(e)
                            .append(" | | | | |\n");
                }
                save();
            }
        }
        summary.append("\nEGGROLL, Adam; one warm-up generation (kernel builds and caches), then the median of up to 3 "
                + "(fewer when a generation takes over 20 s).\n");
        save();
    }

    private record Measured(double evaluate, double update, int reps, float[] readouts) {
        double generation() {
            return evaluate + update;
        }
    }

    private static String cells(String backend, Measured m, Measured ref) {
        return String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.3fx | %s |%n", backend, m.evaluate(), m.update(),
                m.generation(), ref.generation() / m.generation(), Arrays.equals(m.readouts(), ref.readouts())
                        ? "identical" : "differ");
    }

    private static void put(ObjectNode o, Measured m, Measured ref) {
        o.put("evaluate_seconds", m.evaluate());
        o.put("update_seconds", m.update());
        o.put("generation_seconds", m.generation());
        o.put("repetitions", m.reps());
        o.put("speed_vs_cpu", ref.generation() / m.generation());
        o.put("readouts_identical_to_cpu", Arrays.equals(m.readouts(), ref.readouts()));
    }

    /** Median seconds of evaluate and of update after a warm-up generation; the warm-up's readouts. */
    private static Measured measure(Backend b, ModelState st, SpikeBatch batch, EsConfig es) {
        b.load(st);
        float[] shaped = new float[es.population()];
        for (int i = 0; i < shaped.length; i++) {
            shaped[i] = (float) ((i * 0.618) % 1.0 - 0.5);
        }
        float[] readouts = b.evaluate(batch, new Generation(3, 0, es));
        b.update(new Generation(3, 0, es), shaped, es.population(), st.optimizer().learningRate());
        double[] ev = new double[3];
        double[] up = new double[3];
        int reps = 0;
        while (reps < 3) {
            Generation g = new Generation(3, reps + 1, es);
            long t0 = System.nanoTime();
            b.evaluate(batch, g);
            long t1 = System.nanoTime();
            b.update(g, shaped, es.population(), st.optimizer().learningRate());
            long t2 = System.nanoTime();
            ev[reps] = (t1 - t0) / 1e9;
            up[reps] = (t2 - t1) / 1e9;
            reps++;
            if ((t2 - t0) / 1e9 > 20) {
                break;
            }
        }
        return new Measured(median(ev, reps), median(up, reps), reps, readouts);
    }

    private static double median(double[] x, int n) {
        double[] s = Arrays.copyOf(x, n);
        Arrays.sort(s);
        return s[n / 2];
    }

    // ---------------------------------------------------------------- output

    private double elapsed() {
        return (System.nanoTime() - start) / 1e9;
    }

    /** Rewrites report.json and summary.md (each through a temporary file, so neither is ever half-written). */
    private void save() {
        report.put("elapsed_seconds", elapsed());
        try {
            Files.createDirectories(outDir);
            write(outDir.resolve("report.json"), json.writeValueAsString(report) + "\n");
            write(outDir.resolve("summary.md"), summary.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + outDir, e);
        }
    }

    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
