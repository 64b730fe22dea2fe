package io.eggroll.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eggroll.backend.Backend;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.plot.Charts;
import io.eggroll.simd.VectorizationProvider;
import io.eggroll.backend.BackendOptions;
import io.eggroll.backend.Backends;
import io.eggroll.es.EsConfig;
import io.eggroll.es.EsMode;
import io.eggroll.simd.VectorOps;
import io.eggroll.simd.VectorizationProvider;
import io.eggroll.snn.SnnConfig;
import io.eggroll.snn.SpikeBatch;
import io.eggroll.util.Parallel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code eggroll bench --suite throughput}: per workload, plain batched inference on N x B samples,
 * EGGROLL at each rank, the backend's sparse-aware full-rank ES and the dense full-rank ES the
 * paper describes ({@link DenseFullRank}), alternating in one process; then the machine's triad
 * bandwidth, SIMD multiply-add rate and the spike-driven layer's rate measured in the same run.
 */
public final class ThroughputSuite {

    static final float SIGMA = 0.02f;
    static final int TRIAD_FLOATS = 1 << 24;

    /** The backend's full rank: E materialised per member, but only the rows the spikes select are added. */
    static final String FULL_RANK = "full rank";

    /** The paper's full rank: a dense W + sigma E per member and a dense product ({@link DenseFullRank}). */
    static final String DENSE_FULL_RANK = "full rank (dense, paper)";

    /** One ES contender: its configuration and the backend that runs it. */
    private record EsContender(EsConfig es, Backend backend) {}

    private static final List<String> HEADER = List.of("workload", "contender", "s / generation", "evaluate s",
            "update s", "member·sample·steps / s", "speed-up vs full rank", "speed-up vs dense full rank",
            "eval throughput vs inference",
            "noise %", "update %", "perturbation B/member in flight", "at rest", "peak heap MiB");

    private ThroughputSuite() {}

    public static Report run(Settings s, String command) {
        Report rep = new Report("throughput", "Throughput: one ES generation, contenders side by side", command,
                Machine.here(), HEADER);
        rep.chart("Seconds per generation (median of the repetitions, min and max marked)",
                Charts.Axis.log("seconds per generation"));
        try (Parallel pool = new Parallel(s.threads(), "bench-noise");
             Backend backend = Backends.create(s.backend(), BackendOptions.defaults().withThreads(s.threads()));
             Backend scalar = new CpuBackend(s.threads(), VectorizationProvider.scalar());
             DenseFullRank dense = s.denseFullRank() ? new DenseFullRank(s.threads()) : null) {
            Roofline.Rate triad = Roofline.triad(pool, TRIAD_FLOATS, 5);
            ObjectNode peak = rep.extra().putObject("triad");
            peak.put("floats", TRIAD_FLOATS);
            peak.put("bytes_per_second", triad.bytesPerSecond());
            VectorOps ops = VectorizationProvider.ops();
            double fma = Roofline.multiplyAddRate(pool, ops, 5);
            ObjectNode simd = rep.extra().putObject("simd_multiply_add");
            simd.put("vector_ops", ops.name());
            simd.put("block", Roofline.FMA_ROWS + "x" + Roofline.FMA_INNER + "x" + Roofline.FMA_COLS);
            simd.put("threads", s.threads());
            simd.put("flops_per_second", fma);
            ObjectNode gathers = rep.extra().putObject("spike_gather");
            for (Workload w : s.buildWorkloads()) {
                s.log().accept("workload " + w.name() + ": " + w.shape() + ", N=" + w.population() + ", B=" + w.batch()
                        + ", T=" + w.timesteps() + ", input density " + w.density() + " (" + w.spikes().spikeCount()
                        + " input spikes)");
                measure(rep, s, backend, scalar, dense, pool, w, fma, ops.name());
                Roofline.Rate gather = Roofline.spikeGather(pool, w.state().params().weights(0),
                        w.state().params().bias(0), w.net().fanOut(0), w.spikes(), 5);
                ObjectNode g = gathers.putObject(w.name());
                g.put("bytes_per_second", gather.bytesPerSecond());
                g.put("adds_per_second", gather.opsPerSecond());
                g.put("fraction_of_triad", gather.bytesPerSecond() / triad.bytesPerSecond());
                rep.note(String.format(Locale.ROOT,
                        "%s: spike-driven layer-1 current (%d threads) %.2f GB/s, %.2f G adds/s = %.0f%% of the triad's %.2f GB/s measured in this run",
                        w.name(), s.threads(), gather.bytesPerSecond() / 1e9, gather.opsPerSecond() / 1e9,
                        100 * gather.bytesPerSecond() / triad.bytesPerSecond(), triad.bytesPerSecond() / 1e9));
            }
        }
        rep.note("backend " + s.backend() + ", " + s.threads() + " threads; " + s.warmup() + " warm-up round(s), "
                + s.reps() + " repetition(s); cells are median (min–max)");
        rep.note("s / generation = evaluate + host fitness/shaping + update; noise % = generating the evaluation's "
                + "factors alone, over evaluate + update; update % = update over evaluate + update");
        rep.note("at rest: 8-byte run seed + 4-byte generation + 4-byte pair counter key every member's noise; "
                + "in flight: r(m+n) (EGGROLL) or m·n (full rank) plus n bias values per layer, 4 bytes each");
        rep.note("full rank: the backend's sparse-aware full-rank ES (E materialised per member, only the rows the "
                + "input spikes select added); full rank (dense, paper): W + σE materialised per member, every frame "
                + "a dense 0/1 row times it in one register-blocked product per layer (same noise, same update)");
        return rep;
    }

