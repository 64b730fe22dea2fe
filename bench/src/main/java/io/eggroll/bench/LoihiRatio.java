package io.eggroll.bench;

import io.eggroll.backend.Backend;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.backend.fixed.LoihiSimBackend;
import io.eggroll.es.EsConfig;
import io.eggroll.snn.Readout;
import java.util.Arrays;

/**
 * The {@code --precision loihi} vs float ratio on the default N-MNIST network with a spike-count
 * readout (loihi-sim has no membrane readout, so {@code eggroll bench --suite backends} lists it
 * as unavailable there): the same EGGROLL generation on cpu and loihi-sim, alternating, seconds
 * per generation (evaluate + update) and their ratio. A tool for an idle machine:
 * <pre>
 * java --add-modules jdk.incubator.vector -cp "$(ls java-core/target/eggroll-core-*.jar | grep -v tests):java-core/target/lib/*:$(ls bench/target/eggroll-bench-*.jar | grep -v tests)" \
 *     io.eggroll.bench.LoihiRatio [threads (0 = all)] [repetitions] [rank]
 * </pre>
 */
public final class LoihiRatio {

    /** Rounds run first and discarded: the cpu path keeps speeding up over its first few generations. */
    private static final int WARMUP = 5;

    private LoihiRatio() {}

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int rank = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        if (threads <= 0) {
            threads = Runtime.getRuntime().availableProcessors();
        }
        Workload base = Workload.nmnist(null, false, 0, 0, 0, 0.05, 1);
        Workload w = Workload.of("nmnist", base.net().withReadout(Readout.SPIKE_COUNT), base.population(), base.batch(),
                base.timesteps(), base.density(), 1);
        EsConfig es = EsConfig.eggroll(w.population(), rank, ThroughputSuite.SIGMA);
        System.out.printf("network %s, N = %d, B = %d, T = %d, r = %d, %d thread(s)%n", Arrays.toString(w.net().sizes()),
                w.population(), w.batch(), w.timesteps(), rank, threads);
        try (Backend cpu = new CpuBackend(threads); Backend loihi = new LoihiSimBackend(threads)) {
            GenerationTrial cpuTrial = new GenerationTrial(cpu, w, es, null, true, 1);
            GenerationTrial loihiTrial = new GenerationTrial(loihi, w, es, null, true, 1);
            double[] ratios = new double[reps];
            for (int i = -WARMUP; i < reps; i++) {
                cpu.load(w.state());
                double c = cpuTrial.run().get(GenerationTrial.GENERATION);
                loihi.load(w.state());
                double l = loihiTrial.run().get(GenerationTrial.GENERATION);
                if (i >= 0) {
                    ratios[i] = l / c;
                    System.out.printf("rep %d: cpu %.4f s, loihi-sim %.4f s, loihi / float %.2f%n", i, c, l, l / c);
                }
            }
            Arrays.sort(ratios);
            System.out.printf("median loihi / float: %.2f (%s; %s)%n", ratios[reps / 2], cpu.device(), loihi.device());
        }
    }
}
