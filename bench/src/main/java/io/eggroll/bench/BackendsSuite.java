package io.eggroll.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eggroll.backend.Backend;
import io.eggroll.backend.BackendOptions;
import io.eggroll.backend.BackendProvider;
import io.eggroll.backend.Backends;
import io.eggroll.es.EsConfig;
import io.eggroll.plot.Charts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code eggroll bench --suite backends}: the same EGGROLL generation (same state, same generation
 * index, same batch) on every backend found, alternating; unavailable backends are listed with
 * their reason. Each row also says how far its readouts are from the cpu reference's.
 */
public final class BackendsSuite {

    private static final List<String> HEADER = List.of("workload", "backend", "device", "s / generation",
            "evaluate s", "update s", "member·sample·steps / s", "vs cpu", "max |Δ readout| vs cpu");

    private record Live(BackendProvider provider, Backend backend, GenerationTrial trial) {}

    private BackendsSuite() {}

    public static Report run(Settings s, String command) {
        Report rep = new Report("backends", "Backends: the same generation on every backend found", command,
                Machine.here(), HEADER);
        rep.chart("Seconds per generation by backend (median of the repetitions, min and max marked)",
                Charts.Axis.log("seconds per generation"));
        for (Workload w : s.buildWorkloads()) {
            for (int r : s.ranks()) {
                EsConfig es = EsConfig.eggroll(w.population(), r, ThroughputSuite.SIGMA);
                es.validateFor(w.net());
                measure(rep, s, w, es);
            }
        }
        rep.note("EGGROLL, same state and generation on every backend; " + s.warmup() + " warm-up round(s), "
                + s.reps() + " repetition(s); cells are median (min–max)");
        return rep;
    }

    private static void measure(Report rep, Settings s, Workload w, EsConfig es) {
        String label = w.name() + " (" + w.shape() + "), r=" + es.rank();
        List<Live> live = new ArrayList<>();
        List<String[]> unavailable = new ArrayList<>();
        BackendOptions opts = BackendOptions.defaults().withThreads(s.threads());
        try {
            for (BackendProvider p : Backends.providers()) {
                Optional<String> why = p.unavailableReason();
                if (why.isPresent()) {
                    unavailable.add(new String[] {p.name(), why.get()});
                    continue;
                }
                Backend b;
                try {
                    b = p.create(opts);
                } catch (RuntimeException e) {
                    unavailable.add(new String[] {p.name(), "cannot create: " + e.getMessage()});
                    continue;
                }
                try {
                    b.load(w.state());
                } catch (IllegalArgumentException e) {
                    // e.g. loihi-sim and a membrane readout: the backend runs, but not this network.
                    unavailable.add(new String[] {p.name(), "cannot run this network: " + e.getMessage()});
                    b.close();
                    continue;
                }
                live.add(new Live(p, b, new GenerationTrial(b, w, es, null, true, s.seed())));
            }
            List<Alternation.Contender> contenders = new ArrayList<>();
            for (Live l : live) {
                contenders.add(new Alternation.Contender(l.provider().name(), () -> l.backend().load(w.state()),
                        l.trial()::run));
            }
            List<Alternation.Measured> results = Alternation.run(contenders, s.warmup(), s.reps(),
                    line -> s.log().accept("[" + label + "] " + line));
            int cpu = -1;
            for (int i = 0; i < live.size(); i++) {
                if (live.get(i).provider().name().equals("cpu")) {
                    cpu = i;
                }
            }
            double cpuMedian = cpu < 0 ? Double.NaN : results.get(cpu).summary(GenerationTrial.GENERATION).median();
            float[] ref = cpu < 0 ? null : live.get(cpu).trial().lastReadouts();
            for (int i = 0; i < live.size(); i++) {
                row(rep, w, label, live.get(i), results.get(i), cpuMedian, ref);
            }
            for (String[] u : unavailable) {
                List<String> cells = new ArrayList<>(List.of(label, u[0], "unavailable: " + u[1]));
                while (cells.size() < HEADER.size()) {
                    cells.add("—");
                }
                ObjectNode o = rep.newRecord();
                o.put("workload", w.name());
                o.put("rank", es.rank());
                o.put("backend", u[0]);
                o.put("unavailable", u[1]);
                rep.row(cells, o);
                rep.bar(new Charts.Bar(w.name() + " · " + u[0], Double.NaN, Double.NaN, Double.NaN));
            }
        } finally {
            live.forEach(l -> l.backend().close());
        }
    }

    private static void row(Report rep, Workload w, String label, Live l, Alternation.Measured m, double cpuMedian,
                            float[] ref) {
        Summary gen = m.summary(GenerationTrial.GENERATION);
        float[] got = l.trial().lastReadouts();
        double maxDiff = 0;
        if (ref != null) {
            if (got.length != ref.length) {
                maxDiff = Double.POSITIVE_INFINITY;
            } else {
                for (int i = 0; i < got.length; i++) {
                    maxDiff = Math.max(maxDiff, Math.abs(got[i] - ref[i]));
                }
            }
        }
        double vsCpu = cpuMedian / gen.median();
        rep.row(List.of(label, l.provider().name(), l.backend().device(), gen.format(3),
                m.summary(GenerationTrial.EVALUATE).format(3), m.summary(GenerationTrial.UPDATE).format(3),
                Summary.num(w.memberSampleSteps() / gen.median(), 3), Summary.num(vsCpu, 3) + "×",
                ref == null ? "— (no cpu)" : Summary.num(maxDiff, 3)), record(rep, w, l, m, vsCpu, ref, maxDiff));
        rep.bar(new Charts.Bar(w.name() + " r=" + l.trial().rank() + " · " + l.provider().name(), gen.median(),
                gen.min(), gen.max()));
    }

    private static ObjectNode record(Report rep, Workload w, Live l, Alternation.Measured m, double vsCpu, float[] ref,
                                     double maxDiff) {
        ObjectNode o = rep.newRecord();
        o.put("workload", w.name());
        o.put("network", w.shape());
        o.put("rank", l.trial().rank());
        o.put("backend", l.provider().name());
        o.put("device", l.backend().device());
        for (String k : m.seconds().keySet()) {
            ThroughputSuite.summary(o.putObject(k + "_seconds"), m.summary(k));
        }
        o.put("member_sample_steps_per_second", w.memberSampleSteps() / m.summary(GenerationTrial.GENERATION).median());
        ThroughputSuite.putFinite(o, "speed_vs_cpu", vsCpu);
        if (ref != null) {
            ThroughputSuite.putFinite(o, "max_abs_readout_difference_vs_cpu", maxDiff);
        }
        o.put("peak_heap_bytes", m.peakHeapBytes());
        return o;
    }
}