    /** The contender that runs rank r on the cpu backend's scalar definition. */
    static String scalarName(int r) {
        return "eggroll r=" + r + " (simd off)";
    }

    /** The scalar-definition ranks this workload can run (cpu backend only). */
    private static List<Integer> scalarRanks(Settings s, Workload w) {
        if (!s.backend().equals("cpu")) {
            return List.of();
        }
        return s.scalarRanks().stream().filter(r -> {
            try {
                EsConfig.eggroll(w.population(), r, SIGMA).validateFor(w.net());
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }).toList();
    }

    private static void measure(Report rep, Settings s, Backend backend, Backend scalar, DenseFullRank dense,
                                Parallel pool, Workload w, double fma, String opsName) {
        List<Alternation.Contender> contenders = new ArrayList<>();
        Map<String, EsContender> configs = new LinkedHashMap<>();
        SpikeBatch many = w.replicated(w.population());
        contenders.add(new Alternation.Contender("inference", () -> backend.load(w.state()), () -> {
            long t0 = System.nanoTime();
            backend.infer(many);
            double t = Alternation.since(t0);
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(GenerationTrial.GENERATION, t);
            m.put(GenerationTrial.EVALUATE, t);
            return m;
        }));
        List<String> skipped = new ArrayList<>();
        for (int r : s.ranks()) {
            EsConfig es = EsConfig.eggroll(w.population(), r, SIGMA);
            try {
                es.validateFor(w.net());
            } catch (IllegalArgumentException e) {
                skipped.add("eggroll r=" + r + ": " + e.getMessage());
                continue;
            }
            configs.put("eggroll r=" + r, new EsContender(es, backend));
        }
        if (s.fullRank()) {
            configs.put(FULL_RANK, new EsContender(EsConfig.fullRank(w.population(), SIGMA), backend));
        }
        if (dense != null) {
            configs.put(DENSE_FULL_RANK, new EsContender(EsConfig.fullRank(w.population(), SIGMA), dense));
        }
        for (int r : scalarRanks(s, w)) {
            configs.put(scalarName(r), new EsContender(EsConfig.eggroll(w.population(), r, SIGMA), scalar));
        }
        Map<String, GenerationTrial> trials = new LinkedHashMap<>();
        for (var e : configs.entrySet()) {
            Backend b = e.getValue().backend();
            GenerationTrial trial = new GenerationTrial(b, w, e.getValue().es(), pool, false, s.seed());
            trials.put(e.getKey(), trial);
            contenders.add(new Alternation.Contender(e.getKey(), () -> b.load(w.state()), trial::run));
        }
        List<Alternation.Measured> results = Alternation.run(contenders, s.warmup(), s.reps(),
                line -> s.log().accept("[" + w.name() + "] " + line));
        double inferMedian = results.get(0).summary(GenerationTrial.EVALUATE).median();
        double fullMedian = generationMedian(results, FULL_RANK);
        double denseMedian = generationMedian(results, DENSE_FULL_RANK);
        List<String> shares = new ArrayList<>();
        for (Alternation.Measured m : results) {
            EsContender c = configs.get(m.name());
            GenerationTrial trial = trials.get(m.name());
            row(rep, w, m, c == null ? null : c.es(), trial == null ? 0 : trial.lastLivePairs(), inferMedian,
                    fullMedian, denseMedian, fma, shares);
        }
        for (String why : skipped) {
            List<String> cells = new ArrayList<>(List.of(w.name(), why.substring(0, why.indexOf(':'))));
            cells.add("skipped: " + why.substring(why.indexOf(':') + 2));
            while (cells.size() < HEADER.size()) {
                cells.add("—");
            }
            ObjectNode o = rep.newRecord();
            o.put("workload", w.name());
            o.put("contender", why.substring(0, why.indexOf(':')));
            o.put("skipped", why.substring(why.indexOf(':') + 2));
            rep.row(cells, o);
        }
        targets(rep, w, results, inferMedian, fullMedian, denseMedian);
        rep.note(String.format(Locale.ROOT,
                "%s: SIMD multiply-add rate %.1f GFLOP/s (%s gemmAccumulate on an in-cache %dx%dx%d block per thread, "
                        + "%d threads, this run; mul + add = 2 flops); share of it: %s", w.name(), fma / 1e9, opsName,
                Roofline.FMA_ROWS, Roofline.FMA_INNER, Roofline.FMA_COLS, s.threads(),
                shares.isEmpty() ? "no ES contender" : String.join(", ", shares)));
        for (int r : scalarRanks(s, w)) {
            double off = generationMedian(results, scalarName(r));
            double on = generationMedian(results, "eggroll r=" + r);
            rep.note(String.format(Locale.ROOT, "%s: r = %d, vector fast path vs --simd off (scalar definition), "
                    + "same run: %.2f× per generation (%.3f s against %.3f s)", w.name(), r, off / on, on, off));
        }
    }

    private static double generationMedian(List<Alternation.Measured> results, String name) {
        return results.stream().filter(m -> m.name().equals(name)).findFirst()
                .map(m -> m.summary(GenerationTrial.GENERATION).median()).orElse(Double.NaN);
    }

    /**
     * The update's multiply-add flops: per layer, 2 m n (live pairs) r for EGGROLL's
     * {@code A_cat diag(d) B_cat^T}, 2 m n (live pairs) for full rank's {@code sum_k d_k E_k}.
     */
    static double updateFlops(EsConfig es, SnnConfig net, int livePairs) {
        double f = 0;
        for (int l = 0; l < net.layers(); l++) {
            f += 2.0 * net.fanIn(l) * net.fanOut(l) * livePairs * (es.mode() == EsMode.EGGROLL ? es.rank() : 1);
        }
        return f;
    }

    /** The dense contender's evaluation product: per member and layer, 2 (B T) m n. */
    static double denseEvaluateFlops(Workload w) {
        double f = 0;
        for (int l = 0; l < w.net().layers(); l++) {
            f += 2.0 * w.batch() * w.timesteps() * w.net().fanIn(l) * w.net().fanOut(l);
        }
        return f * w.population();
    }

    private static void row(Report rep, Workload w, Alternation.Measured m, EsConfig es, int livePairs,
                            double inferMedian, double fullMedian, double denseMedian, double fma,
                            List<String> shares) {
        Summary gen = m.summary(GenerationTrial.GENERATION);
        Summary eval = m.summary(GenerationTrial.EVALUATE);
        boolean isEs = es != null;
        double work = w.memberSampleSteps();
        double evalPlusUpdate = isEs ? eval.median() + m.summary(GenerationTrial.UPDATE).median() : Double.NaN;
        double noiseShare = isEs ? m.summary(GenerationTrial.NOISE).median() / evalPlusUpdate : Double.NaN;
        double updateShare = isEs ? m.summary(GenerationTrial.UPDATE).median() / evalPlusUpdate : Double.NaN;
        long inFlight = isEs ? GenerationTrial.bytesInFlight(es, w.net()) : 0;
        long atRest = isEs ? GenerationTrial.bytesAtRest() : 0;
        double speedup = fullMedian / gen.median();
        double speedupDense = denseMedian / gen.median();
        boolean isDense = m.name().equals(DENSE_FULL_RANK);
        double vsInfer = inferMedian / eval.median();
        List<String> cells = List.of(w.name() + " (" + w.shape() + ")", m.name(), gen.format(3), eval.format(3),
                isEs ? m.summary(GenerationTrial.UPDATE).format(3) : "—", Summary.num(work / gen.median(), 3),
                Double.isFinite(speedup) ? Summary.num(speedup, 3) + "×" : "—",
                Double.isFinite(speedupDense) ? Summary.num(speedupDense, 3) + "×" : "—",
                Summary.num(100 * vsInfer, 3) + "%", isEs ? Summary.num(100 * noiseShare, 2) : "—",
                isEs ? Summary.num(100 * updateShare, 2) : "—", isEs ? bytes(inFlight) : "—",
                isEs ? atRest + " B" : "—", Summary.num(m.peakHeapBytes() / 1048576.0, 3));
        ObjectNode o = rep.newRecord();
        o.put("workload", w.name());
        o.put("network", w.shape());
        o.put("contender", m.name());
        o.put("mode", es == null ? "inference" : es.mode() == EsMode.EGGROLL ? "eggroll"
                : isDense ? "full_rank_dense" : "full_rank");
        if (es != null && es.mode() == EsMode.EGGROLL) {
            o.put("rank", es.rank());
        }
        o.put("population", w.population());
        o.put("batch", w.batch());
        o.put("timesteps", w.timesteps());
        o.put("input_density", w.density());
        for (String k : m.seconds().keySet()) {
            summary(o.putObject(k + "_seconds"), m.summary(k));
        }
        o.put("member_sample_steps_per_second", work / gen.median());
        putFinite(o, "speedup_vs_full_rank", speedup);
        putFinite(o, "speedup_vs_dense_full_rank", speedupDense);
        if (isEs) {
            double updateRate = updateFlops(es, w.net(), livePairs) / m.summary(GenerationTrial.UPDATE).median();
            o.put("live_pairs", livePairs);
            o.put("update_flops_per_second", updateRate);
            o.put("update_share_of_simd_rate", updateRate / fma);
            shares.add(String.format(Locale.ROOT, "%s update %.2f GFLOP/s = %.1f%%", m.name(), updateRate / 1e9,
                    100 * updateRate / fma));
            if (isDense) {
                double evalRate = denseEvaluateFlops(w) / eval.median();
                o.put("evaluate_flops_per_second", evalRate);
                o.put("evaluate_share_of_simd_rate", evalRate / fma);
                shares.add(String.format(Locale.ROOT, "%s evaluate (dense products) %.2f GFLOP/s = %.1f%%", m.name(),
                        evalRate / 1e9, 100 * evalRate / fma));
            }
        }
        o.put("eval_throughput_vs_inference", vsInfer);
        putFinite(o, "noise_share", noiseShare);
        putFinite(o, "update_share", updateShare);
        o.put("perturbation_bytes_in_flight_per_member", inFlight);
        o.put("perturbation_bytes_at_rest_per_member", atRest);
        o.put("peak_heap_bytes", m.peakHeapBytes());
        rep.row(cells, o);
        rep.bar(new Charts.Bar(w.name() + " · " + m.name(), gen.median(), gen.min(), gen.max()));
    }

    private static void targets(Report rep, Workload w, List<Alternation.Measured> results, double inferMedian,
                                double fullMedian, double denseMedian) {
        for (Alternation.Measured m : results) {
            if (!m.name().equals("eggroll r=10")) {
                continue;
            }
            double gen = m.summary(GenerationTrial.GENERATION).median();
            if (Double.isFinite(denseMedian)) {
                rep.note(String.format(Locale.ROOT, "%s: EGGROLL r = 10 vs dense full rank (the paper's W + σE and a "
                        + "dense product per member): %.1f× faster per generation (target ≥ 20×; the paper: 2.23×)",
                        w.name(), denseMedian / gen));
            }
            if (Double.isFinite(fullMedian)) {
                rep.note(String.format(Locale.ROOT, "%s: EGGROLL r = 10 vs sparse-aware full rank (only the rows of "
                        + "W + σE the spikes select): %.1f× faster per generation", w.name(), fullMedian / gen));
            }
            rep.note(String.format(Locale.ROOT, "%s: EGGROLL r=10 population evaluation runs at %.0f%% of the throughput "
                    + "of plain inference on the same N·B·T work (target ≥ 90%%)", w.name(),
                    100 * inferMedian / m.summary(GenerationTrial.EVALUATE).median()));
        }
    }

    static void summary(ObjectNode o, Summary s) {
        o.put("median", s.median());
        o.put("min", s.min());
        o.put("max", s.max());
        o.put("count", s.count());
    }

    static void putFinite(ObjectNode o, String k, double v) {
        if (Double.isFinite(v)) {
            o.put(k, v);
        } else {
            o.putNull(k);
        }
    }

    static String bytes(long b) {
        if (b >= 1 << 20) {
            return Summary.num(b / 1048576.0, 3) + " MiB";
        }
        if (b >= 1 << 10) {
            return Summary.num(b / 1024.0, 3) + " KiB";
        }
        return b + " B";
    }
}
